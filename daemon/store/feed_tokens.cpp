// FeedTokens. Only the SHA-256 of a secret is written; the secret leaves this file once, in
// NewFeedToken, and is never logged or put in an error message.

#include "store/feed_tokens.h"

#include "store/query.h"
#include "store/secrets.h"

namespace plancal {

namespace {

/// Access times are written with this resolution (seconds).
constexpr std::int64_t kAccessResolution = 60;

constexpr std::string_view kTokenColumns =
    "id, coalesce(plan_id, ''), audience, label, created_at, revoked_at, last_access_at, "
    "last_page_access_at, token_hash";
constexpr int kHashColumn = 8;

FeedToken read_token(const sqlite::Statement& row) {
  return FeedToken{row.int64(0),          row.text(1),          row.text(2),
                   row.text(3),           row.int64(4),         row.optional_int64(5),
                   row.optional_int64(6), row.optional_int64(7)};
}

bool is_valid_audience(std::string_view audience) {
  if (audience == "all") return true;
  for (std::string_view prefix : {"team:", "person:", "role:"}) {
    if (audience.size() > prefix.size() && audience.substr(0, prefix.size()) == prefix) {
      return true;
    }
  }
  return false;
}

Result<bool> plan_is_published(sqlite::Database& db, const std::string& plan_id) {
  auto query = sqlite::Statement::prepare(db, "SELECT 1 FROM plans WHERE plan_id = ?1");
  if (!query) return query.error();
  query->bind(1, plan_id);
  return query->step();
}

}  // namespace

Result<std::int64_t> insert_token_row(sqlite::Database& db, const std::string& token_hash,
                                      const std::string& plan_id, const std::string& audience,
                                      const std::string& label, std::int64_t now) {
  auto insert = sqlite::Statement::prepare(
      db,
      "INSERT INTO feed_tokens (token_hash, plan_id, audience, label, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!insert) return insert.error();
  insert->bind(1, token_hash).bind(3, audience).bind(4, label).bind(5, now);
  if (plan_id.empty()) {
    insert->bind_null(2);  // every plan
  } else {
    insert->bind(2, plan_id);
  }
  if (auto done = insert->run(); !done) {
    return Error{"cannot store the token: " + done.error().message};
  }
  return db.last_insert_rowid();
}

Result<NewFeedToken> FeedTokens::create_token(const std::string& plan_id,
                                              const std::string& audience, const std::string& label,
                                              std::int64_t now) {
  if (!is_valid_audience(audience)) {
    return Error{"invalid audience '" + audience + "': use all, team:KEY, person:ID or role:KEY"};
  }
  auto session = database_.session();
  if (!plan_id.empty()) {
    auto published = plan_is_published(session.db(), plan_id);
    if (!published) return published.error();
    if (!*published) {
      return Error{"plan '" + plan_id + "' has not been published: run `plancal publish` first"};
    }
  }
  auto secret = generate_token_secret();
  if (!secret) return secret.error();
  auto id = insert_token_row(session.db(), sha256_hex(*secret), plan_id, audience, label, now);
  if (!id) return id.error();
  FeedToken info{*id, plan_id, audience, label, now, std::nullopt, std::nullopt, std::nullopt};
  return NewFeedToken{std::move(info), std::move(*secret)};
}

std::vector<FeedToken> FeedTokens::tokens() {
  auto session = database_.session();
  std::vector<FeedToken> tokens;
  auto query = sqlite::Statement::prepare(
      session.db(), "SELECT " + std::string(kTokenColumns) + " FROM feed_tokens ORDER BY id");
  if (!query) {
    log_store_error("reading feed tokens", query.error());
    return tokens;
  }
  for (;;) {
    auto row = query->step();
    if (!row) log_store_error("reading feed tokens", row.error());
    if (!row || !*row) break;
    tokens.push_back(read_token(*query));
  }
  return tokens;
}

Status FeedTokens::revoke_token(std::int64_t id, std::int64_t now) {
  auto session = database_.session();
  auto update = sqlite::Statement::prepare(
      session.db(), "UPDATE feed_tokens SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1");
  if (!update) return update.error();
  update->bind(1, id).bind(2, now);
  if (auto done = update->run(); !done) return done.error();
  if (session.db().changes() == 0) {
    return Error{"there is no feed token with id " + std::to_string(id)};
  }
  return Ok{};
}

std::optional<FeedToken> FeedTokens::find_token(std::string_view secret) {
  if (!looks_like_token_secret(secret)) return std::nullopt;
  const std::string hash = sha256_hex(secret);
  auto session = database_.session();
  auto query = sqlite::Statement::prepare(
      session.db(), "SELECT " + std::string(kTokenColumns) +
                        " FROM feed_tokens WHERE token_hash = ?1 AND revoked_at IS NULL");
  if (!query) {
    log_store_error("looking up a feed token", query.error());
    return std::nullopt;
  }
  query->bind(1, hash);
  auto row = query->step();
  if (!row) log_store_error("looking up a feed token", row.error());
  if (!row || !*row || !constant_time_equal(query->text(kHashColumn), hash)) return std::nullopt;
  return read_token(*query);
}

void FeedTokens::record_access(std::int64_t token_id, std::int64_t now, TokenUse use) {
  auto session = database_.session();
  const bool page = use == TokenUse::Page;
  auto& written = access_written_[page ? 1 : 0][token_id];
  if (written != 0 && now >= written && now - written < kAccessResolution) return;
  auto update = sqlite::Statement::prepare(
      session.db(), page ? "UPDATE feed_tokens SET last_page_access_at = ?2 WHERE id = ?1"
                         : "UPDATE feed_tokens SET last_access_at = ?2 WHERE id = ?1");
  if (!update) {
    log_store_error("recording a feed access", update.error());
    return;
  }
  update->bind(1, token_id).bind(2, now);
  if (auto done = update->run(); !done) {
    log_store_error("recording a feed access", done.error());
    return;
  }
  written = now;
}

}  // namespace plancal
