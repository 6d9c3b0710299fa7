#pragma once
/// Writer: sends a plan's writes to the target and books every answer. Writes go out in
/// batches of the adapter's size; for each batch:
///
///   log intents (numbering new create attempts) -> apply -> settle the answers -> look at the
///   races -> queue follow-ups
///
/// and the follow-ups (adopt an existing event and bring it up to date, restore one deleted
/// since the listing, ...) form the next round. Every decision is settlement.h's; the Writer
/// only sequences, and stops as soon as the ledger says the run has halted.

#include <optional>
#include <vector>

#include "sync/ledger.h"
#include "sync/observation.h"
#include "sync/observer.h"
#include "sync/planner.h"
#include "sync/remote_calendar.h"
#include "sync/remote_change_policy.h"

namespace plancal::sync {

/// A write, its follow-up, one more retry: then it waits for the next sync.
inline constexpr int kMaxRounds = 3;

/// Fetches `refs` and adds what was found to `observed` (add_fetched). A fetch that fails
/// fails the run: false.
[[nodiscard]] bool look(RemoteCalendar& remote, const FetchList& refs, Observations& observed,
                        RunLedger& ledger);

class Writer {
 public:
  /// All references must outlive the writer; `observer` may be nullptr.
  Writer(RemoteCalendar& remote, RunLedger& ledger, RemoteChangePolicy policy,
         SyncObserver* observer);

  /// Sends `writes` and their follow-ups, in at most kMaxRounds rounds.
  void run(std::vector<PlannedOperation> writes);

 private:
  /// One batch: returns the follow-ups its answers asked for.
  [[nodiscard]] std::vector<PlannedOperation> send(std::vector<PlannedOperation>& batch);
  /// Announces each write in the store; a new create attempt gets its number here.
  void log_intents(std::vector<PlannedOperation>& batch);
  /// The answers that needed a look at the resource first.
  void settle_races(const std::vector<const PlannedOperation*>& racing,
                    const std::vector<const WriteResult*>& answers,
                    std::vector<PlannedOperation>& follow_ups);
  void take(const Settlement& settled, std::vector<PlannedOperation>& follow_ups);
  void tell_planned(std::size_t writes);

  RemoteCalendar& remote_;
  RunLedger& ledger_;
  RemoteChangePolicy policy_;
  SyncObserver* observer_;
};

}  // namespace plancal::sync
