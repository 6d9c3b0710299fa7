#pragma once
/// StoreSyncState: the engine's StateStore over plancal's SQLite store. The only place in
/// daemon/sync that calls into daemon/store, so a change to the store's classes touches this
/// file alone.

#include "store/sync_state_store.h"
#include "sync/state_store.h"

namespace plancal::sync {

class StoreSyncState final : public StateStore {
 public:
  /// `store` must outlive this adapter.
  explicit StoreSyncState(plancal::SyncStateStore& store) : store_(store) {}

  [[nodiscard]] std::optional<TargetSyncState> target_state(const std::string& target) override;
  [[nodiscard]] Status save_target_state(const TargetSyncState& state) override;
  [[nodiscard]] Status reset_target(const std::string& target) override;
  [[nodiscard]] std::vector<SyncItem> sync_items(const std::string& target) override;
  [[nodiscard]] Status put_sync_item(const std::string& target, const SyncItem& item) override;
  [[nodiscard]] Status put_sync_items(const std::string& target,
                                      const std::vector<SyncItem>& items) override;
  [[nodiscard]] Status delete_sync_item(const std::string& target, const std::string& uid) override;
  [[nodiscard]] Status record_sync_run(const SyncRun& run) override;

 private:
  plancal::SyncStateStore& store_;
};

}  // namespace plancal::sync
