#pragma once
/// Counters for /metrics in the Prometheus text format (version 0.0.4). Lock-free on the
/// request path: a request costs one relaxed atomic increment.

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace plancal::feed {

class CatalogSnapshot;

class Metrics {
 public:
  /// Counts one answered request by HTTP status (100..599; anything else counts as 500).
  void count_request(int status);
  /// Counts feeds rendered by a catalog build.
  void count_renders(std::size_t rendered);

  [[nodiscard]] std::uint64_t requests(int status) const;
  [[nodiscard]] std::uint64_t renders() const;

  /// The exposition text: requests by status, renders, and events, size and tokens per feed
  /// of `snapshot` (labelled "<plan>/<audience>", never by token). `snapshot` may be null.
  [[nodiscard]] std::string exposition(const CatalogSnapshot* snapshot) const;

 private:
  static constexpr int kFirstStatus = 100;
  static constexpr int kLastStatus = 599;
  std::array<std::atomic<std::uint64_t>, kLastStatus - kFirstStatus + 1> requests_{};
  std::atomic<std::uint64_t> renders_{0};
};

}  // namespace plancal::feed
