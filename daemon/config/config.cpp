#include "config/config.h"

#include <algorithm>
#include <cctype>
#include <exception>
#include <filesystem>
#include <system_error>

#include "base/text.h"
#include "config/sections.h"
#include "schema/schema_check.h"
#include "schema/yaml_json.h"

namespace plancal::embedded {
extern const std::string_view kConfigSchema;
}

namespace plancal {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::size_t kMaxConfigBytes = std::size_t{1024} * 1024;
/// The most diagnostics one config file gets.
constexpr std::size_t kMaxReportedConfigErrors = 100;

using config_detail::resolve_path;

/// Email addresses are compared without regard to ASCII letter case.
std::string lower_ascii(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool is_plan_file(const fs::directory_entry& entry) {
  const auto extension = entry.path().extension();
  std::error_code unreadable;  // an entry that cannot be examined is not a plan
  return (extension == ".yaml" || extension == ".yml") && entry.is_regular_file(unreadable);
}

void add_plan_dir(const MarkedJson& doc, const fs::path& base_dir, Config& config,
                  Diagnostics& diagnostics) {
  const fs::path dir = resolve_path(base_dir, doc.json.at("plan_dir").get<std::string>());
  config.plan_dir = dir.string();
  std::error_code error;
  std::vector<std::string> found;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    if (is_plan_file(*it)) found.push_back(it->path().string());
  }
  if (error) {
    diagnostics.error(
        doc.where("/plan_dir"),
        "cannot read the plan folder " + quoted_text(dir.string(), 200) + ": " + error.message());
    return;
  }
  std::sort(found.begin(), found.end());
  config.plan_files.insert(config.plan_files.end(), found.begin(), found.end());
}

void read_plans(const MarkedJson& doc, const fs::path& base_dir, Config& config,
                Diagnostics& diagnostics) {
  const bool has_list = doc.json.contains("plans");
  const bool has_dir = doc.json.contains("plan_dir");
  if (!has_list && !has_dir) {
    diagnostics.error(doc.where(""), "the config names no plans",
                      "add \"plans: [plans/FILE.yaml]\" or \"plan_dir: plans/\"");
    return;
  }
  if (has_list) {
    for (const auto& item : doc.json.at("plans")) {
      config.plan_files.push_back(resolve_path(base_dir, item.get<std::string>()));
    }
  }
  if (has_dir) add_plan_dir(doc, base_dir, config, diagnostics);
}

/// Splits "host:port" or "[v6]:port"; the schema has checked the shape already.
void read_listen(const MarkedJson& doc, FeedConfig& feeds, Diagnostics& diagnostics) {
  const auto colon = feeds.listen.rfind(':');
  std::string host = feeds.listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  const int port = std::stoi(feeds.listen.substr(colon + 1));
  if (port < 1 || port > 65535) {
    diagnostics.error(doc.where("/feeds/listen"),
                      "port " + std::to_string(port) + " in \"listen\" is not between 1 and 65535");
    return;
  }
  feeds.listen_host = host;
  feeds.listen_port = port;
}

void read_feeds(const MarkedJson& doc, FeedConfig& feeds, Diagnostics& diagnostics) {
  const json section = doc.json.value("feeds", json::object());
  feeds.listen = section.value("listen", feeds.listen);
  read_listen(doc, feeds, diagnostics);
  feeds.public_url = section.value("public_url", "http://" + feeds.listen);
  while (!feeds.public_url.empty() && feeds.public_url.back() == '/') feeds.public_url.pop_back();
  feeds.refresh_minutes = section.value("refresh_minutes", feeds.refresh_minutes);
  feeds.keep_cancelled_days = section.value("keep_cancelled_days", feeds.keep_cancelled_days);
}

Config read_config(const MarkedJson& doc, const std::string& file, Diagnostics& diagnostics) {
  Config config;
  config.file = file;
  const fs::path base_dir = fs::path(file).parent_path();
  read_plans(doc, base_dir, config, diagnostics);
  config.database = doc.json.contains("database")
                        ? resolve_path(base_dir, doc.json.at("database").get<std::string>())
                        : std::string(kDefaultDatabasePath);
  read_feeds(doc, config.feeds, diagnostics);
  config_detail::read_targets(doc, base_dir, config, diagnostics);
  config_detail::read_daemon_settings(doc, config.daemon, diagnostics);
  config_detail::read_mail(doc, base_dir, config, diagnostics);
  const json attendance = doc.json.value("attendance", json::object());
  config.attendance.retention_years =
      attendance.value("retention_years", config.attendance.retention_years);
  for (const auto& admin : attendance.value("admins", json::array())) {
    config.attendance.admins.push_back(lower_ascii(admin.get<std::string>()));
  }
  config.attendance.session_idle_hours =
      attendance.value("session_idle_hours", config.attendance.session_idle_hours);
  if (attendance.contains("reminder_after_hours")) {
    config.attendance.reminder_after_hours = attendance.at("reminder_after_hours").get<int>();
  }
  const json rate_limit =
      doc.json.value("signup", json::object()).value("rate_limit", json::object());
  config.signup.posts_per_window = rate_limit.value("posts", config.signup.posts_per_window);
  config.signup.window_minutes = rate_limit.value("window_minutes", config.signup.window_minutes);
  return config;
}

ConfigLoad load_checked(std::string_view text, const std::string& file_name) {
  ConfigLoad load;
  YamlLoad yaml = yaml_to_json(text, file_name, "config file");
  load.diagnostics.append(yaml.diagnostics);
  if (load.diagnostics.has_errors()) return load;
  for (const auto& duplicate : yaml.doc.duplicates) {
    load.diagnostics.error(duplicate.second, quoted_text(duplicate.key) + " is written twice",
                           "the first is at line " + std::to_string(duplicate.first.line));
  }
  coerce_to_schema_types(yaml.doc, config_schema_json());
  load.diagnostics.append(check_against_schema(yaml.doc, config_schema_json(), file_name));
  if (load.diagnostics.has_errors()) {
    load.diagnostics.truncate(kMaxReportedConfigErrors, file_name);
    return load;
  }
  Config config = read_config(yaml.doc, file_name, load.diagnostics);
  load.diagnostics.sort();
  load.diagnostics.truncate(kMaxReportedConfigErrors, file_name);
  if (!load.diagnostics.has_errors()) load.config = std::move(config);
  return load;
}

}  // namespace

