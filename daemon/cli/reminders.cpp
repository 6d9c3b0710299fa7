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
#include "cli/now_option.h"
#include "cli/plan_input.h"
#include "ical/timezone.h"
#include "service/reminders.h"

namespace plancal::cli {

namespace {

struct RemindersOptions {
  std::string config;
  std::string now;  ///< empty: the system clock
  int days = 14;
};

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
  AttendanceRegisters registers(database);
  ReminderStore reminders(database);
  const auto clock = make_clock(options.now);
  const auto items =
      preview_reminders(config, published, registers, reminders, *clock, options.days);
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
  AttendanceRegisters registers(database);
  ReminderStore reminders(database);
  const auto clock = make_clock(options.now);
  const ReminderRunReport report =
      run_due_reminders(config, published, registers, reminders, *clock, **sender);
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
  add_now_option(command, options.now);
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
