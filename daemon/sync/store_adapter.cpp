#include "sync/store_adapter.h"

namespace plancal::sync {

std::optional<TargetSyncState> StoreSyncState::target_state(const std::string& target) {
  return store_.target_state(target);
}

Status StoreSyncState::save_target_state(const TargetSyncState& state) {
  return store_.save_target_state(state);
}

Status StoreSyncState::reset_target(const std::string& target) {
  return store_.reset_target(target);
}

std::vector<SyncItem> StoreSyncState::sync_items(const std::string& target) {
  return store_.sync_items(target);
}

Status StoreSyncState::put_sync_item(const std::string& target, const SyncItem& item) {
  return store_.put_sync_item(target, item);
}

Status StoreSyncState::put_sync_items(const std::string& target,
                                      const std::vector<SyncItem>& items) {
  return store_.put_sync_items(target, items);
}

Status StoreSyncState::delete_sync_item(const std::string& target, const std::string& uid) {
  return store_.delete_sync_item(target, uid);
}

Status StoreSyncState::record_sync_run(const SyncRun& run) { return store_.record_sync_run(run); }

}  // namespace plancal::sync
