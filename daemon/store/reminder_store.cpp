// ReminderStore (reminder_state.h). Planning is one transaction per pass; every delivery
// step (sending, sent, retry, failed, late) is its own short autocommit statement, so the
// intent row is on disk before the mail server hears of the message.

#include "store/reminder_store.h"

#include <array>
#include <map>
#include <set>
#include <utility>

#include "store/query.h"

namespace plancal {

namespace {

constexpr std::array<std::pair<ReminderState, const char*>, 6> kReminderStateNames = {{
    {ReminderState::Planned, "planned"},
    {ReminderState::Sending, "sending"},
    {ReminderState::Sent, "sent"},
    {ReminderState::Late, "late"},
    {ReminderState::Failed, "failed"},
    {ReminderState::Cancelled, "cancelled"},
}};

constexpr std::string_view kReminderColumns =
    "id, plan_id, kind, recipient_id, recipient_name, recipient_email, due_at, subject, "
    "body_text, body_html, content_hash, when_key, group_key, uids, message_id, state, "
    "attempts, next_attempt_at, sent_at, last_error";

ReminderRecord read_reminder(const sqlite::Statement& row) {
  ReminderRecord r;
  r.id = row.text(0);
  r.plan_id = row.text(1);
  r.kind = row.text(2);
  r.recipient_id = row.text(3);
  r.recipient_name = row.text(4);
  r.recipient_email = row.text(5);
  r.due_at = row.int64(6);
  r.subject = row.text(7);
  r.body_text = row.text(8);
  r.body_html = row.text(9);
  r.content_hash = row.text(10);
  r.when_key = row.text(11);
  r.group_key = row.text(12);
  r.uids = row.text(13);
  r.message_id = row.text(14);
  r.state = reminder_state_from(row.text(15));
  r.attempts = static_cast<int>(row.int64(16));
  r.next_attempt_at = row.int64(17);
  r.sent_at = row.optional_int64(18).value_or(0);
  r.last_error = row.text(19);
  return r;
}

/// Reads reminders with `where` (an SQL condition) and `bind` for its parameters.
template <class Bind>
std::vector<ReminderRecord> select_reminders(sqlite::Database& db, std::string_view where,
                                             Bind&& bind) {
  const std::string sql = "SELECT " + std::string(kReminderColumns) + " FROM reminders WHERE " +
                          std::string(where) + " ORDER BY due_at, id";
  return query_all<ReminderRecord>(db, sql, std::forward<Bind>(bind), read_reminder,
                                   "reading reminders");
}

/// The fields a plan change may alter on an unsent reminder, in column order from ?2.
void bind_content(sqlite::Statement& s, const ReminderRecord& r) {
  s.bind(2, r.plan_id).bind(3, r.kind).bind(4, r.recipient_id).bind(5, r.recipient_name);
  s.bind(6, r.recipient_email).bind(7, r.due_at).bind(8, r.subject).bind(9, r.body_text);
  s.bind(10, r.body_html).bind(11, r.content_hash).bind(12, r.when_key).bind(13, r.group_key);
  s.bind(14, r.uids);
}

Status insert_reminder(sqlite::Database& db, const ReminderRecord& r, std::int64_t now) {
  return execute(db,
                 "INSERT INTO reminders (id, plan_id, kind, recipient_id, recipient_name, "
                 "recipient_email, due_at, subject, body_text, body_html, content_hash, "
                 "when_key, group_key, uids, message_id, state, updated_at) VALUES "
                 "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                 "'planned', ?16)",
                 [&](sqlite::Statement& s) {
                   s.bind(1, r.id);
                   bind_content(s, r);
                   s.bind(15, r.message_id).bind(16, now);
                 });
}

/// A planned or cancelled reminder follows the plan: new time and text, planned again.
Status update_reminder(sqlite::Database& db, const ReminderRecord& r, std::int64_t now) {
  return execute(db,
                 "UPDATE reminders SET plan_id = ?2, kind = ?3, recipient_id = ?4, "
                 "recipient_name = ?5, recipient_email = ?6, due_at = ?7, subject = ?8, "
                 "body_text = ?9, body_html = ?10, content_hash = ?11, when_key = ?12, "
                 "group_key = ?13, uids = ?14, state = 'planned', updated_at = ?15 "
                 "WHERE id = ?1 AND state IN ('planned', 'cancelled')",
                 [&](sqlite::Statement& s) {
                   s.bind(1, r.id);
                   bind_content(s, r);
                   s.bind(15, now);
                 });
}

Status cancel_reminder(sqlite::Database& db, const std::string& id, std::int64_t now) {
  return execute(db,
                 "UPDATE reminders SET state = 'cancelled', updated_at = ?2 "
                 "WHERE id = ?1 AND state = 'planned'",
                 [&](sqlite::Statement& s) { s.bind(1, id).bind(2, now); });
}

bool follows(const ReminderRecord& stored, const ReminderRecord& planned) {
  if (stored.state == ReminderState::Cancelled) return true;
  return stored.state == ReminderState::Planned &&
         (stored.content_hash != planned.content_hash || stored.due_at != planned.due_at);
}

/// Applies one planned reminder against what is stored; counts into `summary`.
Status apply_planned(sqlite::Database& db, const ReminderRecord& planned,
                     const std::map<std::string, ReminderRecord>& stored, std::int64_t now,
                     std::int64_t window, ReminderSyncSummary& summary) {
  const auto it = stored.find(planned.id);
  if (it == stored.end()) {
    if (planned.due_at + window < now) {
      ++summary.skipped_past;
      return Ok{};
    }
    ++summary.added;
    return insert_reminder(db, planned, now);
  }
  if (!follows(it->second, planned)) return Ok{};
  ++summary.updated;
  return update_reminder(db, planned, now);
}

}  // namespace

