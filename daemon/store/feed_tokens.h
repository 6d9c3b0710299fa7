#pragma once
/// Feed tokens: the unguessable secrets in feed and page URLs, each granting one audience's
/// calendar: of one plan, or of every plan of the config in which the audience appears (a
/// personal link: one subscription, one page). Only a secret's SHA-256 is stored; the secret
/// itself leaves plancal once, when the token is made, and is never logged.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "store/database.h"

namespace plancal {

/// A feed token as listed; the secret itself is never stored.
struct FeedToken {
  std::int64_t id;
  std::string plan_id;   ///< empty: every plan of the config in which the audience appears
  std::string audience;  ///< "all", "team:A", "person:kari", ...
  std::string label;
  std::int64_t created_at;
  std::optional<std::int64_t> revoked_at;
  std::optional<std::int64_t> last_access_at;       ///< the feed's last fetch
  std::optional<std::int64_t> last_page_access_at;  ///< the page's last fetch

  [[nodiscard]] bool covers_every_plan() const { return plan_id.empty(); }
};

/// What a token was used for, for the access times `feed token list` shows.
enum class TokenUse { Feed, Page };

/// A token just made: `secret` goes into the feed URL and is shown to the user once.
struct NewFeedToken {
  FeedToken info;
  std::string secret; /* shown once, never stored */
};

namespace sqlite {
class Database;
}

/// Inserts one live token row with an already hashed secret, inside the caller's transaction
/// (the invitation store makes a token and its invitation in one commit); its id.
Result<std::int64_t> insert_token_row(sqlite::Database& db, const std::string& token_hash,
                                      const std::string& plan_id, const std::string& audience,
                                      const std::string& label, std::int64_t now);

class FeedTokens {
 public:
  explicit FeedTokens(StateDatabase database) : database_(std::move(database)) {}

  /// Makes a token for a published plan, or with an empty `plan_id` for every plan in which
  /// the audience appears (now and later). `audience` is "all", "team:K", "person:K" or
  /// "role:K" (whether K exists in a plan is the caller's check: the store keeps no rosters).
  Result<NewFeedToken> create_token(const std::string& plan_id, const std::string& audience,
                                    const std::string& label, std::int64_t now);
  /// All tokens, revoked ones included, by id.
  std::vector<FeedToken> tokens();
  /// Revokes for good; revoking a revoked token again is not an error and keeps the first time.
  Status revoke_token(std::int64_t id, std::int64_t now);
  /// The live (not revoked) token whose secret this is; looked up by hash.
  std::optional<FeedToken> find_token(std::string_view secret);
  /// Notes that the token's feed (or page) was fetched. Written at most once a minute per
  /// token and use (per FeedTokens object), so serving does not turn every request into a
  /// write.
  void record_access(std::int64_t token_id, std::int64_t now, TokenUse use = TokenUse::Feed);

 private:
  StateDatabase database_;
  /// (token id, use) -> the last access time written; used under the database session.
  std::unordered_map<std::int64_t, std::int64_t> access_written_[2];
};

}  // namespace plancal
