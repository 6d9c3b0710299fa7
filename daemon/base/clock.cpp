#include "base/clock.h"

#include <chrono>

namespace plancal {

std::int64_t SystemClock::now_unix() const {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count();
}

}  // namespace plancal