const char* to_string(ReminderState state) {
  for (const auto& [value, name] : kReminderStateNames) {
    if (value == state) return name;
  }
  return "planned";
}

ReminderState reminder_state_from(std::string_view text) {
  for (const auto& [value, name] : kReminderStateNames) {
    if (text == name) return value;
  }
  return ReminderState::Planned;
}

Result<ReminderSyncSummary> ReminderStore::sync_reminders(
    const std::vector<std::string>& plan_ids, const std::vector<ReminderRecord>& planned,
    std::int64_t now, std::int64_t window) {
  auto session = database_.session();
  auto transaction = sqlite::Transaction::begin(session.db());
  if (!transaction) return transaction.error();
  std::map<std::string, ReminderRecord> stored;
  for (auto& row : select_reminders(session.db(), "1", no_parameters)) {
    stored.emplace(row.id, std::move(row));
  }
  ReminderSyncSummary summary;
  std::set<std::string> wanted;
  for (const auto& reminder : planned) {
    wanted.insert(reminder.id);
    if (auto done = apply_planned(session.db(), reminder, stored, now, window, summary); !done) {
      return done.error();
    }
  }
  const std::set<std::string> plans(plan_ids.begin(), plan_ids.end());
  for (const auto& [id, row] : stored) {
    if (row.state != ReminderState::Planned || wanted.count(id) != 0) continue;
    if (plans.count(row.plan_id) == 0) continue;
    if (auto done = cancel_reminder(session.db(), id, now); !done) return done.error();
    ++summary.cancelled;
  }
  if (auto done = transaction->commit(); !done) return done.error();
  return summary;
}

std::vector<ReminderRecord> ReminderStore::reminders() {
  auto session = database_.session();
  return select_reminders(session.db(), "1", no_parameters);
}

std::vector<ReminderRecord> ReminderStore::due_reminders(std::int64_t now) {
  auto session = database_.session();
  return select_reminders(session.db(),
                          "state IN ('planned', 'sending') AND due_at <= ?1 AND "
                          "next_attempt_at <= ?1",
                          [&](sqlite::Statement& s) { s.bind(1, now); });
}

Status ReminderStore::mark_reminder_sending(const std::string& id, std::int64_t now) {
  auto session = database_.session();
  return execute(session.db(),
                 "UPDATE reminders SET state = 'sending', attempts = attempts + 1, "
                 "updated_at = ?2 WHERE id = ?1 AND state IN ('planned', 'sending')",
                 [&](sqlite::Statement& s) { s.bind(1, id).bind(2, now); });
}

Status ReminderStore::mark_reminder_sent(const std::string& id, std::int64_t now) {
  auto session = database_.session();
  return execute(session.db(),
                 "UPDATE reminders SET state = 'sent', sent_at = ?2, last_error = '', "
                 "updated_at = ?2 WHERE id = ?1 AND state = 'sending'",
                 [&](sqlite::Statement& s) { s.bind(1, id).bind(2, now); });
}

Status ReminderStore::mark_reminder_retry(const std::string& id, std::int64_t next_attempt_at,
                                          const std::string& error, std::int64_t now) {
  auto session = database_.session();
  return execute(session.db(),
                 "UPDATE reminders SET state = 'planned', next_attempt_at = ?2, "
                 "last_error = ?3, updated_at = ?4 WHERE id = ?1 AND state = 'sending'",
                 [&](sqlite::Statement& s) {
                   s.bind(1, id).bind(2, next_attempt_at).bind(3, error).bind(4, now);
                 });
}

Status ReminderStore::mark_reminder_failed(const std::string& id, const std::string& error,
                                           std::int64_t now) {
  auto session = database_.session();
  return execute(session.db(),
                 "UPDATE reminders SET state = 'failed', last_error = ?2, updated_at = ?3 "
                 "WHERE id = ?1 AND state IN ('planned', 'sending')",
                 [&](sqlite::Statement& s) { s.bind(1, id).bind(2, error).bind(3, now); });
}

Status ReminderStore::mark_reminder_late(const std::string& id, std::int64_t now) {
  auto session = database_.session();
  return execute(session.db(),
                 "UPDATE reminders SET state = 'late', updated_at = ?2 "
                 "WHERE id = ?1 AND state IN ('planned', 'sending')",
                 [&](sqlite::Statement& s) { s.bind(1, id).bind(2, now); });
}

}  // namespace plancal
