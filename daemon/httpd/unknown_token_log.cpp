#include "httpd/unknown_token_log.h"

#include <spdlog/spdlog.h>

namespace plancal::httpd {

void UnknownTokenLog::note(std::string_view client, std::int64_t now_unix) {
  std::int64_t last = last_logged_.load(std::memory_order_relaxed);
  if (now_unix == last || !last_logged_.compare_exchange_strong(last, now_unix)) {
    suppressed_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const auto also = suppressed_.exchange(0, std::memory_order_relaxed);
  if (also == 0) {
    spdlog::warn("unknown {} (client {})", kind_, client);
  } else {
    spdlog::warn("unknown {} (client {}; {} more unknown-token requests not logged)", kind_, client,
                 also);
  }
}

}  // namespace plancal::httpd
