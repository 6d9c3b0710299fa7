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
  pending_.push_back({route.token_id, now});
}

std::vector<TokenAccess> AccessLog::drain() {
  const std::lock_guard lock(mutex_);
  std::vector<TokenAccess> taken;
  taken.swap(pending_);
  return taken;
}

}  // namespace plancal::feed
