#include "store/invitations.h"

#include "store/feed_tokens.h"
#include "store/query.h"

namespace plancal {

namespace {

constexpr std::string_view kInvitationColumns =
    "id, person_id, person_name, email, reason, nonce, token_id, message_id, state, attempts, "
    "next_attempt_at, created_at, coalesce(sent_at, 0), last_error";

InvitationState state_from(std::string_view text) {
  if (text == "sending") return InvitationState::Sending;
  if (text == "sent") return InvitationState::Sent;
  if (text == "failed") return InvitationState::Failed;
  return InvitationState::Planned;
}

InvitationRecord read_invitation(const sqlite::Statement& row) {
  InvitationRecord r;
  r.id = row.int64(0);
  r.person_id = row.text(1);
  r.person_name = row.text(2);
  r.email = row.text(3);
  r.reason = row.text(4);
  r.nonce = row.text(5);
  r.token_id = row.int64(6);
  r.message_id = row.text(7);
  r.state = state_from(row.text(8));
  r.attempts = static_cast<int>(row.int64(9));
  r.next_attempt_at = row.int64(10);
  r.created_at = row.int64(11);
  r.sent_at = row.int64(12);
  r.last_error = row.text(13);
  return r;
}

template <class Bind>
std::vector<InvitationRecord> select_invitations(sqlite::Database& db, std::string_view where,
                                                 Bind&& bind) {
  return query_all<InvitationRecord>(
      db,
      "SELECT " + std::string(kInvitationColumns) + " FROM invitations WHERE " +
          std::string(where) + " ORDER BY id",
      std::forward<Bind>(bind), read_invitation, "reading invitations");
}

Status revoke_tokens(sqlite::Database& db, const std::vector<std::int64_t>& ids, std::int64_t now) {
  for (const std::int64_t id : ids) {
    auto done =
        execute(db, "UPDATE feed_tokens SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1",
                [&](sqlite::Statement& s) { s.bind(1, id).bind(2, now); });
    if (!done) return done;
  }
  return Ok{};
}

}  // namespace

const char* to_string(InvitationState state) {
  switch (state) {
    case InvitationState::Planned:
      return "planned";
    case InvitationState::Sending:
      return "sending";
    case InvitationState::Sent:
      return "sent";
    case InvitationState::Failed:
      return "failed";
  }
  return "planned";
}

Result<InvitationRecord> InvitationStore::plan(const NewInvitation& invitation, std::int64_t now) {
  auto session = database().session();
  auto transaction = sqlite::Transaction::begin(session.db());
  if (!transaction) return transaction.error();
  if (auto revoked = revoke_tokens(session.db(), invitation.revoke_token_ids, now); !revoked) {
    return revoked.error();
  }
  auto token = insert_token_row(session.db(), invitation.token_hash, "",
                                "person:" + invitation.person_id, "invitation", now);
  if (!token) return token.error();
  auto inserted =
      execute(session.db(),
              "INSERT INTO invitations (person_id, person_name, email, reason, nonce, token_id, "
              "message_id, state, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'planned', ?8)",
              [&](sqlite::Statement& s) {
                s.bind(1, invitation.person_id)
                    .bind(2, invitation.person_name)
                    .bind(3, invitation.email)
                    .bind(4, invitation.reason)
                    .bind(5, invitation.nonce)
                    .bind(6, *token)
                    .bind(7, invitation.message_id)
                    .bind(8, now);
              });
  if (!inserted) return inserted.error();
  const std::int64_t id = session.db().last_insert_rowid();
  if (auto committed = transaction->commit(); !committed) return committed.error();
  InvitationRecord record;
  record.id = id;
  record.person_id = invitation.person_id;
  record.person_name = invitation.person_name;
  record.email = invitation.email;
  record.reason = invitation.reason;
  record.nonce = invitation.nonce;
  record.token_id = *token;
  record.message_id = invitation.message_id;
  record.created_at = now;
  return record;
}

std::vector<InvitationRecord> InvitationStore::invitations() {
  auto session = database().session();
  return select_invitations(session.db(), "1", no_parameters);
}

std::vector<InvitationRecord> InvitationStore::due(std::int64_t now) {
  std::vector<InvitationRecord> rows;
  auto read = read_due(kInvitationColumns, now,
                       [&](const sqlite::Statement& row) { rows.push_back(read_invitation(row)); });
  if (!read) log_store_error("reading invitations", read.error());
  return rows;
}

}  // namespace plancal
