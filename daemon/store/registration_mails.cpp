#include "store/registration_mails.h"

#include "store/query.h"

namespace plancal {

namespace {

RegistrationMailKind kind_from(std::string_view text) {
  if (text == "receipt") return RegistrationMailKind::Receipt;
  if (text == "placement") return RegistrationMailKind::Placement;
  return RegistrationMailKind::Confirm;
}

struct DueMail {
  std::int64_t id = 0;
  std::int64_t registration_id = 0;
  RegistrationMailKind kind = RegistrationMailKind::Confirm;
  std::string message_id;
  int attempts = 0;
  std::string note;
};

}  // namespace

Result<std::vector<RegistrationMail>> RegistrationMailStore::due(std::int64_t now) {
  std::vector<DueMail> rows;
  {
    auto session = database_.session();
    auto& db = session.db();
    const auto faults_before = db.faults().count;
    rows = query_all<DueMail>(
        db,
        "SELECT id, registration_id, kind, message_id, attempts, note FROM registration_mails "
        "WHERE state IN ('planned', 'sending') AND next_attempt_at <= ?1 ORDER BY id",
        [&](sqlite::Statement& s) { s.bind(1, now); },
        [](const sqlite::Statement& row) {
          return DueMail{row.int64(0),
                         row.int64(1),
                         kind_from(row.text(2)),
                         row.text(3),
                         static_cast<int>(row.int64(4)),
                         row.text(5)};
        },
        "reading registration mails");
    if (db.faults().count != faults_before) return Error{"reading registration mails failed"};
  }
  if (rows.empty()) return std::vector<RegistrationMail>{};
  auto registrations = RegistrationStore(database_).registrations("");
  if (!registrations) return registrations.error();
  std::vector<RegistrationMail> mails;
  for (const auto& row : rows) {
    for (const auto& registration : *registrations) {
      if (registration.id != row.registration_id) continue;
      mails.push_back({row.id, row.kind, row.message_id, row.attempts, row.note, registration});
    }
  }
  return mails;
}

Result<bool> RegistrationMailStore::mark_sending(std::int64_t id, std::int64_t now,
                                                 std::int64_t lease_until) {
  auto session = database_.session();
  auto done =
      execute(session.db(),
              "UPDATE registration_mails SET state = 'sending', attempts = attempts + 1, "
              "next_attempt_at = ?3 WHERE id = ?1 AND state IN ('planned', 'sending') "
              "AND next_attempt_at <= ?2",
              [&](sqlite::Statement& s) { s.bind(1, id).bind(2, now).bind(3, lease_until); });
  if (!done) return done.error();
  return session.db().changes() == 1;
}

Status RegistrationMailStore::mark_sent(std::int64_t id, std::int64_t now) {
  auto session = database_.session();
  return execute(
      session.db(),
      "UPDATE registration_mails SET state = 'sent', sent_at = ?2, last_error = '' WHERE id = ?1",
      [&](sqlite::Statement& s) { s.bind(1, id).bind(2, now); });
}

Status RegistrationMailStore::mark_retry(std::int64_t id, std::int64_t next_attempt_at,
                                         const std::string& error) {
  auto session = database_.session();
  return execute(
      session.db(),
      "UPDATE registration_mails SET state = 'planned', next_attempt_at = ?2, last_error = ?3 "
      "WHERE id = ?1",
      [&](sqlite::Statement& s) { s.bind(1, id).bind(2, next_attempt_at).bind(3, error); });
}

Status RegistrationMailStore::mark_failed(std::int64_t id, const std::string& error) {
  auto session = database_.session();
  return execute(session.db(),
                 "UPDATE registration_mails SET state = 'failed', last_error = ?2 WHERE id = ?1",
                 [&](sqlite::Statement& s) { s.bind(1, id).bind(2, error); });
}

}  // namespace plancal
