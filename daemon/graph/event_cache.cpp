#include "graph/event_cache.h"

namespace plancal::graph {

SharedEvent build_event(const Occurrence& occurrence,
                        const std::optional<PreparationAlarm>& alarm) {
  return std::make_shared<const Result<GraphEvent>>(to_graph_event(occurrence, alarm));
}

SharedEvent EventCache::event(const Occurrence& occurrence) {
  {
    const std::lock_guard lock(mutex_);
    const auto found = events_.find(&occurrence);
    if (found != events_.end()) return found->second;
  }
  // Built outside the lock; two threads may build the same event, and the first one kept wins.
  SharedEvent built = build_event(occurrence, alarm_);
  const std::lock_guard lock(mutex_);
  return events_.emplace(&occurrence, std::move(built)).first->second;
}

std::size_t EventCache::size() {
  const std::lock_guard lock(mutex_);
  return events_.size();
}

}  // namespace plancal::graph
