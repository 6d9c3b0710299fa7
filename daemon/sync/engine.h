#pragma once
/// The reconcile engine: makes one remote calendar hold exactly the plan's events for its
/// audience, touching nothing it does not own. One engine serves every kind of target
/// (CalDAV, Microsoft Graph) through RemoteCalendar.
///
/// A run: (1) ask the target what changed since the last cursor — for an unchanged target
/// that is the only request; (2) settle what the store knows against that: resources
/// someone else edited or deleted, writes a killed run may or may not have made; (3) plan
/// creates, updates and deletes, and stop before writing if too many deletes; (4) write,
/// recording an intent in the store before each write and the result after it, so a run
/// killed anywhere loses no progress and the next run converges.

#include <cstdint>
#include <string>
#include <vector>

#include "base/clock.h"
#include "store/sync_state_store.h"
#include "sync/remote_calendar.h"
#include "sync/remote_change_policy.h"

namespace plancal::sync {

struct EngineOptions {
  RemoteChangePolicy on_remote_change = RemoteChangePolicy::Restore;
  double max_delete_share = 0.5;
  bool allow_mass_delete = false;
  bool dry_run = false;  ///< plan only: no write to the target or the store
};

/// One change the run made (or, in a dry run, would make).
struct PlannedChange {
  OperationKind kind = OperationKind::Create;
  std::string uid;
  std::string summary;  ///< the event's summary, for people reading a dry run
  std::string reason;   ///< "new", "changed in the plan", "removed from the plan", ...
};

struct SyncReport {
  std::string target;
  std::string result = "ok";  ///< "ok", "partial" (some events failed), "failed", "stopped"
  int created = 0, updated = 0, deleted = 0, restored = 0, adopted = 0, unchanged = 0;
  int conflicts = 0;  ///< remote edits/deletions of plancal events seen in this run
  int failed = 0;     ///< events that could not be written (reported in `problems`)
  int requests = 0;   ///< HTTP requests this run made
  std::vector<PlannedChange> changes;
  std::vector<std::string> problems;  ///< one line each, free of secrets
  [[nodiscard]] bool ok() const { return result == "ok"; }
};

/// Identifies the target in the store and says where it points: a changed endpoint means a
/// different calendar, so what the store knew about the old one is forgotten.
struct TargetIdentity {
  std::string key;       ///< store key: the target name, or "name/person" for per-person targets
  std::string endpoint;  ///< configured URL or mailbox
};

/// Reconciles one target. `desired` is every event the audience should see (active events
/// only); hashes are filled in by the engine through remote.content_hash.
[[nodiscard]] SyncReport reconcile(const TargetIdentity& target, std::vector<DesiredEvent> desired,
                                   RemoteCalendar& remote, SyncStateStore& store,
                                   const Clock& clock, const EngineOptions& options);

}  // namespace plancal::sync
