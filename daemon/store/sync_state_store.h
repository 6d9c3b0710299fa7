#pragma once
/// What the state database keeps for push targets (the rows of store/sync_state.h): which
/// remote resource holds each plancal event, the intents written before each remote write,
/// each target's cursor, and the outcome of every sync run.
///
/// Every write is committed before the call returns, so the engine's intent rows are on disk
/// before the remote writes they announce.

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/database.h"
#include "store/sync_state.h"

namespace plancal {

class SyncStateStore {
 public:
  explicit SyncStateStore(StateDatabase database) : database_(std::move(database)) {}

  /// Every item of the target, by uid.
  std::vector<SyncItem> sync_items(const std::string& target);
  /// Inserts or replaces the item (target, item.uid).
  Status put_sync_item(const std::string& target, const SyncItem& item);
  /// Inserts or replaces every item in one transaction: all or none. One commit for the
  /// intents (or the answers) of a whole batch of writes, instead of one per item.
  Status put_sync_items(const std::string& target, const std::vector<SyncItem>& items);
  Status delete_sync_item(const std::string& target, const std::string& uid);
  /// nullopt before the first sync of the target.
  std::optional<TargetSyncState> target_state(const std::string& target);
  Status save_target_state(const TargetSyncState& state);
  /// Forgets a target's items and state (its endpoint changed: a different calendar).
  Status reset_target(const std::string& target);
  Status record_sync_run(const SyncRun& run);
  /// The newest run of each target, by target name.
  std::vector<SyncRun> last_sync_runs();

 private:
  StateDatabase database_;
};

}  // namespace plancal
