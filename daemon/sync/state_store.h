#pragma once
/// StateStore: what the reconcile engine needs from the state store, and nothing more.
///
/// The engine remembers per target which remote resource holds each plancal event (SyncItem)
/// and where the last run left off (TargetSyncState), and writes an intent row before every
/// remote write so that a run killed anywhere is settled by the next one (store/sync_state.h
/// says how). Declaring the handful of calls here keeps the engine testable with an
/// in-memory store (tests/test_doubles.h) and keeps every call into daemon/store in one
/// adapter (sync/store_adapter.h).
///
/// Implementations must allow calls from several target runs at once: the engine runs
/// targets in parallel over one store.

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/sync_state.h"

namespace plancal::sync {

/// Identifies the target in the store and says where it points: a changed endpoint means a
/// different calendar, so what the store knew about the old one is forgotten; a changed
/// account means the calendar must be found again (starting_point.h).
struct TargetIdentity {
  std::string key;        ///< store key: the target name, or "name/person" for per-person targets
  std::string endpoint;   ///< configured URL or mailbox
  std::string account{};  ///< the account plancal writes as (CalDAV username); "" when none
};

class StateStore {
 public:
  virtual ~StateStore() = default;
  StateStore() = default;
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  /// Where the target's last run left off; nullopt before its first sync.
  [[nodiscard]] virtual std::optional<TargetSyncState> target_state(const std::string& target) = 0;
  [[nodiscard]] virtual Status save_target_state(const TargetSyncState& state) = 0;
  /// Forgets a target's items and state (its endpoint changed: a different calendar).
  [[nodiscard]] virtual Status reset_target(const std::string& target) = 0;

  /// Every item of the target, sorted by uid.
  [[nodiscard]] virtual std::vector<SyncItem> sync_items(const std::string& target) = 0;
  /// Inserts or replaces the item (target, item.uid); on disk before it returns, since an
  /// intent must be there before the write it announces.
  [[nodiscard]] virtual Status put_sync_item(const std::string& target, const SyncItem& item) = 0;
  /// Inserts or replaces every item, on disk before it returns, like put_sync_item. A store
  /// that can writes them in one transaction: one commit for the intents (or the answers) of
  /// a batch of writes, instead of one per item. The default puts them one by one.
  [[nodiscard]] virtual Status put_sync_items(const std::string& target,
                                              const std::vector<SyncItem>& items) {
    for (const SyncItem& item : items) {
      if (auto done = put_sync_item(target, item); !done) return done;
    }
    return Ok{};
  }
  [[nodiscard]] virtual Status delete_sync_item(const std::string& target,
                                                const std::string& uid) = 0;

  /// Appends a finished run, for `plancal status`.
  [[nodiscard]] virtual Status record_sync_run(const SyncRun& run) = 0;
};

}  // namespace plancal::sync
