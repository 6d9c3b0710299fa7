#pragma once
/// What the store remembers about reminders: each email plancal has planned, and how far its
/// delivery got.
///
/// Exactly once as users see it: a reminder is planned (a row) before it is due; just before
/// the SMTP transaction its row becomes `sending` (the intent, committed); only after the
/// server accepted the message does it become `sent`. A process killed between the two leaves
/// `sending`, and the next run sends it again with the SAME Message-ID: the only duplicate a
/// recipient can ever see is that one, and a mail client can drop it by Message-ID.

#include <cstdint>
#include <string>
#include <string_view>

namespace plancal {

enum class ReminderState {
  Planned,    ///< waiting for its time (or for the next attempt after a temporary failure)
  Sending,    ///< handed to the mail server; may or may not have been accepted
  Sent,       ///< accepted by the mail server; frozen from now on
  Late,       ///< not sent because its time was more than the send window ago
  Failed,     ///< refused for good (5xx) or has no recipient address
  Cancelled,  ///< the plan no longer asks for it (unsent reminders only)
};

[[nodiscard]] const char* to_string(ReminderState state);
[[nodiscard]] ReminderState reminder_state_from(std::string_view text);

/// One reminder email. The id is derived from what it is about (kind, plan, recipient, the
/// occurrences and the lead time), never from its text, so a plan change updates the same
/// reminder instead of adding one.
struct ReminderRecord {
  std::string id;
  std::string plan_id;
  std::string kind;  ///< "leader", "deadline", "participant", "register", "change", "cancel"
  std::string recipient_id;
  std::string recipient_name;
  std::string recipient_email;
  std::int64_t due_at = 0;  ///< Unix seconds
  std::string subject;
  std::string body_text;
  std::string body_html;
  std::string content_hash;  ///< over everything above except the id
  /// When the occurrence(s) start, "2024-01-15T09:00" (plan zone): what the reminder
  /// announced. A sent reminder whose group now starts at another time gets a change notice.
  std::string when_key;
  std::string group_key;  ///< the same occurrences for the same person, without lead time
  std::string uids;       ///< the occurrences it covers, '\n'-separated
  std::string message_id;
  ReminderState state = ReminderState::Planned;
  int attempts = 0;
  std::int64_t next_attempt_at = 0;
  std::int64_t sent_at = 0;
  std::string last_error;
};

/// What one planning pass did to the stored reminders.
struct ReminderSyncSummary {
  int added = 0;
  int updated = 0;       ///< unsent reminders that followed a plan change
  int cancelled = 0;     ///< unsent reminders the plan no longer asks for
  int skipped_past = 0;  ///< new reminders already past their send window: never stored
};

}  // namespace plancal
