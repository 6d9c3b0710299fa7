#include "feed/token_resolver.h"

#include <mutex>

#include "store/secrets.h"

namespace plancal::feed {

std::optional<std::int64_t> TokenResolver::resolve(std::string_view secret) {
  if (!looks_like_token_secret(secret)) return std::nullopt;
  const std::string hash = sha256_hex(secret);
  {
    const std::shared_lock lock(mutex_);
    const auto found = ids_by_hash_.find(hash);
    if (found != ids_by_hash_.end()) return found->second;
  }
  const auto token = look_up(secret);
  if (!token) return std::nullopt;
  const std::unique_lock lock(mutex_);
  ids_by_hash_.emplace(hash, token->id);
  return token->id;
}

std::optional<FeedToken> TokenResolver::look_up(std::string_view secret) const {
  if (!looks_like_token_secret(secret) || !lookup_) return std::nullopt;
  return lookup_(secret);
}

}  // namespace plancal::feed
