#include "web/rate_limit.h"

#include <algorithm>

namespace plancal::web {

namespace {
/// Past this many clients, windows that ended are dropped before a new one is added.
constexpr std::size_t kTidyAbove = 10000;
}  // namespace

void RateLimiter::drop_ended(std::int64_t now) {
  for (auto it = windows_.begin(); it != windows_.end();) {
    it = now - it->second.start >= window_seconds_ ? windows_.erase(it) : std::next(it);
  }
}

bool RateLimiter::allow(std::string_view client, std::int64_t now) {
  std::lock_guard lock(mutex_);
  if (windows_.size() > kTidyAbove) drop_ended(now);
  Window& window = windows_[std::string(client)];
  if (window.count == 0 || now - window.start >= window_seconds_) window = {now, 0};
  if (window.count >= max_requests_) return false;
  ++window.count;
  return true;
}

void RateLimiter::set_limit(int max_requests, std::int64_t window_seconds) {
  std::lock_guard lock(mutex_);
  max_requests_ = max_requests;
  window_seconds_ = window_seconds;
}

std::int64_t RateLimiter::retry_after(std::string_view client, std::int64_t now) const {
  std::lock_guard lock(mutex_);
  const auto it = windows_.find(std::string(client));
  if (it == windows_.end()) return 1;
  return std::max<std::int64_t>(1, it->second.start + window_seconds_ - now);
}

}  // namespace plancal::web
