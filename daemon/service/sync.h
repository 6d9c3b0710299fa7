#pragma once
/// The sync step: the published events in the store -> every configured push target.
///
/// Each config target becomes one or more TargetInstances (sync_targets.h: one remote
/// calendar each), and each instance is reconciled by the shared engine. One failing target
/// never stops the others. A plan that has errors (or was never published) is not synced:
/// its targets keep what they have, so a typo never withdraws meetings from anyone's
/// calendar.

#include <string>
#include <vector>

#include "base/clock.h"
#include "config/config.h"
#include "store/published_events.h"
#include "store/sync_state_store.h"
#include "sync/engine.h"
#include "sync/observer.h"

namespace plancal {

struct SyncRequest {
  std::string only_target;  ///< "" = every target
  bool dry_run = false;
  bool allow_mass_delete = false;
};

struct SyncSummary {
  std::vector<sync::SyncReport> reports;  ///< one per target instance, in config order
  std::vector<std::string> errors;        ///< targets that could not start (config, secret, plan)
  [[nodiscard]] bool ok() const;
};

/// Syncs every target (or request.only_target) of the config from the store, loading each
/// target's plan from the config's plan files for its roster. `observer` (nullptr: none)
/// hears how far the sync has come, from several threads.
[[nodiscard]] SyncSummary sync_all(const Config& config, PublishedEvents& published,
                                   SyncStateStore& sync_state, const Clock& clock,
                                   const SyncRequest& request,
                                   sync::SyncObserver* observer = nullptr);

/// Logs each target's outcome through spdlog (for the daemon).
void log_sync_summary(const SyncSummary& summary);

}  // namespace plancal
