#pragma once
/// Last-access recording for feed tokens (their feeds and their pages), kept off the request
/// path: a request notes the access in memory (at most once a minute per token and use), and
/// the daemon's main loop writes the notes to the store in one go.

#include <cstdint>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "store/feed_tokens.h"

namespace plancal::feed {

struct TokenRoute;

struct TokenAccess {
  std::int64_t token_id = 0;
  std::int64_t at = 0;  ///< Unix seconds
  TokenUse use = TokenUse::Feed;
};

class AccessLog {
 public:
  static constexpr std::int64_t kMinimumInterval = 60;  ///< seconds between notes per token

  /// Notes a feed access to `route` at `now` unless one was noted less than a minute ago
  /// (decided by one atomic compare on the route: the feed path takes no lock).
  void note(const TokenRoute& route, std::int64_t now);
  /// Notes a page access of token `token_id`, with the same once-a-minute rule.
  void note_page(std::int64_t token_id, std::int64_t now);
  /// The accesses noted since the last call, oldest first.
  [[nodiscard]] std::vector<TokenAccess> drain();

 private:
  std::mutex mutex_;
  std::vector<TokenAccess> pending_;
  std::map<std::int64_t, std::int64_t> page_noted_;  ///< token id -> last page note
};

}  // namespace plancal::feed
