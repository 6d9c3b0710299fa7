#pragma once
/// Feed tokens: the unguessable secrets in feed URLs, each granting one plan's feed for one
/// audience. Only a secret's SHA-256 is stored; the secret itself leaves plancal once, when
/// the token is made, and is never logged.

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
  std::string plan_id;
  std::string audience;  ///< "all", "team:A", "person:kari", ...
  std::string label;
  std::int64_t created_at;
  std::optional<std::int64_t> revoked_at, last_access_at;
};

/// A token just made: `secret` goes into the feed URL and is shown to the user once.
struct NewFeedToken {
  FeedToken info;
  std::string secret; /* shown once, never stored */
};

class FeedTokens {
 public:
  explicit FeedTokens(StateDatabase database) : database_(std::move(database)) {}

  /// Makes a token for a published plan. `audience` is "all", "team:K", "person:K" or "role:K"
  /// (whether K exists in the plan is the caller's check: the store does not keep rosters).
  Result<NewFeedToken> create_token(const std::string& plan_id, const std::string& audience,
                                    const std::string& label, std::int64_t now);
  /// All tokens, revoked ones included, by id.
  std::vector<FeedToken> tokens();
  /// Revokes for good; revoking a revoked token again is not an error and keeps the first time.
  Status revoke_token(std::int64_t id, std::int64_t now);
  /// The live (not revoked) token whose secret this is; looked up by hash.
  std::optional<FeedToken> find_token(std::string_view secret);
  /// Notes that the token was used. Written at most once a minute per token (per
  /// FeedTokens object), so serving a feed does not turn every request into a write.
  void record_access(std::int64_t token_id, std::int64_t now);

 private:
  StateDatabase database_;
  /// token id -> the last access time written; used under the database session.
  std::unordered_map<std::int64_t, std::int64_t> access_written_;
};

}  // namespace plancal
