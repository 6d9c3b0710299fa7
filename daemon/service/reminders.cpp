#include "service/reminders.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

#include "attendance/register_gaps.h"
#include "ical/timezone.h"
#include "mail/smtp_sender.h"
#include "plan/loader.h"
#include "remind/planner.h"
#include "service/run_log.h"

namespace plancal {

namespace {

constexpr std::int64_t kSecondsPerHour = 3600;

remind::PlannerSettings planner_settings(const Config& config) {
  const RemindersConfig& reminders = config.reminders;
  remind::PlannerSettings settings;
  settings.leader_lead_days = reminders.leader_lead_days;
  settings.deadline_lead_days = reminders.deadline_lead_days;
  settings.participant_email = reminders.participant_email;
  settings.participant_lead_days = reminders.participant_lead_days;
  settings.deadline_time = reminders.deadline_time;
  settings.message_id_domain = reminders.message_id_domain;
  settings.register_after_hours = config.attendance.reminder_after_hours;
  settings.public_url = config.feeds.public_url;
  return settings;
}

std::int64_t window_seconds(const Config& config) {
  return config.reminders.send_window_hours * kSecondsPerHour;
}

struct Planning {
  std::vector<std::string> plan_ids;  ///< plans planned in full (their stale reminders cancel)
  std::vector<ReminderRecord> reminders;
  int notices = 0;
  std::vector<std::string> problems;
};

/// The register reminders of `plan` at `now`: the leaders' days still open (planned after
/// the change notices, which they never give).
std::vector<ReminderRecord> register_reminders(const Plan& plan,
                                               const std::vector<StoredEvent>& events,
                                               AttendanceRegisters& registers, std::int64_t now,
                                               const remind::PlannerSettings& settings,
                                               Planning& planning) {
  if (!settings.register_after_hours || settings.public_url.empty()) return {};
  auto records = registers.records({plan.id, "", std::nullopt});
  if (!records) {
    planning.problems.push_back(plan.id + ": attendance: " + records.error().message);
    return {};
  }
  std::vector<const Occurrence*> active;
  for (const auto& event : events) {
    if (!event.removed_at) active.push_back(&event.occurrence);
  }
  const auto gaps = register_gaps(plan, active, *records, local_time_at(plan.timezone, now));
  return remind::plan_register_reminders(plan, gaps, settings);
}

/// Plans one plan file into `planning`.
void plan_file(const std::string& path, PublishedEvents& published, AttendanceRegisters& registers,
               const std::vector<ReminderRecord>& stored, std::int64_t now,
               const remind::PlannerSettings& settings, Planning& planning) {
  PlanLoad load = load_plan_file(path);
  if (!load.plan) {
    planning.problems.push_back(path + ": the plan has errors; its reminders are kept as planned");
    return;
  }
  const Plan& plan = *load.plan;
  const std::vector<StoredEvent> events = published.events(plan.id);
  if (events.empty()) return;  // never published: nothing to remind of yet
  auto planned = remind::plan_reminders(plan, events, settings);
  auto notices = remind::change_notices(planned, stored, now, plan.timezone, settings);
  auto cancelled =
      remind::cancellation_notices(stored, events, plan.id, now, plan.timezone, settings);
  notices.insert(notices.end(), cancelled.begin(), cancelled.end());
  planning.notices += static_cast<int>(notices.size());
  planning.plan_ids.push_back(plan.id);
  planning.reminders.insert(planning.reminders.end(), planned.begin(), planned.end());
  planning.reminders.insert(planning.reminders.end(), notices.begin(), notices.end());
  const auto open_registers = register_reminders(plan, events, registers, now, settings, planning);
  planning.reminders.insert(planning.reminders.end(), open_registers.begin(), open_registers.end());
}

Planning plan_all(const Config& config, PublishedEvents& published, AttendanceRegisters& registers,
                  ReminderStore& reminders, std::int64_t now) {
  const auto settings = planner_settings(config);
  const std::vector<ReminderRecord> stored = reminders.reminders();
  Planning planning;
  for (const auto& path : config.plan_files) {
    plan_file(path, published, registers, stored, now, settings, planning);
  }
  return planning;
}

mail::MailMessage message_for(const Config& config, const ReminderRecord& r, std::int64_t now) {
  mail::MailMessage message;
  if (config.smtp) message.from = {config.smtp->from_name, config.smtp->from_address};
  message.to = {r.recipient_name, r.recipient_email};
  message.subject = r.subject;
  message.text = r.body_text;
  message.html = r.body_html;
  message.message_id = r.message_id;
  message.date = now;
  return message;
}

void note(ReminderRunReport& report, const std::string& line, bool warning) {
  keep_and_log(report.lines, "reminders", line, warning);
}

void check(const Status& status, ReminderRunReport& report) {
  keep_database_problem(report.problems, status);
}

/// Records a failed send; true when the pass should stop (the server is unreachable).
bool record_failure(ReminderStore& store, const ReminderRecord& r, const mail::SendError& error,
                    std::int64_t now, ReminderRunReport& report) {
  const std::string what =
      std::string(mail::failure_kind_name(error.kind)) + " failure: " + error.message;
  if (error.kind == mail::FailureKind::Permanent) {
    check(store.mark_reminder_failed(r.id, what, now), report);
    ++report.failed;
    note(report, "FAILED " + r.id + " to " + r.recipient_email + ": " + what, true);
    return false;
  }
  const std::int64_t next = now + mail::retry_delay_seconds(r.attempts);
  check(store.mark_reminder_retry(r.id, next, what, now), report);
  ++report.retrying;
  note(report, "retry " + r.id + " to " + r.recipient_email + " later: " + what, true);
  return mail::failure_ends_batch(error);
}

/// Sends one due reminder; true when the pass should stop.
bool deliver(const Config& config, ReminderStore& store, const ReminderRecord& r, std::int64_t now,
             mail::MailSender& sender, ReminderRunReport& report) {
  if (r.due_at + window_seconds(config) < now) {
    check(store.mark_reminder_late(r.id, now), report);
    ++report.late;
    note(report,
         "late " + r.id + " to " + r.recipient_email + " (due " + std::to_string(r.due_at) +
             "): not sent",
         true);
    return false;
  }
  if (r.recipient_email.empty()) {
    check(store.mark_reminder_failed(r.id, "no email address in the roster", now), report);
    ++report.failed;
    note(report, "FAILED " + r.id + ": " + r.recipient_name + " has no email address", true);
    return false;
  }
  if (auto intent = store.mark_reminder_sending(r.id, now); !intent) {
    check(intent, report);
    return true;  // without the intent row, sending could not be exactly once
  }
  const auto sent = sender.send(message_for(config, r, now));
  if (!sent) return record_failure(store, r, sent.error(), now, report);
  check(store.mark_reminder_sent(r.id, now), report);
  ++report.sent;
  note(report, "sent " + r.id + " to " + r.recipient_email + ": " + r.subject, false);
  return false;
}

}  // namespace

ReminderRunReport run_due_reminders(const Config& config, PublishedEvents& published,
                                    AttendanceRegisters& registers, ReminderStore& store,
                                    const Clock& clock, mail::MailSender& sender) {
  ReminderRunReport report;
  const std::int64_t now = clock.now_unix();
  Planning planning = plan_all(config, published, registers, store, now);
  report.problems = planning.problems;
  report.notices = planning.notices;
  auto synced =
      store.sync_reminders(planning.plan_ids, planning.reminders, now, window_seconds(config));
  if (!synced) {
    report.problems.push_back("database: " + synced.error().message);
  } else {
    report.planning = *synced;
  }
  for (const auto& reminder : store.due_reminders(now)) {
    if (deliver(config, store, reminder, now, sender, report)) {
      report.stopped_early = true;
      break;
    }
  }
  return report;
}

std::vector<ReminderPreview> preview_reminders(const Config& config, PublishedEvents& published,
                                               AttendanceRegisters& registers, ReminderStore& store,
                                               const Clock& clock, int days) {
  const std::int64_t now = clock.now_unix();
  const Planning planning = plan_all(config, published, registers, store, now);
  std::map<std::string, ReminderRecord> stored;
  for (auto& r : store.reminders()) stored.emplace(r.id, std::move(r));
  const std::int64_t from = now - window_seconds(config);
  const std::int64_t to = now + std::int64_t{days} * 24 * kSecondsPerHour;
  std::vector<ReminderPreview> out;
  for (const auto& r : planning.reminders) {
    if (r.due_at < from || r.due_at > to) continue;
    const auto it = stored.find(r.id);
    if (it == stored.end()) {
      out.push_back({r, "new"});
    } else if (it->second.state == ReminderState::Planned ||
               it->second.state == ReminderState::Cancelled) {
      out.push_back({r, it->second.state == ReminderState::Planned ? "planned" : "new"});
    } else {
      out.push_back({it->second, to_string(it->second.state)});
    }
  }
  std::sort(out.begin(), out.end(), [](const ReminderPreview& a, const ReminderPreview& b) {
    return std::tie(a.reminder.due_at, a.reminder.id) < std::tie(b.reminder.due_at, b.reminder.id);
  });
  return out;
}

Result<std::unique_ptr<mail::MailSender>> make_mail_sender(const Config& config) {
  if (!config.smtp) {
    return Error{config.file + ": no \"smtp:\" section, so no reminder can be sent"};
  }
  const SmtpConfig& smtp = *config.smtp;
  mail::SmtpOptions options;
  options.url = smtp.url;
  options.username = smtp.username;
  if (smtp.password) {
    auto secret = read_secret(*smtp.password);
    if (!secret) return Error{"smtp password: " + secret.error().message};
    options.password = std::move(*secret);
  }
  options.require_starttls = smtp.require_starttls;
  options.ca_file = smtp.tls.ca_file;
  options.insecure_skip_verify = smtp.tls.insecure_skip_verify;
  options.total_timeout = std::chrono::seconds(smtp.timeout_seconds);
  std::unique_ptr<mail::MailSender> sender = std::make_unique<mail::SmtpSender>(options);
  return sender;
}

void log_reminder_report(const ReminderRunReport& report) {
  for (const auto& problem : report.problems) spdlog::error("reminders: {}", problem);
  const auto& p = report.planning;
  spdlog::info(
      "reminders: planned {} new, {} updated, {} cancelled, {} past their window; {} change "
      "notice(s); sent {}, retrying {}, failed {}, late {}",
      p.added, p.updated, p.cancelled, p.skipped_past, report.notices, report.sent, report.retrying,
      report.failed, report.late);
}

}  // namespace plancal
