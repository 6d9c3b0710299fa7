#include "expand/stream.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>

namespace plancal {

namespace {

/// An occurrence's place in expand_plan's order: start, then UID, then the order the
/// programmes made it in (expand_plan breaks ties the same way).
struct StreamOrderKey {
  LocalDateTime start;
  std::string uid;
  std::uint32_t made = 0;

  bool operator<(const StreamOrderKey& other) const {
    return std::tie(start, uid, made) < std::tie(other.start, other.uid, other.made);
  }
};

}  // namespace

OccurrenceStream::OccurrenceStream(const Plan& plan, const Keep& keep, const Visit& seen)
    : plan_(&plan) {
  std::vector<StreamOrderKey> keys;
  std::uint32_t made = 0;
  expand_plan_unordered(plan, [&](Occurrence&& o) {
    const std::uint32_t position = made++;
    if (keep && !keep(o)) return;
    if (seen) seen(o);
    keys.push_back(StreamOrderKey{o.start, std::move(o.uid), position});
  });
  std::sort(keys.begin(), keys.end());
  rank_.assign(made, kNotKept);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    rank_[keys[i].made] = static_cast<std::uint32_t>(i);
  }
  size_ = keys.size();
}

void OccurrenceStream::for_each(const Visit& visit) const {
  std::map<std::uint32_t, Occurrence> waiting;  ///< made before their turn, by place
  std::uint32_t next = 0;
  std::uint32_t made = 0;
  expand_plan_unordered(*plan_, [&](Occurrence&& o) {
    const std::uint32_t rank = rank_[made++];
    if (rank == kNotKept) return;
    if (rank != next) {
      waiting.emplace(rank, std::move(o));
      return;
    }
    visit(o);
    ++next;
    for (auto at = waiting.begin(); at != waiting.end() && at->first == next;
         at = waiting.erase(at)) {
      visit(at->second);
      ++next;
    }
  });
}

}  // namespace plancal
