#include "service/daemon_jobs.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "base/clock.h"
#include "service/reminders.h"
#include "store/store.h"

namespace plancal {

std::string run_reminder_job(const Config& config) {
  if (!config.smtp) return "";
  auto sender = make_mail_sender(config);
  if (!sender) {
    spdlog::error("reminders: {}", sender.error().message);
    return "reminders: " + sender.error().message;
  }
  auto store = Store::open(config.database);
  if (!store) return "reminders failed: " + store.error().message;
  const SystemClock clock;
  const ReminderRunReport report = run_due_reminders(config, *store, clock, **sender);
  log_reminder_report(report);
  return fmt::format("reminders: {} sent, {} retrying, {} failed", report.sent, report.retrying,
                     report.failed);
}

DaemonJobs daemon_jobs() { return DaemonJobs{.sync = {}, .reminders = run_reminder_job}; }

}  // namespace plancal
