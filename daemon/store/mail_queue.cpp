#include "store/mail_queue.h"

#include "store/query.h"

namespace plancal {

namespace {

std::string_view mail_table_name(MailTable table) {
  switch (table) {
    case MailTable::Invitations:
      return "invitations";
    case MailTable::RegistrationMails:
      return "registration_mails";
    case MailTable::MeetingInvitationMails:
      return "meeting_invitation_mails";
  }
  return "invitations";
}

/// A row the protocol may send now: planned, or sending with its lease run out; `now` is the
/// statement's parameter `now_parameter`.
std::string mail_due_condition(int now_parameter) {
  return "state IN ('planned', 'sending') AND next_attempt_at <= ?" + std::to_string(now_parameter);
}

}  // namespace

Result<bool> MailQueue::mark_sending(std::int64_t id, std::int64_t now, std::int64_t lease_until) {
  auto session = database_.session();
  const std::string sql = "UPDATE " + std::string(mail_table_name(table_)) +
                          " SET state = 'sending', attempts = attempts + 1, next_attempt_at = ?3 "
                          "WHERE id = ?1 AND " +
                          mail_due_condition(2);
  auto done = execute(session.db(), sql, [&](sqlite::Statement& s) {
    s.bind(1, id).bind(2, now).bind(3, lease_until);
  });
  if (!done) return done.error();
  return session.db().changes() == 1;
}

Status MailQueue::mark_sent(std::int64_t id, std::int64_t now) {
  return update("state = 'sent', sent_at = ?2, last_error = ''",
                [&](sqlite::Statement& s) { s.bind(1, id).bind(2, now); });
}

Status MailQueue::mark_retry(std::int64_t id, std::int64_t next_attempt_at,
                             const std::string& error) {
  return update(
      "state = 'planned', next_attempt_at = ?2, last_error = ?3",
      [&](sqlite::Statement& s) { s.bind(1, id).bind(2, next_attempt_at).bind(3, error); });
}

Status MailQueue::mark_failed(std::int64_t id, const std::string& error) {
  return update("state = 'failed', last_error = ?2",
                [&](sqlite::Statement& s) { s.bind(1, id).bind(2, error); });
}

Status MailQueue::read_due(std::string_view columns, std::int64_t now,
                           const std::function<void(const sqlite::Statement&)>& read) {
  const std::string sql = "SELECT " + std::string(columns) + " FROM " +
                          std::string(mail_table_name(table_)) + " WHERE " + mail_due_condition(1) +
                          " ORDER BY id";
  auto session = database_.session();
  auto statement = sqlite::Statement::prepare(session.db(), sql);
  if (!statement) return statement.error();
  statement->bind(1, now);
  for (;;) {
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) return Ok{};
    read(*statement);
  }
}

Status MailQueue::update(std::string_view set,
                         const std::function<void(sqlite::Statement&)>& bind) {
  auto session = database_.session();
  const std::string sql = "UPDATE " + std::string(mail_table_name(table_)) + " SET " +
                          std::string(set) + " WHERE id = ?1";
  return execute(session.db(), sql, bind);
}

}  // namespace plancal
