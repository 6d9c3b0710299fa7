#include "service/daemon_jobs.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "base/clock.h"
#include "service/invitations.h"
#include "service/reminders.h"
#include "service/sync.h"
#include "store/database.h"

namespace plancal {

std::string run_sync_job(const Config& config) {
  auto database = StateDatabase::open(config.database);
  if (!database) return "sync failed: " + database.error().message;
  PublishedEvents published(*database);
  SyncStateStore sync_state(*database);
  const SystemClock clock;
  const SyncSummary summary = sync_all(config, published, sync_state, clock, SyncRequest{});
  log_sync_summary(summary);
  std::size_t ok = 0;
  for (const auto& report : summary.reports) ok += report.ok() ? 1 : 0;
  const std::size_t failed = summary.reports.size() - ok + summary.errors.size();
  return failed == 0 ? fmt::format("sync: {} target(s) ok", ok)
                     : fmt::format("sync: {} target(s) ok, {} with errors", ok, failed);
}

std::string run_reminder_job(const Config& config) {
  if (!config.smtp) return "";
  auto sender = make_mail_sender(config);
  if (!sender) {
    spdlog::error("reminders: {}", sender.error().message);
    return "reminders: " + sender.error().message;
  }
  auto database = StateDatabase::open(config.database);
  if (!database) return "reminders failed: " + database.error().message;
  PublishedEvents published(*database);
  ReminderStore reminders(*database);
  const SystemClock clock;
  const ReminderRunReport report = run_due_reminders(config, published, reminders, clock, **sender);
  log_reminder_report(report);
  // Invitations a `feed invite` run could not deliver (a temporary failure) go out from here.
  const InviteReport invitations = send_due_invitations(config, *database, clock, **sender);
  for (const auto& problem : invitations.problems) spdlog::error("invitations: {}", problem);
  return fmt::format("reminders: {} sent, {} retrying, {} failed; invitations: {} sent",
                     report.sent, report.retrying, report.failed, invitations.sent);
}

DaemonJobs daemon_jobs() { return DaemonJobs{.sync = run_sync_job, .reminders = run_reminder_job}; }

}  // namespace plancal