namespace config_detail {

std::string resolve_path(const fs::path& base_dir, const std::string& path) {
  const fs::path written(path);
  if (written.is_absolute()) return written.lexically_normal().string();
  return (base_dir / written).lexically_normal().string();
}

}  // namespace config_detail

std::string_view config_schema_json() { return embedded::kConfigSchema; }

ConfigLoad load_config_text(std::string_view text, const std::string& file_name) {
  try {
    return load_checked(text, file_name);
  } catch (const std::exception& e) {  // a bug; a config edit must still not stop the daemon
    ConfigLoad failed;
    failed.diagnostics.error({file_name, 0, 0},
                             std::string("internal error while reading the config: ") + e.what(),
                             "this is a bug in plancal; please report it with the config file");
    return failed;
  }
}

ConfigLoad load_config(const std::string& path) {
  ConfigLoad load;
  std::string text;
  if (!read_text_file(path, kMaxConfigBytes, text, load.diagnostics, "config file")) return load;
  return load_config_text(text, path);
}

const TargetConfig* Config::find_target(std::string_view name) const {
  for (const auto& target : targets) {
    if (target.name == name) return &target;
  }
  return nullptr;
}

SubscribeLinks subscribe_links(const FeedConfig& feeds, std::string_view secret) {
  SubscribeLinks links;
  links.https = feeds.public_url + "/feeds/" + std::string(secret) + ".ics";
  const auto scheme_end = links.https.find("://");
  links.webcal = "webcal" + links.https.substr(scheme_end);
  return links;
}

}  // namespace plancal
