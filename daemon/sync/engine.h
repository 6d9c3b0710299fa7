#pragma once
/// The reconcile engine: makes one remote calendar hold exactly the plan's events for its
/// audience, touching nothing it does not own. One engine serves every kind of target
/// (CalDAV, Microsoft Graph) through RemoteCalendar, and keeps its state through
/// StateStore.
///
/// A run only sequences; every decision is a pure function it calls:
///
///   1. list     ask the target what changed since the last cursor (for an unchanged
///               target that is the only request) and read it against the store's rows
///               (observation.h), fetching what must be looked at
///   2. plan     creates, updates, deletes and rows settled without a write (planner.h);
///               stop here when too many deletes (the rail) or in a dry run
///   3. log intents, 4. apply, 5. settle, 6. follow up: the Writer (writer.h) sends the
///               writes in batches, each announced in the store first and booked after the
///               answer (settlement.h), so a run killed anywhere loses no progress and the
///               next run converges
///   7. save the cursor past this run's writes, and record the run (ledger.h)

#include <vector>

#include "base/clock.h"
#include "sync/ledger.h"
#include "sync/observer.h"
#include "sync/remote_calendar.h"
#include "sync/remote_change_policy.h"
#include "sync/report.h"
#include "sync/state_store.h"

namespace plancal::sync {

struct EngineOptions {
  RemoteChangePolicy on_remote_change = RemoteChangePolicy::Restore;
  double max_delete_share = 0.5;
  bool allow_mass_delete = false;
  bool dry_run = false;  ///< plan only: no write to the target or the store
};

/// Reconciles one target. `desired` is every event the audience should see (active events
/// only); hashes are filled in by the engine through remote.content_hash. `observer`
/// (nullptr: none) hears how far the run has come.
[[nodiscard]] SyncReport reconcile(const TargetIdentity& target, std::vector<DesiredEvent> desired,
                                   RemoteCalendar& remote, StateStore& state, const Clock& clock,
                                   const EngineOptions& options, SyncObserver* observer = nullptr);

}  // namespace plancal::sync
