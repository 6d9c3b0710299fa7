#pragma once
// The fixture of the reconcile engine's tests: a scripted calendar server (FakeCalendar) and
// an in-memory state store (MemorySyncState) from tests/test_doubles.h, so that every row of
// the engine's decision table runs in milliseconds. What each test checks is what a person
// would: what the calendar holds afterwards, what the run reports, how many requests it took,
// and that the next run picks up where this one left off.
//
// The decision table, 41 cases: rows 1-16 and 33-35 are tested in sync_engine_test.cpp, rows
// 17-32 in sync_engine_failures_test.cpp, rows 36-41 in sync_engine_repair_test.cpp, each file
// in the table's order.
//
//      plan / store / target                       -> the engine
//   1  new event, nothing in the target            -> create
//   2  nothing changed anywhere                    -> no write, one request
//   3  edited in the plan                          -> update
//   4  removed from the plan                       -> delete
//   5  removed from the plan, already deleted      -> forget, no request
//   6  edited remotely, restore                    -> put back
//   7  edited remotely, keep (until a plan edit)   -> leave it
//   8  deleted remotely, restore                   -> create again
//   9  deleted remotely, keep (until a plan edit)  -> leave it
//  10  new version, same content (the server)      -> learn it, no write
//  11  someone else's event                        -> never touched
//  12  there already, no row, same content         -> adopt, no write
//  13  there already, no row, other content        -> adopt, update
//  14  create answered 412, same content           -> adopt
//  15  create answered Exists, other content       -> adopt, update
//  16  UID held elsewhere (no-uid-conflict)        -> adopt that resource
//  17  restore answered Conflict (edited again)    -> restore again
//  18  plan edit answered Conflict                 -> plan wins (either policy)
//  19  replayed write answered Conflict, keep      -> keep the edit
//  20  update answered NotFound                    -> create again
//  21  delete answered NotFound                    -> counted deleted, forgotten
//  22  still racing after three rounds             -> failed, next sync
//  23  killed after intents, first push            -> adopt what landed
//  24  killed after intents, update run            -> settle landed, redo rest
//  25  too many deletes                            -> stop, write nothing
//  26  too many deletes, --allow-mass-delete       -> delete
//  27  login refused                               -> failed, no more writes
//  28  one event refused                           -> partial, others written
//  29  no answer for one event                     -> failed, cursor kept
//  30  cursor refused by the server                -> full listing, converges
//  31  listing fails                               -> failed, nothing written
//  32  store refuses the intent                    -> failed before the write
//  33  target's endpoint changed                   -> forget, push afresh
//  34  dry run                                     -> report, change nothing
//  35  server with no content hashes (Graph)       -> versions decide
//  36  restore of a deleted event (Graph)          -> a new create attempt, each time
//  37  create retried (no answer, killed run)      -> the same attempt
//  38  killed run's writes landed                  -> settled from the intents, counted
//  39  killed run's writes landed (Graph stamps)   -> nothing written again
//  40  write over a user's revision                -> a higher SEQUENCE than theirs
//  41  account changed                             -> find the calendar again
//
// And the progress hook (SyncObserver): planned, written and finished add up.

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sync/engine.h"
#include "test_doubles.h"

namespace plancal::sync::engine_test {

using testing::FakeCalendar;
using testing::Killed;
using testing::MemorySyncState;
using testing::PlanEvents;

inline constexpr std::int64_t kNow = 1'735'689'600;  // 2025-01-01T00:00:00Z

/// "created 2, updated 0, ..." in one string, so a failing test shows the whole report.
inline std::string counts(const SyncReport& report) {
  std::string text =
      std::string(to_string(report.result)) + ": " + std::to_string(report.created) + " created, " +
      std::to_string(report.updated) + " updated, " + std::to_string(report.deleted) +
      " deleted, " + std::to_string(report.restored) + " restored, " +
      std::to_string(report.adopted) + " adopted, " + std::to_string(report.unchanged) +
      " unchanged, " + std::to_string(report.conflicts) + " conflicts, " +
      std::to_string(report.failed) + " failed";
  for (const auto& problem : report.problems) text += "\n  " + problem;
  return text;
}

/// Records what the engine tells an observer.
class Progress final : public SyncObserver {
 public:
  void planned(const std::string& target, std::size_t writes) override {
    planned_by[target] += writes;
  }
  void written(const std::string& target, std::size_t writes) override {
    written_by[target] += writes;
  }
  void finished(const SyncReport& report) override { finished_reports.push_back(report.target); }

  std::map<std::string, std::size_t> planned_by, written_by;
  std::vector<std::string> finished_reports;
};

class SyncEngineFixture : public ::testing::Test {
 protected:
  SyncEngineFixture() {
    plan.add("a", "Fagmøte 1").add("b", "Fagmøte 2").add("c", "Fagmøte 3").add("d", "Fagmøte 4");
  }

  SyncReport sync(EngineOptions options = {}) {
    const int writes_before = static_cast<int>(calendar.writes.size());
    SyncReport report = reconcile(target, plan.desired(), calendar, state, clock, options);
    writes_in_last_run = static_cast<int>(calendar.writes.size()) - writes_before;
    return report;
  }
  SyncReport sync(RemoteChangePolicy policy) {
    EngineOptions options;
    options.on_remote_change = policy;
    return sync(options);
  }

  /// The first push, checked, so a test can start from a synced calendar.
  void push_first() {
    const SyncReport first = sync();
    ASSERT_EQ(counts(first),
              "ok: 4 created, 0 updated, 0 deleted, 0 restored, 0 adopted, 0 unchanged, "
              "0 conflicts, 0 failed");
  }

  /// Runs `action` once, just before the first write of `kind` for `uid` lands: someone
  /// else's change racing plancal's write.
  void just_before(OperationKind kind, const std::string& uid,
                   std::function<void(const Operation&)> action) {
    auto done = std::make_shared<bool>(false);
    calendar.just_before = [=](const Operation& op) {
      if (*done || op.kind != kind || op.current.uid != uid) return;
      *done = true;
      action(op);
    };
  }

  [[nodiscard]] std::string saved_cursor() {
    const auto saved = state.target_state(target.key);
    return saved ? saved->cursor : "(none)";
  }

  PlanEvents plan;
  FakeCalendar calendar;
  MemorySyncState state;
  FixedClock clock{kNow};
  TargetIdentity target{"team", "https://dav.example/cal/"};
  int writes_in_last_run = 0;
};

}  // namespace plancal::sync::engine_test
