// plancal reminders preview|send --config FILE [--now TIME]: what reminder emails would go
// out and when, and one planning-and-sending pass (what the daemon does every minute).

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cctype>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>

#include "base/clock.h"
#include "cli/commands.h"
#include "cli/config_input.h"
#include "cli/plan_input.h"
#include "ical/timezone.h"
#include "service/reminders.h"

namespace plancal::cli {

namespace {

constexpr const char* kNowZone = "Europe/Oslo";

struct RemindersOptions {
  std::string config;
  std::string now;  ///< empty: the system clock
  int days = 14;
};

bool all_digits(const std::string& text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

/// "+01:00" / "-02:00" / "Z" at the end of an ISO time -> offset seconds; the text without it.
std::optional<int> take_offset(std::string& text) {
  if (!text.empty() && (text.back() == 'Z' || text.back() == 'z')) {
    text.pop_back();
    return 0;
  }
  if (text.size() < 6) return std::nullopt;
  const std::string tail = text.substr(text.size() - 6);
  if ((tail[0] != '+' && tail[0] != '-') || tail[3] != ':') return std::nullopt;
  const auto time = parse_time_of_day(tail.substr(1));
  if (!time) return std::nullopt;
  text.resize(text.size() - 6);
  const int seconds = minutes_of(*time) * 60;
  return tail[0] == '-' ? -seconds : seconds;
}

/// Unix seconds, or ISO 8601 local time ("2024-01-08T09:00", seconds optional) in
/// Europe/Oslo, or with "Z" / an offset.
std::optional<std::int64_t> parse_now(std::string text) {
  if (all_digits(text)) return std::stoll(text);
  const std::optional<int> offset = take_offset(text);
  if (text.size() == 19) text.resize(16);  // drop ":SS"
  if (text.size() != 16 || (text[10] != 'T' && text[10] != ' ')) return std::nullopt;
  const auto date = parse_date(text.substr(0, 10));
  const auto time = parse_time_of_day(text.substr(11));
  if (!date || !time) return std::nullopt;
  if (offset)
    return days_from_civil(*date) * std::int64_t{86400} + minutes_of(*time) * std::int64_t{60} -
           *offset;
  auto unix = to_unix_seconds(kNowZone, {*date, *time});
  if (!unix) return std::nullopt;
  return *unix;
}

std::unique_ptr<Clock> make_clock(const std::string& now) {
  if (now.empty()) return std::make_unique<SystemClock>();
  const auto parsed = parse_now(now);
  if (!parsed) {
    fail("--now " + now + ": not Unix seconds or an ISO time like 2024-01-08T09:00");
  }
  return std::make_unique<FixedClock>(*parsed);
}

std::string local_text(std::int64_t unix) {
  const auto t = static_cast<std::time_t>(unix);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min);
}

/// The preview is a listing: only warnings and errors join it on stderr.
void quiet_logs() { spdlog::set_level(spdlog::level::warn); }

void run_preview(const RemindersOptions& options) {
  quiet_logs();
  const Config config = load_config_or_exit(options.config);
  const StateDatabase database = open_database_or_exit(config);
  PublishedEvents published(database);
  ReminderStore reminders(database);
  const auto clock = make_clock(options.now);
  const auto items = preview_reminders(config, published, reminders, *clock, options.days);
  for (const auto& item : items) {
    const auto& r = item.reminder;
    fmt::print("{}  {:<9}  {:<11}  {} <{}>  {}  [{}]\n", local_text(r.due_at), item.status, r.kind,
               r.recipient_name, r.recipient_email, r.subject, r.id);
  }
  fmt::print("{} reminder(s) between now - {} h and now + {} day(s)\n", items.size(),
             config.reminders.send_window_hours, options.days);
}

void run_send(const RemindersOptions& options) {
  quiet_logs();
  const Config config = load_config_or_exit(options.config);
  auto sender = make_mail_sender(config);
  if (!sender) fail(sender.error().message);
  const StateDatabase database = open_database_or_exit(config);
  PublishedEvents published(database);
  ReminderStore reminders(database);
  const auto clock = make_clock(options.now);
  const ReminderRunReport report =
      run_due_reminders(config, published, reminders, *clock, **sender);
  for (const auto& line : report.lines) fmt::print("{}\n", line);
  for (const auto& problem : report.problems) fmt::print(stderr, "plancal: {}\n", problem);
  const auto& p = report.planning;
  fmt::print(
      "planned: {} new, {} updated, {} cancelled, {} past their window; {} change notice(s)\n"
      "sent {}, retrying {}, failed {}, late {}{}\n",
      p.added, p.updated, p.cancelled, p.skipped_past, report.notices, report.sent, report.retrying,
      report.failed, report.late,
      report.stopped_early ? " (stopped: the mail server could not be used)" : "");
  if (report.retrying + report.failed > 0 || !report.problems.empty()) {
    throw CLI::RuntimeError(1);
  }
}

void add_common(CLI::App& command, RemindersOptions& options) {
  command.add_option("--config", options.config, "Daemon config file (YAML)")->required();
  command.add_option("--now", options.now,
                     "Act as if it were this time: Unix seconds or ISO local time "
                     "(2024-01-08T09:00, Europe/Oslo; or with Z / +01:00)");
}

}  // namespace

void add_reminders_command(CLI::App& app) {
  auto options = std::make_shared<RemindersOptions>();
  auto* reminders = app.add_subcommand("reminders", "Reminder emails for leaders and participants");
  reminders->require_subcommand(1);

  auto* preview = reminders->add_subcommand(
      "preview", "Show what would be sent and when (reads the published state; sends nothing)");
  add_common(*preview, *options);
  preview->add_option("--days", options->days, "How far ahead to look (default 14)")
      ->check(CLI::Range(0, 3660));
  preview->callback([options] { run_preview(*options); });

  auto* send = reminders->add_subcommand(
      "send", "Plan reminders from the published state and send the ones due now (one pass)");
  add_common(*send, *options);
  send->callback([options] { run_send(*options); });
}

}  // namespace plancal::cli
