#pragma once
/// A per-client-address limit on form posts (anti-abuse without third parties): at most
/// `max_requests` in each window of `window_seconds`; past it the caller answers 429 with
/// Retry-After. Thread-safe; memory stays bounded because windows that ended are dropped.

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace plancal::web {

class RateLimiter {
 public:
  RateLimiter(int max_requests, std::int64_t window_seconds)
      : max_requests_(max_requests), window_seconds_(window_seconds) {}

  /// Counts one request from `client` at `now`; false when it is over the limit.
  [[nodiscard]] bool allow(std::string_view client, std::int64_t now);

  /// A new limit (a reloaded config), from the next request on; counts so far are kept.
  void set_limit(int max_requests, std::int64_t window_seconds);

  /// Seconds until `client` may post again (for Retry-After); at least 1.
  [[nodiscard]] std::int64_t retry_after(std::string_view client, std::int64_t now) const;

 private:
  struct Window {
    std::int64_t start = 0;
    int count = 0;
  };
  void drop_ended(std::int64_t now);

  int max_requests_;             ///< guarded by mutex_
  std::int64_t window_seconds_;  ///< guarded by mutex_
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;  ///< guarded by mutex_
};

}  // namespace plancal::web
