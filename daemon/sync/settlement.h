#pragma once
/// What each answer to a write means, as pure functions beside the planner's: the row to
/// record before the write (the intent), and after the answer the rows to record, what to
/// count and report, and the write to try next. The engine applies a Settlement as it is
/// (RunLedger::apply) and sends the follow-up writes in its next round.
///
/// The answers that need a look at the resource first are the races with someone else: a
/// create that finds the UID taken (412, no-uid-conflict: a killed run wrote it, or a user
/// did), an update or delete whose version no longer matches, an update of an event deleted
/// since the listing. The engine fetches what look_at() names and asks settle_after_look().

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sync/observation.h"
#include "sync/planner.h"
#include "sync/remote_calendar.h"
#include "sync/remote_change_policy.h"
#include "sync/report.h"
#include "sync/state_store.h"

namespace plancal::sync {

/// The report counter one settlement adds to.
enum class Tally { None, Created, Updated, Deleted, Restored, Adopted, Failed };

/// The effect of one decision.
struct Settlement {
  std::vector<SyncItem> put;        ///< rows to store
  std::vector<std::string> forget;  ///< uids whose rows go
  Tally tally = Tally::None;
  bool conflict = false;  ///< someone else edited or deleted the event (counted once)
  std::string note;       ///< for the log: what was seen ("UID was edited in the calendar")
  std::string problem;    ///< for the report; "" when none
  /// What the run's result becomes at least: Partial for one refused event, Failed when the
  /// target cannot go on (the run then sends nothing more).
  SyncResult result = SyncResult::Ok;
  std::optional<PlannedOperation> next;  ///< the write to try in the next round
};

/// What follow-up decisions depend on besides the write and its answer.
struct SettleContext {
  RemoteChangePolicy policy = RemoteChangePolicy::Restore;
  RefForNew ref_for_new;
  std::int64_t now = 0;
};

/// The row that announces `planned` before it is sent (state creating, updating or
/// deleting), so a run killed during the write leaves a row that says so.
[[nodiscard]] SyncItem intent_row(const PlannedOperation& planned, std::int64_t now);

/// Whether `result` settles the write by itself (settle_answer); false when the resource must
/// be looked at first (look_at, then settle_after_look).
[[nodiscard]] bool settles_alone(const PlannedOperation& planned, const WriteResult& result);

/// The ref to fetch before settle_after_look: the resource the server named, else the one
/// written to; "" when there is nothing to fetch (the resource is gone).
[[nodiscard]] std::string look_at(const PlannedOperation& planned, const WriteResult& result);

/// A final answer: Done, Rejected (one refused event), Unauthorized, Failed, or NotFound
/// for a delete (already gone: as good as done).
[[nodiscard]] Settlement settle_answer(const PlannedOperation& planned, const WriteResult& result,
                                       std::int64_t now);

/// A race, decided on what the target holds now (`seen`): adopt an event that already says
/// what the plan says, bring up to date one a killed run created, restore or keep (by
/// policy) one someone else edited or deleted, delete again against the new version.
[[nodiscard]] Settlement settle_after_look(const PlannedOperation& planned, const Observation& seen,
                                           const SettleContext& context);

/// A write still racing after `rounds` attempts: counted as failed, tried again next sync.
[[nodiscard]] Settlement give_up(const PlannedOperation& planned, int rounds);

}  // namespace plancal::sync
