#include "sync/starting_point.h"

#include <algorithm>

namespace plancal::sync {

StartingPoint starting_point(const std::optional<TargetSyncState>& known,
                             const TargetIdentity& target, const std::vector<SyncItem>& rows) {
  StartingPoint start;
  for (const auto& row : rows) start.last_attempt = std::max(start.last_attempt, row.attempt);
  if (!known) return start;
  start.last_attempt = std::max(start.last_attempt, known->last_attempt);
  if (known->endpoint != target.endpoint) {
    start.forget = true;
    return start;
  }
  start.cursor = known->cursor;
  // An account that was never recorded (a state saved before plancal recorded it) is taken
  // to be this one: it is recorded at the end of this run.
  if (!known->account.empty() && known->account != target.account) {
    start.rediscover = true;
    return start;
  }
  start.collection = known->collection;
  return start;
}

bool keeps_rows(const std::string& known_collection, const std::string& found) {
  return !found.empty() && found == known_collection;
}

}  // namespace plancal::sync
