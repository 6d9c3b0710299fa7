#include <map>

#include "base/text.h"
#include "config/sections.h"

namespace plancal::config_detail {

namespace {

using nlohmann::json;

CaldavTargetConfig read_caldav(const json& section, const std::filesystem::path& base_dir) {
  CaldavTargetConfig caldav;
  caldav.url = section.at("url").get<std::string>();
  caldav.username = section.value("username", "");
  caldav.password = read_secret_source(section, "password", base_dir);
  caldav.create_calendar = section.value("create_calendar", false);
  caldav.calendar_name = section.value("calendar_name", "");
  caldav.tls = read_tls(section, base_dir);
  caldav.timeout_seconds = section.value("timeout_seconds", caldav.timeout_seconds);
  caldav.max_in_flight = section.value("max_in_flight", caldav.max_in_flight);
  return caldav;
}

GraphTargetConfig read_graph(const json& section, const std::filesystem::path& base_dir) {
  GraphTargetConfig graph;
  graph.tenant = section.at("tenant").get<std::string>();
  graph.client_id = section.at("client_id").get<std::string>();
  graph.client_secret = read_secret_source(section, "client_secret", base_dir);
  graph.mailbox = section.value("mailbox", "");
  graph.per_person = section.value("per_person", false);
  graph.calendar = section.value("calendar", "");
  graph.create_calendar = section.value("create_calendar", false);
  graph.login_url = section.value("login_url", graph.login_url);
  graph.graph_url = section.value("graph_url", graph.graph_url);
  graph.tls = read_tls(section, base_dir);
  graph.timeout_seconds = section.value("timeout_seconds", graph.timeout_seconds);
  return graph;
}

TargetConfig read_target(const MarkedJson& doc, const std::string& pointer,
                         const std::filesystem::path& base_dir, Diagnostics& diagnostics) {
  const json& item = doc.json.at(json::json_pointer(pointer));
  TargetConfig target;
  target.where = doc.where(pointer);
  target.name = item.at("name").get<std::string>();
  target.plan_id = item.at("plan").get<std::string>();
  target.audience = item.at("audience").get<std::string>();
  target.on_remote_change = item.value("on_remote_change", "restore") == "keep"
                                ? RemoteChangePolicy::Keep
                                : RemoteChangePolicy::Restore;
  target.max_delete_share = item.value("max_delete_share", target.max_delete_share);
  if (item.contains("caldav")) target.caldav = read_caldav(item.at("caldav"), base_dir);
  if (item.contains("graph")) target.graph = read_graph(item.at("graph"), base_dir);
  if (!target.caldav && !target.graph) {
    diagnostics.error(target.where,
                      "target " + quoted_text(target.name) + " says nowhere to push to",
                      "add a \"caldav:\" section with the calendar's url, or a \"graph:\" "
                      "section for Microsoft 365");
  } else if (target.caldav && target.graph) {
    diagnostics.error(target.where,
                      "target " + quoted_text(target.name) + " has both caldav and graph",
                      "a target pushes to one calendar service; split it into two targets");
  } else if (target.graph && target.graph->per_person == !target.graph->mailbox.empty()) {
    diagnostics.error(target.where,
                      "target " + quoted_text(target.name) +
                          " needs exactly one of graph.mailbox and "
                          "graph.per_person: true",
                      "name one mailbox, or push each person's events to their own mailbox");
  }
  return target;
}

}  // namespace

std::optional<SecretSource> read_secret_source(const json& section, const std::string& key,
                                               const std::filesystem::path& base_dir) {
  if (!section.contains(key)) return std::nullopt;
  const json& value = section.at(key);
  SecretSource source;
  if (value.contains("file")) source.file = resolve_path(base_dir, value.at("file"));
  if (value.contains("credential")) source.credential = value.at("credential");
  return source;
}

TlsConfig read_tls(const json& section, const std::filesystem::path& base_dir) {
  TlsConfig tls;
  if (!section.contains("tls")) return tls;
  const json& value = section.at("tls");
  if (value.contains("ca_file")) tls.ca_file = resolve_path(base_dir, value.at("ca_file"));
  tls.insecure_skip_verify = value.value("insecure_skip_verify", false);
  return tls;
}

void read_targets(const MarkedJson& doc, const std::filesystem::path& base_dir, Config& config,
                  Diagnostics& diagnostics) {
  if (!doc.json.contains("targets")) return;
  std::map<std::string, SourceLocation> seen;
  const std::size_t count = doc.json.at("targets").size();
  for (std::size_t i = 0; i < count; ++i) {
    const std::string pointer = "/targets/" + std::to_string(i);
    TargetConfig target = read_target(doc, pointer, base_dir, diagnostics);
    const auto [first, inserted] = seen.emplace(target.name, target.where);
    if (!inserted) {
      diagnostics.error(doc.where(pointer + "/name"),
                        "target name " + quoted_text(target.name) + " is used twice",
                        "the first is at line " + std::to_string(first->second.line) +
                            "; give each target its own name");
    }
    config.targets.push_back(std::move(target));
  }
}

}  // namespace plancal::config_detail
