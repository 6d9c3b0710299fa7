// The reconcile engine end to end, in memory: a scripted calendar server (FakeCalendar) and
// an in-memory state store (MemorySyncState) from tests/test_doubles.h, so that every row of
// the engine's decision table runs in milliseconds. What each test checks is what a person
// would: what the calendar holds afterwards, what the run reports, how many requests it
// took, and that the next run picks up where this one left off.
//
// The decision table the tests below cover, in this order (35 cases):
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
//
// And the progress hook (SyncObserver): planned, written and finished add up.

#include "sync/engine.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "test_doubles.h"

namespace plancal::sync {
namespace {

using testing::FakeCalendar;
using testing::Killed;
using testing::MemorySyncState;
using testing::PlanEvents;

constexpr std::int64_t kNow = 1'735'689'600;  // 2025-01-01T00:00:00Z

/// "created 2, updated 0, ..." in one string, so a failing test shows the whole report.
std::string counts(const SyncReport& report) {
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

class SyncEngineTest : public ::testing::Test {
 protected:
  SyncEngineTest() {
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

// --- the plan and the calendar ---

TEST_F(SyncEngineTest, FirstPushCreatesEveryEventAndRemembersIt) {
  const SyncReport report = sync();
  EXPECT_EQ(counts(report),
            "ok: 4 created, 0 updated, 0 deleted, 0 restored, 0 adopted, 0 unchanged, "
            "0 conflicts, 0 failed");
  EXPECT_EQ(calendar.content_of("a"), "hash(Fagmøte 1)");
  EXPECT_EQ(calendar.content_of("d"), "hash(Fagmøte 4)");
  EXPECT_EQ(calendar.resources.size(), 4U);
  // discovery, listing, four PUTs, and the listing after them that moves the cursor on
  EXPECT_EQ(report.requests, 7);
  ASSERT_TRUE(state.row("team", "a"));
  EXPECT_EQ(state.row("team", "a")->state, SyncItemState::Synced);
  EXPECT_EQ(state.row("team", "a")->ref, "/cal/a.ics");
  ASSERT_EQ(state.runs.size(), 1U);
  EXPECT_EQ(state.runs[0].result, "ok");
  EXPECT_EQ(state.runs[0].created, 4);
  EXPECT_EQ(state.targets.at("team").collection, "/cal/");
}

TEST_F(SyncEngineTest, NoOpCostsOneRequestAndWritesNothing) {
  push_first();
  const SyncReport again = sync();
  EXPECT_EQ(counts(again),
            "ok: 0 created, 0 updated, 0 deleted, 0 restored, 0 adopted, 4 unchanged, "
            "0 conflicts, 0 failed");
  EXPECT_EQ(again.requests, 1);
  EXPECT_EQ(writes_in_last_run, 0);
  EXPECT_TRUE(again.changes.empty());
}

TEST_F(SyncEngineTest, PlanEditUpdatesThatEventOnly) {
  push_first();
  plan.add("b", "Fagmøte 2 (flyttet)");
  const SyncReport report = sync();
  EXPECT_EQ(counts(report),
            "ok: 0 created, 1 updated, 0 deleted, 0 restored, 0 adopted, 3 unchanged, "
            "0 conflicts, 0 failed");
  EXPECT_EQ(calendar.writes.back(), "update b");
  EXPECT_EQ(calendar.content_of("b"), "hash(Fagmøte 2 (flyttet))");
  ASSERT_EQ(report.changes.size(), 1U);
  EXPECT_EQ(report.changes[0].reason, "changed in the plan");
  EXPECT_EQ(sync().unchanged, 4) << "the cursor moved past plancal's own write";
}

TEST_F(SyncEngineTest, PlanRemovalDeletesOrForgets) {
  push_first();
  calendar.remove("c");  // someone deleted it already
  plan.drop("c").drop("d");
  const SyncReport report = sync();
  EXPECT_EQ(counts(report),
            "ok: 0 created, 0 updated, 1 deleted, 0 restored, 0 adopted, 2 unchanged, "
            "0 conflicts, 0 failed");
  EXPECT_EQ(writes_in_last_run, 1) << "only d needed a DELETE";
  EXPECT_EQ(calendar.content_of("d"), "");
  EXPECT_FALSE(state.row("team", "c"));
  EXPECT_FALSE(state.row("team", "d"));
}

TEST_F(SyncEngineTest, RemoteEditIsPutBackUnderRestore) {
  push_first();
  calendar.edit("a", "someone's edit");
  const SyncReport report = sync(RemoteChangePolicy::Restore);
  EXPECT_EQ(counts(report),
            "ok: 0 created, 0 updated, 0 deleted, 1 restored, 0 adopted, 3 unchanged, "
            "1 conflicts, 0 failed");
  EXPECT_EQ(calendar.content_of("a"), "hash(Fagmøte 1)");
}

TEST_F(SyncEngineTest, RemoteEditStaysUnderKeepUntilThePlanEditsTheEvent) {
  push_first();
  calendar.edit("a", "someone's edit");
  const SyncReport seen = sync(RemoteChangePolicy::Keep);
  EXPECT_EQ(counts(seen),
            "ok: 0 created, 0 updated, 0 deleted, 0 restored, 0 adopted, 3 unchanged, "
            "1 conflicts, 0 failed");
  EXPECT_EQ(calendar.content_of("a"), "someone's edit");
  EXPECT_EQ(state.row("team", "a")->state, SyncItemState::Kept);

  const SyncReport quiet = sync(RemoteChangePolicy::Keep);
  EXPECT_EQ(quiet.conflicts, 0) << "a kept edit is counted once";
  EXPECT_EQ(quiet.unchanged, 4);
  EXPECT_EQ(writes_in_last_run, 0);

  plan.add("a", "Fagmøte 1 (ny tid)");
  const SyncReport edited = sync(RemoteChangePolicy::Keep);
  EXPECT_EQ(edited.updated, 1) << counts(edited);
  EXPECT_EQ(calendar.content_of("a"), "hash(Fagmøte 1 (ny tid))");
}

TEST_F(SyncEngineTest, RemoteDeleteIsCreatedAgainUnderRestore) {
  push_first();
  calendar.remove("b");
  const SyncReport report = sync(RemoteChangePolicy::Restore);
  EXPECT_EQ(counts(report),
            "ok: 0 created, 0 updated, 0 deleted, 1 restored, 0 adopted, 3 unchanged, "
            "1 conflicts, 0 failed");
  EXPECT_EQ(calendar.content_of("b"), "hash(Fagmøte 2)");
}

TEST_F(SyncEngineTest, RemoteDeleteStaysUnderKeepUntilThePlanEditsTheEvent) {
  push_first();
  calendar.remove("b");
  const SyncReport seen = sync(RemoteChangePolicy::Keep);
  EXPECT_EQ(counts(seen),
            "ok: 0 created, 0 updated, 0 deleted, 0 restored, 0 adopted, 3 unchanged, "
            "1 conflicts, 0 failed");
  EXPECT_EQ(calendar.content_of("b"), "");
  EXPECT_EQ(sync(RemoteChangePolicy::Keep).conflicts, 0);
  EXPECT_EQ(writes_in_last_run, 0);

  plan.add("b", "Fagmøte 2 (ny tid)");
  const SyncReport edited = sync(RemoteChangePolicy::Keep);
  EXPECT_EQ(edited.created, 1) << counts(edited);
  EXPECT_EQ(calendar.content_of("b"), "hash(Fagmøte 2 (ny tid))");
}

TEST_F(SyncEngineTest, ServerTouchWithoutAnEditIsNoConflict) {
  push_first();
  calendar.touch("c");
  const SyncReport report = sync();
  EXPECT_EQ(counts(report),
            "ok: 0 created, 0 updated, 0 deleted, 0 restored, 0 adopted, 4 unchanged, "
            "0 conflicts, 0 failed");
  EXPECT_EQ(writes_in_last_run, 0);
  EXPECT_EQ(state.row("team", "c")->version, calendar.resources.at("/cal/c.ics").version)
      << "the new version is learnt";
}

TEST_F(SyncEngineTest, ForeignEventsAreNeverTouched) {
  calendar.put("someone-else", "their meeting", "/cal/theirs.ics");
  push_first();
  plan.drop("a").drop("b");
  EngineOptions options;
  options.allow_mass_delete = true;
  sync(options);
  EXPECT_EQ(calendar.content_of("someone-else"), "their meeting");
  EXPECT_EQ(calendar.resources.size(), 3U);
}

// --- adoption: the event is there already ---

TEST_F(SyncEngineTest, AdoptionOfEventsAKilledFirstPushWrote) {
  calendar.put("a", "hash(Fagmøte 1)");  // what plancal would write
  calendar.put("b", "an older text");
  const SyncReport report = sync();
  EXPECT_EQ(counts(report),
            "ok: 2 created, 1 updated, 0 deleted, 0 restored, 2 adopted, 0 unchanged, "
            "0 conflicts, 0 failed");
  EXPECT_EQ(calendar.content_of("b"), "hash(Fagmøte 2)");
  EXPECT_EQ(calendar.resources.size(), 4U) << "nothing created twice";
}

TEST_F(SyncEngineTest, AdoptionAfterACreateIsAnswered412WithTheSameContent) {
  // Another plancal run creates the event between this run's listing and its PUT.
  just_before(OperationKind::Create, "c",
              [&](const Operation& op) { calendar.put("c", op.desired->hash); });
  const SyncReport report = sync();
  EXPECT_EQ(counts(report),
            "ok: 3 created, 0 updated, 0 deleted, 0 restored, 1 adopted, 0 unchanged, "
            "0 conflicts, 0 failed");
  EXPECT_EQ(calendar.content_of("c"), "hash(Fagmøte 3)");
}

TEST_F(SyncEngineTest, AdoptionAfterExistsWithOtherContentBringsItUpToDate) {
  just_before(OperationKind::Create, "c",
              [&](const Operation&) { calendar.put("c", "an older text"); });
  const SyncReport report = sync();
  EXPECT_EQ(counts(report),
            "ok: 3 created, 1 updated, 0 deleted, 0 restored, 1 adopted, 0 unchanged, "
            "0 conflicts, 0 failed");
  EXPECT_EQ(calendar.content_of("c"), "hash(Fagmøte 3)");
}

TEST_F(SyncEngineTest, AdoptionOfTheResourceANoUidConflictNames) {
  // The UID lives under another name (a client saved it as /cal/imported-c.ics): the server
  // refuses a second resource with that UID, and the engine takes over the one it names.
  just_before(OperationKind::Create, "c", [&](const Operation&) {
    calendar.put("c", "hash(Fagmøte 3)", "/cal/imported-c.ics");
  });
  const SyncReport report = sync();
  EXPECT_EQ(report.adopted, 1) << counts(report);
  EXPECT_EQ(state.row("team", "c")->ref, "/cal/imported-c.ics");
  EXPECT_EQ(calendar.resources.size(), 4U);
  EXPECT_EQ(sync().unchanged, 4);
}

// --- races between the listing and the write ---

TEST_F(SyncEngineTest, RaceARemoteEditBeforeARestoreIsRestored) {
  push_first();
  calendar.edit("a", "someone's edit");  // the listing sees it: a restore is planned
  just_before(OperationKind::Update, "a",
              [&](const Operation&) { calendar.edit("a", "another edit"); });
  const SyncReport report = sync(RemoteChangePolicy::Restore);
  EXPECT_EQ(counts(report),
            "ok: 0 created, 0 updated, 0 deleted, 1 restored, 0 adopted, 3 unchanged, "
            "2 conflicts, 0 failed");
  EXPECT_EQ(calendar.content_of("a"), "hash(Fagmøte 1)");
}

TEST_F(SyncEngineTest, RaceARemoteEditBeforeAPlanEditLosesUnderEitherPolicy) {
  // As in the planner: a plan edit wins over someone's edit even under keep.
  push_first();
  for (const auto policy : {RemoteChangePolicy::Restore, RemoteChangePolicy::Keep}) {
    SCOPED_TRACE(policy == RemoteChangePolicy::Restore ? "restore" : "keep");
    plan.add("a", policy == RemoteChangePolicy::Restore ? "Restore" : "Keep");
    just_before(OperationKind::Update, "a",
                [&](const Operation&) { calendar.edit("a", "someone's edit"); });
    const SyncReport report = sync(policy);
    EXPECT_TRUE(report.ok()) << counts(report);
    EXPECT_EQ(report.conflicts, 1) << counts(report);
    EXPECT_EQ(report.restored, 1) << counts(report);
    EXPECT_EQ(calendar.content_of("a"),
              policy == RemoteChangePolicy::Restore ? "hash(Restore)" : "hash(Keep)");
  }
}

TEST_F(SyncEngineTest, RaceARemoteEditBeforeAReplayedWriteIsKeptUnderKeep) {
  // A write a killed run announced is redone without a plan change: under keep, an edit
  // that lands before the redo stays.
  push_first();
  plan.add("a", "Fagmøte 1 (endret)").add("b", "Fagmøte 2 (endret)");
  calendar.writes_before_kill = 1;  // a lands; b was announced but never sent
  EXPECT_THROW(sync(RemoteChangePolicy::Keep), Killed);
  EXPECT_EQ(state.row("team", "b")->state, SyncItemState::Updating);
  just_before(OperationKind::Update, "b",
              [&](const Operation&) { calendar.edit("b", "someone's edit"); });
  const SyncReport report = sync(RemoteChangePolicy::Keep);
  EXPECT_EQ(report.conflicts, 1) << counts(report);
  EXPECT_EQ(calendar.content_of("a"), "hash(Fagmøte 1 (endret))");
  EXPECT_EQ(calendar.content_of("b"), "someone's edit");
  EXPECT_EQ(state.row("team", "b")->state, SyncItemState::Kept);
}

TEST_F(SyncEngineTest, RaceAnEventDeletedBeforeItsRestoreIsCreatedAgain) {
  push_first();
  calendar.edit("a", "someone's edit");  // seen by the listing: a restore is planned
  just_before(OperationKind::Update, "a", [&](const Operation&) { calendar.remove("a"); });
  const SyncReport restored = sync(RemoteChangePolicy::Restore);
  EXPECT_EQ(restored.restored, 1) << counts(restored);
  EXPECT_EQ(calendar.content_of("a"), "hash(Fagmøte 1)");
}

TEST_F(SyncEngineTest, RaceADeleteOfAnEventAlreadyGoneCountsAsDeleted) {
  push_first();
  plan.drop("a");
  just_before(OperationKind::Delete, "a", [&](const Operation&) { calendar.remove("a"); });
  const SyncReport report = sync();
  EXPECT_EQ(counts(report),
            "ok: 0 created, 0 updated, 1 deleted, 0 restored, 0 adopted, 3 unchanged, "
            "0 conflicts, 0 failed");
  EXPECT_FALSE(state.row("team", "a"));
}

TEST_F(SyncEngineTest, RaceThatNeverEndsWaitsForTheNextSync) {
  push_first();
  plan.add("a", "Fagmøte 1 (endret)");
  int edits = 0;
  calendar.just_before = [&](const Operation& op) {
    if (op.current.uid != "a") return;
    calendar.edit("a", "edit " + std::to_string(++edits));
  };
  const SyncReport report = sync();
  EXPECT_EQ(edits, 3) << "a write, its follow-up, one more retry";
  EXPECT_EQ(report.result, SyncResult::Partial) << counts(report);
  EXPECT_EQ(report.failed, 1);
  ASSERT_EQ(report.problems.size(), 1U);
  EXPECT_EQ(report.problems[0], "a: still conflicting after 3 attempts; tried again next sync");

  calendar.just_before = nullptr;
  const SyncReport next = sync();
  EXPECT_TRUE(next.ok()) << counts(next);
  EXPECT_EQ(calendar.content_of("a"), "hash(Fagmøte 1 (endret))");
}

// --- a run killed in mid-write ---

TEST_F(SyncEngineTest, KilledFirstPushResumesWithoutWritingAnythingTwice) {
  calendar.writes_before_kill = 3;  // the third PUT lands, its answer never arrives
  EXPECT_THROW(sync(), Killed);
  EXPECT_EQ(calendar.resources.size(), 3U);

  const SyncReport resumed = sync();
  EXPECT_EQ(counts(resumed),
            "ok: 1 created, 0 updated, 0 deleted, 0 restored, 3 adopted, 0 unchanged, "
            "0 conflicts, 0 failed");
  EXPECT_EQ(writes_in_last_run, 1);
  for (const char* uid : {"a", "b", "c", "d"}) {
    EXPECT_NE(calendar.content_of(uid), "DUPLICATE") << uid;
  }
}

TEST_F(SyncEngineTest, KilledUpdateRunSettlesItsIntentsAgainstTheCalendar) {
  push_first();
  for (const char* uid : {"a", "b", "c", "d"}) plan.add(uid, std::string("Nytt rom ") + uid);
  calendar.writes_before_kill = 2;  // the first batch lands, the run dies before booking it
  EXPECT_THROW(sync(), Killed);
  EXPECT_EQ(state.row("team", "a")->state, SyncItemState::Updating) << "the intent was logged";
  EXPECT_EQ(state.row("team", "c")->state, SyncItemState::Synced) << "no intent, never sent";

  const SyncReport resumed = sync();
  EXPECT_TRUE(resumed.ok()) << counts(resumed);
  EXPECT_EQ(writes_in_last_run, 2) << "a and b landed before the kill";
  EXPECT_EQ(calendar.writes.back(), "update d");
  for (const char* uid : {"a", "b", "c", "d"}) {
    EXPECT_EQ(calendar.content_of(uid), std::string("hash(Nytt rom ") + uid + ")");
    EXPECT_EQ(state.row("team", uid)->state, SyncItemState::Synced);
  }
}

// --- rails and failures ---

TEST_F(SyncEngineTest, MassDeleteStopsBeforeWritingAnything) {
  push_first();
  const std::string cursor = saved_cursor();
  plan.drop("a").drop("b").drop("c");
  const SyncReport stopped = sync();
  EXPECT_EQ(stopped.result, SyncResult::Stopped);
  ASSERT_EQ(stopped.problems.size(), 1U);
  EXPECT_EQ(stopped.problems[0],
            "the sync would delete 3 of the 4 events plancal put in this calendar (more than "
            "50 %): nothing was changed. Check the plan and the target's audience; if the "
            "deletions are intended, run `plancal sync --allow-mass-delete`");
  EXPECT_EQ(writes_in_last_run, 0);
  EXPECT_EQ(calendar.resources.size(), 4U);
  EXPECT_EQ(saved_cursor(), cursor);
  EXPECT_EQ(state.runs.back().result, "stopped");

  EngineOptions allowed;
  allowed.allow_mass_delete = true;
  const SyncReport deleted = sync(allowed);
  EXPECT_EQ(deleted.deleted, 3) << counts(deleted);
  EXPECT_EQ(calendar.resources.size(), 1U);
}

TEST_F(SyncEngineTest, UnauthorizedStopsTheTargetAtOnce) {
  push_first();
  const std::string cursor = saved_cursor();
  for (const char* uid : {"a", "b", "c", "d"}) plan.add(uid, std::string("Nytt rom ") + uid);
  calendar.refuse_login = true;
  const SyncReport refused = sync();
  EXPECT_EQ(refused.result, SyncResult::Failed);
  EXPECT_EQ(writes_in_last_run, 2) << "one batch, then nothing more";
  ASSERT_FALSE(refused.problems.empty());
  EXPECT_EQ(refused.problems[0],
            "the server refused the login: check the target's username and password");
  EXPECT_EQ(saved_cursor(), cursor);

  calendar.refuse_login = false;
  const SyncReport fixed = sync();
  EXPECT_EQ(fixed.updated, 4) << counts(fixed);
  EXPECT_TRUE(fixed.ok());
}

TEST_F(SyncEngineTest, RefusedEventIsReportedAndTheOthersAreWritten) {
  calendar.refuse = {"b"};
  const SyncReport report = sync();
  EXPECT_EQ(counts(report),
            "partial: 3 created, 0 updated, 0 deleted, 0 restored, 0 adopted, 0 unchanged, "
            "0 conflicts, 1 failed\n  b: HTTP 403 (invalid calendar data)");
  EXPECT_FALSE(state.row("team", "b")) << "no row for an event that was never created";
  EXPECT_EQ(state.runs.back().result, "partial");
  EXPECT_EQ(state.runs.back().message, "b: HTTP 403 (invalid calendar data)");

  calendar.refuse.clear();
  const SyncReport later = sync();
  EXPECT_EQ(counts(later),
            "ok: 1 created, 0 updated, 0 deleted, 0 restored, 0 adopted, 3 unchanged, "
            "0 conflicts, 0 failed");
}

TEST_F(SyncEngineTest, NoAnswerForAnEventFailsTheRunAndTheNextRunRetries) {
  push_first();
  const std::string cursor = saved_cursor();
  plan.add("a", "Fagmøte 1 (endret)").add("d", "Fagmøte 4 (endret)");
  calendar.fail = {"a"};
  const SyncReport failed = sync();
  EXPECT_EQ(failed.result, SyncResult::Failed) << counts(failed);
  EXPECT_EQ(failed.failed, 1);
  EXPECT_EQ(failed.problems[0], "a: HTTP 503");
  EXPECT_EQ(saved_cursor(), cursor) << "the cursor stays before the failed write";

  calendar.fail.clear();
  const SyncReport retried = sync();
  EXPECT_TRUE(retried.ok()) << counts(retried);
  EXPECT_EQ(calendar.content_of("a"), "hash(Fagmøte 1 (endret))");
  EXPECT_EQ(calendar.content_of("d"), "hash(Fagmøte 4 (endret))");
}

TEST_F(SyncEngineTest, CursorRefusedByTheServerFallsBackToAFullListing) {
  push_first();
  calendar.remove("c");
  calendar.forget_cursors = true;  // the sync token expired: the adapter lists everything
  const SyncReport report = sync();
  EXPECT_EQ(counts(report),
            "ok: 0 created, 0 updated, 0 deleted, 1 restored, 0 adopted, 3 unchanged, "
            "1 conflicts, 0 failed");
  EXPECT_EQ(writes_in_last_run, 1);
  EXPECT_EQ(calendar.content_of("c"), "hash(Fagmøte 3)");
}

TEST_F(SyncEngineTest, ListingThatFailsWritesNothingAndKeepsTheCursor) {
  push_first();
  const std::string cursor = saved_cursor();
  plan.add("a", "Fagmøte 1 (endret)");
  calendar.listing_error = "REPORT /cal/: HTTP 500 (server error)";
  const SyncReport report = sync();
  EXPECT_EQ(report.result, SyncResult::Failed);
  EXPECT_EQ(report.problems, std::vector<std::string>{"REPORT /cal/: HTTP 500 (server error)"});
  EXPECT_EQ(writes_in_last_run, 0);
  EXPECT_EQ(saved_cursor(), cursor);
}

TEST_F(SyncEngineTest, StoreThatRefusesTheIntentStopsBeforeTheWrite) {
  push_first();
  plan.add("a", "Fagmøte 1 (endret)");
  state.refuse_writes = true;
  const SyncReport report = sync();
  EXPECT_EQ(report.result, SyncResult::Failed);
  EXPECT_EQ(report.problems[0], "cannot record sync state: disk full");
  EXPECT_EQ(writes_in_last_run, 0) << "no write without its intent on disk";
}

TEST_F(SyncEngineTest, NewEndpointForgetsTheOldCalendar) {
  push_first();
  target.endpoint = "https://dav.example/other/";
  calendar.resources.clear();  // the new URL is an empty calendar
  const SyncReport report = sync();
  EXPECT_EQ(report.created, 4) << counts(report);
  EXPECT_EQ(state.targets.at("team").endpoint, "https://dav.example/other/");
}

TEST_F(SyncEngineTest, DryRunReportsAndChangesNothing) {
  push_first();
  plan.add("a", "Fagmøte 1 (endret)").drop("d").add("e", "Fagmøte 5");
  const auto runs_before = state.runs.size();
  EngineOptions options;
  options.dry_run = true;
  const SyncReport report = sync(options);
  EXPECT_TRUE(report.ok());
  ASSERT_EQ(report.changes.size(), 3U);
  EXPECT_EQ(report.changes[0].uid, "a");
  EXPECT_EQ(report.changes[0].reason, "changed in the plan");
  EXPECT_EQ(report.changes[1].reason, "new");
  EXPECT_EQ(report.changes[2].reason, "removed from the plan");
  EXPECT_EQ(writes_in_last_run, 0);
  EXPECT_EQ(state.items["team"].size(), 4U);
  EXPECT_EQ(state.row("team", "a")->sent_hash, "hash(Fagmøte 1)");
  EXPECT_FALSE(state.row("team", "e"));
  EXPECT_EQ(state.runs.size(), runs_before);
}

// --- a server that names no content (Microsoft Graph) ---

TEST_F(SyncEngineTest, GraphFlavourPushesNoOpsAndRestoresAnEdit) {
  FakeCalendar graph(FakeCalendar::Flavor::Graph);
  auto run = [&] {
    return reconcile(target, plan.desired(), graph, state, clock, EngineOptions{});
  };
  EXPECT_EQ(run().created, 4);
  const SyncReport quiet = run();
  EXPECT_EQ(quiet.unchanged, 4) << counts(quiet);
  EXPECT_EQ(quiet.requests, 1);
  graph.edit("b", "someone's edit");
  const SyncReport restored = run();
  EXPECT_EQ(restored.restored, 1) << counts(restored);
  EXPECT_EQ(graph.content_of("b"), "hash(Fagmøte 2)");
}

// --- the progress hook ---

TEST_F(SyncEngineTest, ObserverHearsEveryPlannedAndAnsweredWrite) {
  // One follow-up round: c is there already with another text, adopted and updated.
  just_before(OperationKind::Create, "c",
              [&](const Operation&) { calendar.put("c", "an older text"); });
  Progress progress;
  const SyncReport report =
      reconcile(target, plan.desired(), calendar, state, clock, EngineOptions{}, &progress);
  EXPECT_TRUE(report.ok()) << counts(report);
  EXPECT_EQ(progress.planned_by["team"], 5U) << "four creates, then one update of c";
  EXPECT_EQ(progress.written_by["team"], 5U);
  EXPECT_EQ(progress.finished_reports, std::vector<std::string>{"team"});

  Progress quiet;
  (void)reconcile(target, plan.desired(), calendar, state, clock, EngineOptions{}, &quiet);
  EXPECT_EQ(quiet.planned_by["team"], 0U);
  EXPECT_EQ(quiet.finished_reports.size(), 1U);
}

}  // namespace
}  // namespace plancal::sync
