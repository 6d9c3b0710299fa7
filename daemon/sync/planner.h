#pragma once
/// The reconcile decisions before any write, as pure functions: what the plan wants, what
/// the store remembers and what was observed in the target -> which writes to make and which
/// store rows to settle without a write; and whether the mass-delete rail stops the run.
/// What each write's answer means is decided in settlement.h. Kept apart from I/O so every
/// rule is tested directly (tests/unit/sync_planner_test.cpp).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sync/observation.h"
#include "sync/remote_calendar.h"
#include "sync/remote_change_policy.h"
#include "sync/report.h"
#include "sync/state_store.h"

namespace plancal::sync {

/// An operation with what it is for, so results can be booked and reported.
struct PlannedOperation {
  Operation operation;
  PlannedChange change;
  SyncItem before;        ///< the row before the write (empty uid: there was none)
  bool restores = false;  ///< puts back an event someone edited or deleted
  /// A create that is a new attempt, not a retry of the one `before` announced: it gets the
  /// next attempt number when its intent is logged (RunLedger::next_attempt), so that
  /// operation.attempt differs from every earlier create's.
  bool new_attempt = false;
};

struct SyncPlan {
  std::vector<PlannedOperation> writes;
  std::vector<SyncItem> settle;     ///< rows to store as they are, no write needed
  std::vector<std::string> forget;  ///< uids whose rows go, no write needed
  int unchanged = 0, adopted = 0, conflicts = 0;
  /// Writes a killed run made and never booked, settled now from their intents: counted where
  /// they are settled, so that a rerun's counts add up to the target's events.
  int created = 0, updated = 0, deleted = 0;
  std::vector<std::string> notes;  ///< remote edits and deletions seen, for the log
  [[nodiscard]] int deletes() const;
};

struct PlannerInput {
  const std::vector<DesiredEvent>* desired = nullptr;
  const std::vector<SyncItem>* items = nullptr;  ///< sorted by uid
  const Observations* observed = nullptr;
  RemoteChangePolicy policy = RemoteChangePolicy::Restore;
  RefForNew ref_for_new;
  std::int64_t now = 0;
};

[[nodiscard]] SyncPlan plan_sync(const PlannerInput& input);

/// The mass-delete rail: the problem to report when `plan` would delete more than
/// `max_share` of the `owned` events plancal put in the target (nothing is written then);
/// nullopt when the run may go on, or when `allow_mass_delete` lifts the rail.
[[nodiscard]] std::optional<std::string> stopped_by_delete_rail(const SyncPlan& plan,
                                                                std::size_t owned, double max_share,
                                                                bool allow_mass_delete);

/// The one policy rule, for the planner and for the follow-ups alike (settlement.h): an edit
/// or deletion someone made in the target is overwritten always under Restore, and under
/// Keep only when the plan itself changed the event since plancal last wrote it.
[[nodiscard]] bool overrides_remote_change(RemoteChangePolicy policy, bool plan_changed);

/// Whether a fetched resource holds what plancal wrote there (the server may have changed
/// its version without changing what it says), given the row's hashes.
[[nodiscard]] bool holds_what_was_written(const RemoteEvent& event, const SyncItem& item);

/// Whether `event` holds what plancal writes as `hash`: by its content when the adapter read
/// it, else by the stamp plancal's last write left on it (RemoteEvent::stamped_hash). For
/// plancal's own writes whose answers were never booked (a killed run's, a lost answer), and
/// for adopting an event plancal wrote without a row; never to judge someone else's edit.
/// `version_before`: the version the event had when the write was announced ("" when none);
/// an event still at that version has not seen the write, whatever its stamp says (a restore
/// writes the hash the stamp already holds).
[[nodiscard]] bool holds_plancal_write(const RemoteEvent& event, const std::string& hash,
                                       const std::string& version_before = {});

/// The lowest SEQUENCE a write over `current` may carry: one above what the target holds, as
/// far as plancal knows it (the row's `before`, nullptr when none, and what was read now).
[[nodiscard]] int sequence_above(const SyncItem* before, const RemoteEvent& current);

}  // namespace plancal::sync
