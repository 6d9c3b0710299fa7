#include "service/daemon_jobs.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "base/clock.h"
#include "plan/loader.h"
#include "service/invitations.h"
#include "service/meeting_invitations.h"
#include "service/registration_allocation.h"
#include "service/registration_mail_delivery.h"
#include "service/reminders.h"
#include "service/sync.h"
#include "store/database.h"
#include "store/link_key.h"
#include "store/registration_mails.h"
#include "store/registrations.h"

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

namespace {

/// The config's plans that load without errors (a plan with errors keeps what was published
/// from it; the sign-up side leaves its registrations alone until it is fixed).
std::vector<Plan> loadable_plans(const Config& config) {
  std::vector<Plan> plans;
  for (const auto& file : config.plan_files) {
    PlanLoad load = load_plan_file(file);
    if (load.plan) plans.push_back(std::move(*load.plan));
  }
  return plans;
}

std::vector<const Plan*> pointers_to(const std::vector<Plan>& plans) {
  std::vector<const Plan*> pointers;
  for (const auto& plan : plans) pointers.push_back(&plan);
  return pointers;
}

/// Sign-up mails the page could not deliver at once (a temporary failure), and the placement
/// mails of the allocation below, go out from here.
int send_signup_mail_retries(const Config& config, StateDatabase& database, const Clock& clock,
                             mail::MailSender& sender) {
  auto due = RegistrationMailStore(database).due(clock.now_unix());
  if (!due || due->empty()) return 0;  // nothing to send: no key file is made
  auto key = load_or_create_link_key(config.database);
  if (!key) {
    spdlog::error("sign-up mails: {}", key.error().message);
    return 0;
  }
  const std::vector<Plan> plans = loadable_plans(config);
  const auto report =
      send_due_registration_mails(config, database, pointers_to(plans), *key, clock, sender);
  for (const auto& problem : report.problems) spdlog::error("sign-up mails: {}", problem);
  return report.sent;
}

/// Allocates every series whose registration has closed (service/registration_allocation.h):
/// at the deadline, and within a minute of a withdrawal or a late confirmation. The summary's
/// tail, empty when nothing changed.
std::string settle_registrations(const Config& config, StateDatabase& database,
                                 const Clock& clock) {
  auto registrations = RegistrationStore(database).registrations("");
  if (!registrations || registrations->empty()) return "";  // no plan is loaded for nothing
  const std::vector<Plan> plans = loadable_plans(config);
  auto changed =
      settle_closed_registrations(config, pointers_to(plans), database, clock.now_unix());
  if (!changed) {
    spdlog::error("sign-up: the allocation was not stored: {}", changed.error().message);
    return "; sign-up allocation failed (see the log)";
  }
  return *changed == 0 ? "" : fmt::format("; sign-up placements: {} changed", *changed);
}

}  // namespace

std::string run_reminder_job(const Config& config) {
  auto database = StateDatabase::open(config.database);
  if (!database) return "reminders failed: " + database.error().message;
  const SystemClock clock;
  const std::string allocation = settle_registrations(config, *database, clock);
  if (!config.smtp) return allocation.empty() ? "" : "reminders: no smtp" + allocation;
  auto sender = make_mail_sender(config);
  if (!sender) {
    spdlog::error("reminders: {}", sender.error().message);
    return "reminders: " + sender.error().message;
  }
  PublishedEvents published(*database);
  AttendanceRegisters registers(*database);
  ReminderStore reminders(*database);
  const ReminderRunReport report =
      run_due_reminders(config, published, registers, reminders, clock, **sender);
  log_reminder_report(report);
  // Invitations a `feed invite` run could not deliver (a temporary failure) go out from here.
  const InviteReport invitations = send_due_invitations(config, *database, clock, **sender);
  for (const auto& problem : invitations.problems) spdlog::error("invitations: {}", problem);
  const int signup_mails = send_signup_mail_retries(config, *database, clock, **sender);
  // Meeting invitations (iMIP REQUEST/CANCEL): planned by a publish or an allocation, and
  // here, so a withdrawal on the sign-up page is cancelled within a minute.
  if (auto planned = plan_meeting_invitations_from_files(config, *database, clock.now_unix());
      !planned) {
    spdlog::error("meeting invitations were not planned: {}", planned.error().message);
  }
  const auto meetings = send_due_meeting_invitations(config, *database, clock, **sender);
  for (const auto& problem : meetings.problems) spdlog::error("meeting invitations: {}", problem);
  return fmt::format(
      "reminders: {} sent, {} retrying, {} failed; invitations: {} sent; sign-up mails: {} sent; "
      "meeting invitations: {} sent{}",
      report.sent, report.retrying, report.failed, invitations.sent, signup_mails, meetings.sent,
      allocation);
}

DaemonJobs daemon_jobs() { return DaemonJobs{.sync = run_sync_job, .reminders = run_reminder_job}; }

}  // namespace plancal
