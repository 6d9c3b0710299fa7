#pragma once
/// expand_plan's occurrences one at a time, for outputs too large to hold whole: `plancal
/// export` of years of a large plan writes 100,000 events, and held together with their
/// content the occurrences alone take 4 KB each.

#include <cstdint>
#include <functional>
#include <vector>

#include "expand/occurrence.h"
#include "plan/model.h"

namespace plancal {

/// Every occurrence of the plan, as expand_plan makes them but in the order the programmes
/// make them (not sorted), each handed to `out` and not kept.
void expand_plan_unordered(const Plan& plan, const std::function<void(Occurrence&&)>& out);

/// expand_plan's occurrences handed out one at a time in its order (start, then UID), never
/// all held: the plan is expanded twice, the first time keeping of each chosen occurrence only
/// its place in the order, the second time handing them out in it. An occurrence made before
/// its turn waits until then: none do when the programmes make them in order (one rotation or
/// series), at worst all would, as expand_plan holds them. `plan` must outlive the stream and
/// stay unchanged.
class OccurrenceStream {
 public:
  using Keep = std::function<bool(const Occurrence&)>;
  using Visit = std::function<void(const Occurrence&)>;

  /// The first expansion: `keep` chooses what is handed out (everything when empty); `seen`
  /// gets each chosen occurrence as it is made, not in order, for what must be known before
  /// the first one is handed out (a calendar's years).
  explicit OccurrenceStream(const Plan& plan, const Keep& keep = {}, const Visit& seen = {});

  /// How many occurrences for_each hands out.
  [[nodiscard]] std::size_t size() const { return size_; }

  /// The second expansion: each chosen occurrence to `visit`, in expand_plan's order.
  void for_each(const Visit& visit) const;

 private:
  static constexpr std::uint32_t kNotKept = UINT32_MAX;

  const Plan* plan_;
  std::vector<std::uint32_t> rank_;  ///< by position made: place in the order, or kNotKept
  std::size_t size_ = 0;
};

}  // namespace plancal
