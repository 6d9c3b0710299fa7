// WebSessions. Secrets are hashed before any statement sees them; none is logged or put in
// an error message.

#include "store/web_sessions.h"

#include "base/hash.h"
#include "store/query.h"
#include "store/secrets.h"

namespace plancal {

namespace {

constexpr std::int64_t kHour = 3600;
/// Sign-in requests are kept this long for counting, then deleted.
constexpr std::int64_t kRequestsKeptSeconds = 24 * kHour;

Result<std::int64_t> count_since(sqlite::Database& db, std::string_view column,
                                 const std::string& hash, std::int64_t since) {
  auto query = sqlite::Statement::prepare(db, "SELECT count(*) FROM web_signin_requests WHERE " +
                                                  std::string(column) + " = ?1 AND at > ?2");
  if (!query) return query.error();
  query->bind(1, hash).bind(2, since);
  auto row = query->step();
  if (!row) return row.error();
  return query->int64(0);
}

/// Reads email and person_id from the first row of `statement`, or nullopt when it has none.
/// The user an `UPDATE … RETURNING email, person_id` found, if any. The statement is stepped
/// to its end, so the update is written before the connection goes back to the pool.
Result<std::optional<WebUser>> finish_with_user(sqlite::Statement& statement) {
  auto row = statement.step();
  if (!row) return row.error();
  if (!*row) return std::optional<WebUser>{};
  std::optional<WebUser> user = WebUser{statement.text(0), statement.text(1)};
  for (;;) {
    auto more = statement.step();
    if (!more) return more.error();
    if (!*more) return user;
  }
}

}  // namespace

Result<bool> WebSessions::admit_sign_in_request(std::string_view email, std::string_view client,
                                                std::int64_t now, const SignInLimits& limits) {
  const std::string email_hash = sha256_hex(email);
  const std::string client_hash = sha256_hex(client);
  auto session = database_.session();
  auto& db = session.db();
  auto transaction = sqlite::Transaction::begin(db);
  if (!transaction) return transaction.error();
  auto by_email = count_since(db, "email_hash", email_hash, now - kHour);
  if (!by_email) return by_email.error();
  auto by_client = count_since(db, "client_hash", client_hash, now - kHour);
  if (!by_client) return by_client.error();
  auto noted = execute(
      db,
      "INSERT INTO web_signin_requests (email_hash, client_hash, at) "
      "VALUES (?1, ?2, ?3)",
      [&](sqlite::Statement& s) { s.bind(1, email_hash).bind(2, client_hash).bind(3, now); });
  if (!noted) return noted.error();
  auto pruned = execute(db, "DELETE FROM web_signin_requests WHERE at <= ?1",
                        [&](sqlite::Statement& s) { s.bind(1, now - kRequestsKeptSeconds); });
  if (!pruned) return pruned.error();
  if (auto done = transaction->commit(); !done) return done.error();
  return *by_email < limits.per_email_per_hour && *by_client < limits.per_client_per_hour;
}

Result<std::string> WebSessions::create_link(const WebUser& user, std::int64_t now) {
  auto secret = generate_token_secret();
  if (!secret) return secret.error();
  auto session = database_.session();
  auto& db = session.db();
  // Expired and used links are worth nothing; they go whenever a new one is made.
  auto pruned = execute(db, "DELETE FROM web_signin_links WHERE expires_at <= ?1",
                        [&](sqlite::Statement& s) { s.bind(1, now); });
  if (!pruned) return pruned.error();
  auto stored = execute(db,
                        "INSERT INTO web_signin_links (link_hash, email, person_id, created_at, "
                        "expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                        [&](sqlite::Statement& s) {
                          s.bind(1, sha256_hex(*secret))
                              .bind(2, user.email)
                              .bind(3, user.person_id)
                              .bind(4, now)
                              .bind(5, now + kSignInLinkSeconds);
                        });
  if (!stored) return Error{"cannot store the sign-in link: " + stored.error().message};
  return *secret;
}

Result<bool> WebSessions::link_is_live(std::string_view secret, std::int64_t now) {
  if (!looks_like_token_secret(secret)) return false;
  auto session = database_.session();
  auto query = sqlite::Statement::prepare(
      session.db(),
      "SELECT 1 FROM web_signin_links WHERE link_hash = ?1 AND used_at IS NULL AND "
      "expires_at > ?2");
  if (!query) return query.error();
  query->bind(1, sha256_hex(secret)).bind(2, now);
  return query->step();
}

Result<std::optional<WebUser>> WebSessions::consume_link(std::string_view secret,
                                                         std::int64_t now) {
  if (!looks_like_token_secret(secret)) return std::optional<WebUser>{};
  auto session = database_.session();
  // One statement: of two requests for the same link, only the first finds used_at NULL.
  auto update = sqlite::Statement::prepare(
      session.db(),
      "UPDATE web_signin_links SET used_at = ?2 WHERE link_hash = ?1 AND used_at IS NULL AND "
      "expires_at > ?2 RETURNING email, person_id");
  if (!update) return update.error();
  update->bind(1, sha256_hex(secret)).bind(2, now);
  return finish_with_user(*update);
}

Result<std::string> WebSessions::create_session(const WebUser& user, std::int64_t now) {
  auto id = generate_token_secret();
  if (!id) return id.error();
  auto session = database_.session();
  auto stored =
      execute(session.db(),
              "INSERT INTO web_sessions (session_hash, email, person_id, created_at, "
              "last_seen_at) VALUES (?1, ?2, ?3, ?4, ?4)",
              [&](sqlite::Statement& s) {
                s.bind(1, sha256_hex(*id)).bind(2, user.email).bind(3, user.person_id).bind(4, now);
              });
  if (!stored) return Error{"cannot store the session: " + stored.error().message};
  return *id;
}

Result<std::optional<WebUser>> WebSessions::resume_session(std::string_view id, std::int64_t now,
                                                           std::int64_t idle_seconds) {
  if (!looks_like_token_secret(id)) return std::optional<WebUser>{};
  auto session = database_.session();
  auto& db = session.db();
  auto expired = execute(db, "DELETE FROM web_sessions WHERE last_seen_at < ?1",
                         [&](sqlite::Statement& s) { s.bind(1, now - idle_seconds); });
  if (!expired) return expired.error();
  auto update = sqlite::Statement::prepare(
      db,
      "UPDATE web_sessions SET last_seen_at = max(last_seen_at, ?2) WHERE session_hash = ?1 "
      "RETURNING email, person_id");
  if (!update) return update.error();
  update->bind(1, sha256_hex(id)).bind(2, now);
  return finish_with_user(*update);
}

Status WebSessions::end_session(std::string_view id) {
  if (!looks_like_token_secret(id)) return Ok{};
  auto session = database_.session();
  return execute(session.db(), "DELETE FROM web_sessions WHERE session_hash = ?1",
                 [&](sqlite::Statement& s) { s.bind(1, sha256_hex(id)); });
}

}  // namespace plancal
