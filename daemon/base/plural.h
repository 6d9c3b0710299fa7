#pragma once
/// Counts in text people read: "1 request", "2 requests", "0 conflicts".

#include <cstdint>
#include <string>
#include <string_view>

namespace plancal {

/// `count` followed by `one` when it is exactly 1, else by `many`.
[[nodiscard]] inline std::string counted(std::int64_t count, std::string_view one,
                                         std::string_view many) {
  return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

}  // namespace plancal
