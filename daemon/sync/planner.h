#pragma once
/// The reconcile decisions, as a pure function: what the plan wants, what the store
/// remembers and what was observed in the target -> which writes to make and which store
/// rows to settle without a write. Kept apart from I/O so every rule is tested directly.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "store/sync_state.h"
#include "sync/engine.h"
#include "sync/remote_calendar.h"
#include "sync/remote_change_policy.h"

namespace plancal::sync {

/// What the engine saw of one plancal event in the target during this run.
struct Observation {
  enum class Kind {
    Unchanged,  ///< the resource is as the store remembers it (same version)
    Gone,       ///< no such resource
    Present,    ///< the resource exists; `event` is its current state (fetched)
  };
  Kind kind = Kind::Unchanged;
  RemoteEvent event;
};

/// An operation with what it is for, so results can be booked and reported.
struct PlannedOperation {
  Operation operation;
  PlannedChange change;
  SyncItem before;        ///< the row before the write (empty uid: there was none)
  bool restores = false;  ///< puts back an event someone edited or deleted
};

struct SyncPlan {
  std::vector<PlannedOperation> writes;
  std::vector<SyncItem> settle;     ///< rows to store as they are, no write needed
  std::vector<std::string> forget;  ///< uids whose rows go, no write needed
  int unchanged = 0, adopted = 0, conflicts = 0;
  std::vector<std::string> notes;  ///< remote edits and deletions seen, for the log
  [[nodiscard]] int deletes() const;
};

struct PlannerInput {
  const std::vector<DesiredEvent>* desired = nullptr;
  const std::vector<SyncItem>* items = nullptr;
  const std::map<std::string, Observation>* observed = nullptr;  ///< by uid
  RemoteChangePolicy policy = RemoteChangePolicy::Restore;
  std::function<std::string(const std::string& uid)> ref_for_new;
  std::int64_t now = 0;
};

[[nodiscard]] SyncPlan plan_sync(const PlannerInput& input);

/// Whether a fetched resource holds what plancal wrote there (the server may have changed
/// its version without changing what it says), given the row's hashes.
[[nodiscard]] bool holds_what_was_written(const RemoteEvent& event, const SyncItem& item);

}  // namespace plancal::sync
