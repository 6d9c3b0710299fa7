#pragma once
/// From a feed URL's secret to its token id, asking the store only the first time a secret
/// is seen. The cache is keyed by the secret's SHA-256 (the secret itself is not kept) and
/// only remembers secrets the store confirmed, so junk tokens cannot fill it. Whether a known
/// token is still live is the catalog's business: revoked tokens have no route there.

#include <cstdint>
#include <functional>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/feed_tokens.h"

namespace plancal::feed {

class TokenResolver {
 public:
  /// Looks a secret up in the store (FeedTokens::find_token); must be thread-safe.
  using Lookup = std::function<std::optional<FeedToken>(std::string_view secret)>;

  explicit TokenResolver(Lookup lookup) : lookup_(std::move(lookup)) {}

  /// The id of the token with this secret: from the cache, else from the store (and then
  /// cached); nullopt for an unknown or revoked one.
  [[nodiscard]] std::optional<std::int64_t> resolve(std::string_view secret);

  /// Asks the store directly, bypassing the cache: for the rare case where a cached token
  /// has no feed (just revoked, or just created).
  [[nodiscard]] std::optional<FeedToken> look_up(std::string_view secret) const;

 private:
  Lookup lookup_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::int64_t> ids_by_hash_;
};

}  // namespace plancal::feed
