#pragma once
/// The reminder service: plans reminder emails for every plan of the config and sends the
/// ones that are due, exactly once as users see it (store/reminder_state.h).
///
/// One pass (`run_due_reminders`):
///  1. plan: each plan file is loaded for its roster and planned against what is PUBLISHED
///     for it in the store (run the publish step first); change notices are added for
///     reminders already sent whose occurrences moved; the store is updated in one
///     transaction. A plan that does not load keeps its planned reminders untouched.
///  2. send: every due reminder (planned, or `sending` left by a crash) more than
///     `send_window_hours` past due is marked late (logged, counted, never sent); the others
///     are marked `sending`, handed to the MailSender and marked `sent` once accepted.
///     Temporary failures are retried in later passes with exponential backoff (1 minute,
///     doubling, at most 1 hour); a permanent refusal (5xx) marks the reminder failed. A
///     failure to reach the server at all ends the pass: the rest wait for the next one.
///
/// The daemon calls run_due_reminders from its loop (every minute or so, after a publish);
/// `plancal reminders send` runs one pass. Both take the time from the Clock, so tests move it.

#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "config/config.h"
#include "mail/sender.h"
#include "store/attendance_registers.h"
#include "store/published_events.h"
#include "store/reminder_store.h"

namespace plancal {

struct ReminderRunReport {
  ReminderSyncSummary planning;  ///< what planning did to the stored reminders
  int notices = 0;               ///< change notices among the planned reminders
  int sent = 0;
  int retrying = 0;                   ///< temporary failures, tried again later
  int failed = 0;                     ///< refused for good or without an address
  int late = 0;                       ///< past the send window: not sent
  bool stopped_early = false;         ///< the server could not be reached; the rest wait
  std::vector<std::string> problems;  ///< plans that did not load, store errors
  std::vector<std::string> lines;     ///< one line per reminder sent, failed or late
};

/// One pass: plan every plan of the config, then send what is due at clock.now_unix().
/// `registers` tells which leaders' registers are still open (register reminders).
[[nodiscard]] ReminderRunReport run_due_reminders(const Config& config, PublishedEvents& published,
                                                  AttendanceRegisters& registers,
                                                  ReminderStore& reminders, const Clock& clock,
                                                  mail::MailSender& sender);

/// A reminder as `plancal reminders preview` shows it.
struct ReminderPreview {
  ReminderRecord reminder;
  std::string status;  ///< "new", or the stored state ("planned", "sending", "sent", ...)
};

/// What would be planned and sent between now - send window and now + `days`, without
/// writing anything or sending, sorted by due time.
[[nodiscard]] std::vector<ReminderPreview> preview_reminders(const Config& config,
                                                             PublishedEvents& published,
                                                             AttendanceRegisters& registers,
                                                             ReminderStore& reminders,
                                                             const Clock& clock, int days);

/// An SmtpSender for `config.smtp`, with its password read now. Errors: no smtp section, an
/// unreadable secret (the message names the file and the fix, never the content).
[[nodiscard]] Result<std::unique_ptr<mail::MailSender>> make_mail_sender(const Config& config);

/// Logs the report through spdlog (for the daemon).
void log_reminder_report(const ReminderRunReport& report);

}  // namespace plancal
