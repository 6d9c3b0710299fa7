#pragma once
/// Last-access recording for feed tokens, kept off the request path: a request notes the
/// access in memory (at most once a minute per token, decided by one atomic compare), and
/// the daemon's main loop writes the notes to the store in one go.

#include <cstdint>
#include <mutex>
#include <vector>

namespace plancal::feed {

struct TokenRoute;

struct TokenAccess {
  std::int64_t token_id = 0;
  std::int64_t at = 0;  ///< Unix seconds
};

class AccessLog {
 public:
  static constexpr std::int64_t kMinimumInterval = 60;  ///< seconds between notes per token

  /// Notes an access to `route` at `now` unless one was noted less than a minute ago.
  void note(const TokenRoute& route, std::int64_t now);
  /// The accesses noted since the last call, oldest first.
  [[nodiscard]] std::vector<TokenAccess> drain();

 private:
  std::mutex mutex_;
  std::vector<TokenAccess> pending_;
};

}  // namespace plancal::feed
