#pragma once
/// What the state database keeps for reminder emails (the rows of store/reminder_state.h,
/// which also explains the exactly-once protocol): planning is one transaction per pass;
/// every delivery step (sending, sent, retry, failed, late) is its own short autocommit
/// statement, so the intent row is on disk before the mail server hears of the message.

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/database.h"
#include "store/reminder_state.h"

namespace plancal {

class ReminderStore {
 public:
  explicit ReminderStore(StateDatabase database) : database_(std::move(database)) {}

  /// Makes the unsent reminders of `plan_ids` match `planned` in ONE transaction: new ones
  /// are added (unless already more than `window` seconds past due: counted, not stored),
  /// planned and cancelled ones take the new due time and text, planned ones no longer
  /// asked for are cancelled. Sending, sent, late and failed rows are never changed.
  Result<ReminderSyncSummary> sync_reminders(const std::vector<std::string>& plan_ids,
                                             const std::vector<ReminderRecord>& planned,
                                             std::int64_t now, std::int64_t window);
  /// Every reminder, by (due_at, id).
  std::vector<ReminderRecord> reminders();
  /// Planned and sending reminders with due_at <= now and next_attempt_at <= now.
  std::vector<ReminderRecord> due_reminders(std::int64_t now);
  /// The intent: committed before the mail server is contacted; counts an attempt.
  Status mark_reminder_sending(const std::string& id, std::int64_t now);
  /// The server accepted the message.
  Status mark_reminder_sent(const std::string& id, std::int64_t now);
  /// A temporary failure: back to planned, next try at `next_attempt_at`.
  Status mark_reminder_retry(const std::string& id, std::int64_t next_attempt_at,
                             const std::string& error, std::int64_t now);
  /// Final states: failed (refused for good) or late (past the send window).
  Status mark_reminder_failed(const std::string& id, const std::string& error, std::int64_t now);
  Status mark_reminder_late(const std::string& id, std::int64_t now);

 private:
  StateDatabase database_;
};

}  // namespace plancal
