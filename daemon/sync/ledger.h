#pragma once
/// RunLedger: the books of one reconcile run. Everything the run learns goes through it:
/// rows to the state store, counts and problems to the report, and the run's result, which
/// is also the one way a run is marked as ended early (halted()). At the end it saves where
/// the run left off and records the run for `plancal status`.

#include <cstdint>
#include <optional>
#include <string>

#include "base/clock.h"
#include "sync/planner.h"
#include "sync/report.h"
#include "sync/settlement.h"
#include "sync/state_store.h"

namespace plancal::sync {

/// Where the run got to, for finish().
struct RunEnd {
  std::int64_t started_at = 0;
  int requests = 0;
  std::string collection;             ///< RemoteCalendar::collection(); "" when never found
  std::optional<std::string> cursor;  ///< nullopt: keep the previous one
  bool dry_run = false;               ///< nothing is saved or recorded
};

class RunLedger {
 public:
  /// All references must outlive the ledger.
  RunLedger(const TargetIdentity& target, StateStore& state, const Clock& clock);

  [[nodiscard]] const TargetIdentity& target() const { return target_; }
  [[nodiscard]] std::int64_t now() const { return clock_.now_unix(); }

  /// Where create attempt numbers start: above `last_attempt` (StartingPoint::last_attempt).
  void start_attempts(std::int64_t last_attempt) { last_attempt_ = last_attempt; }
  /// The number of a new create attempt, announced in its intent row; saved with the target's
  /// state at the end, so no later create of this target gets it again.
  [[nodiscard]] std::int64_t next_attempt() { return ++last_attempt_; }

  /// Stores a row; a store that refuses fails the run.
  void put(const SyncItem& row);
  /// Stores rows together (one commit); a store that refuses fails the run.
  void put(const std::vector<SyncItem>& rows);
  /// Drops a row; a store that refuses fails the run.
  void forget(const std::string& uid);

  /// The plan's counts, notes and changes, for the report (dry runs too).
  void count(const SyncPlan& plan);
  /// The plan's rows that need no write.
  void settle(const SyncPlan& plan);
  /// One decision about one write: its rows, count, note and problem.
  void apply(const Settlement& settled);
  /// Decisions about writes to different events, their rows stored together.
  void apply(const std::vector<Settlement>& settled);

  /// The run cannot go on (no answer, refused login, store error): it sends nothing more.
  void fail(std::string problem);
  /// The mass-delete rail: stopped before any write, nothing saved about the target.
  void stop(std::string problem);
  /// Whether the run has failed or stopped: no more writes.
  [[nodiscard]] bool halted() const;

  /// Settles the result, saves the target's state (collection and cursor) and records the
  /// run; returns the report.
  [[nodiscard]] SyncReport finish(const RunEnd& end);

 private:
  /// apply() without the rows.
  void book(const Settlement& settled);
  void raise(SyncResult result);
  void tally(Tally counter);
  void save_state(const RunEnd& end);
  void record_run(const RunEnd& end);

  const TargetIdentity& target_;
  StateStore& state_;
  const Clock& clock_;
  SyncReport report_;
  std::int64_t last_attempt_ = 0;
};

}  // namespace plancal::sync
