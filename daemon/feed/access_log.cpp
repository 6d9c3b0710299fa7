#include "feed/access_log.h"

#include "feed/catalog.h"

namespace plancal::feed {

void AccessLog::note(const TokenRoute& route, std::int64_t now) {
  std::int64_t last = route.last_access_noted.load(std::memory_order_relaxed);
  if (now - last < kMinimumInterval) return;
  if (!route.last_access_noted.compare_exchange_strong(last, now, std::memory_order_relaxed)) {
    return;  // another thread noted this access a moment ago
  }
  const std::lock_guard lock(mutex_);
  pending_.push_back({route.token_id, now, TokenUse::Feed});
}

void AccessLog::note_page(std::int64_t token_id, std::int64_t now) {
  const std::lock_guard lock(mutex_);
  auto [last, first] = page_noted_.try_emplace(token_id, now);
  if (!first) {
    if (now - last->second < kMinimumInterval) return;
    last->second = now;
  }
  pending_.push_back({token_id, now, TokenUse::Page});
}

std::vector<TokenAccess> AccessLog::drain() {
  const std::lock_guard lock(mutex_);
  std::vector<TokenAccess> taken;
  taken.swap(pending_);
  return taken;
}

}  // namespace plancal::feed
