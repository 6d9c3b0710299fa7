#pragma once
/// The sync step: the published events in the store -> every configured push target.
///
/// Each config target becomes one or more TargetInstances (one remote calendar each: a
/// CalDAV collection, or one mailbox per person for a per-person Graph target), and each
/// instance is reconciled by the shared engine. One failing target never stops the others.
/// A plan that has errors (or was never published) is not synced: its targets keep what
/// they have, so a typo never withdraws meetings from anyone's calendar.

#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "config/config.h"
#include "plan/model.h"
#include "store/published_events.h"
#include "store/sync_state_store.h"
#include "sync/engine.h"
#include "sync/remote_calendar.h"

namespace plancal {

/// One remote calendar a config target stands for.
struct TargetInstance {
  sync::TargetIdentity identity;
  std::string audience;  ///< whose events: "all", "team:A", "person:kari", ...
  std::unique_ptr<sync::RemoteCalendar> remote;
};

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
/// target's plan from the config's plan files for its roster.
[[nodiscard]] SyncSummary sync_all(const Config& config, PublishedEvents& published,
                                   SyncStateStore& sync_state, const Clock& clock,
                                   const SyncRequest& request);

/// Logs each target's outcome through spdlog (for the daemon).
void log_sync_summary(const SyncSummary& summary);

}  // namespace plancal
