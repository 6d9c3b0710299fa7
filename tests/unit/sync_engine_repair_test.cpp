// The reconcile engine end to end, in memory (the fixture and the decision table are in
// sync_engine_fixture.h): rows 36-41 of the table, what issue 13 found wrong. A restore is a
// new create attempt and a retry the same one; a killed run's writes are settled without a
// second write and counted; a write over a calendar user's revision sends a higher SEQUENCE;
// a new account finds its calendar again.

#include "sync/engine.h"

#include <gtest/gtest.h>

#include "sync_engine_fixture.h"

namespace plancal::sync {
namespace {

using namespace engine_test;  // NOLINT(google-build-using-namespace): the fixture's names

class SyncEngineRepairTest : public SyncEngineFixture {
 protected:
  /// A run against a Graph-flavoured calendar: server ids, plancalHash stamps, strict
  /// transactionIds.
  SyncReport sync_graph(EngineOptions options = {}) {
    const int writes_before = static_cast<int>(graph.writes.size());
    SyncReport report = reconcile(target, plan.desired(), graph, state, clock, options);
    writes_in_last_run = static_cast<int>(graph.writes.size()) - writes_before;
    return report;
  }

  /// created + updated + restored + adopted + unchanged + failed: each plan event once.
  static int accounted_for(const SyncReport& report) {
    return report.created + report.updated + report.restored + report.adopted + report.unchanged +
           report.failed;
  }

  FakeCalendar graph{FakeCalendar::Flavor::Graph};
};

// --- 36, 37: create attempts ---

TEST_F(SyncEngineRepairTest, EveryRestoreOfADeletedEventIsANewCreateAttempt) {
  ASSERT_EQ(sync_graph().created, 4);
  for (int round = 1; round <= 2; ++round) {
    graph.remove("b");  // deleted in Outlook
    const SyncReport report = sync_graph();
    EXPECT_EQ(counts(report),
              "ok: 0 created, 0 updated, 0 deleted, 1 restored, 0 adopted, 3 unchanged, "
              "1 conflicts, 0 failed")
        << "round " << round;
    EXPECT_EQ(graph.content_of("b"), "hash(Fagmøte 2)");
  }
  // The first create and both restores, each its own attempt: the server refuses the
  // transaction of a deleted event for any later create.
  const std::vector<std::int64_t>& tries = graph.attempts.at("b");
  ASSERT_EQ(tries.size(), 3U);
  EXPECT_NE(tries[0], tries[1]);
  EXPECT_NE(tries[1], tries[2]);
  EXPECT_NE(tries[0], tries[2]);
  for (const char* uid : {"a", "c", "d"}) {
    EXPECT_NE(graph.attempts.at(uid).front(), tries[0])
        << "attempts are the target's, not the uid's";
  }
  EXPECT_EQ(state.targets.at("team").last_attempt, 6) << "four creates, two restores";
}

TEST_F(SyncEngineRepairTest, AnEventRemovedFromThePlanAndAddedBackIsANewAttempt) {
  ASSERT_EQ(sync_graph().created, 4);
  plan.drop("c");
  ASSERT_EQ(sync_graph().deleted, 1);
  EXPECT_FALSE(state.row("team", "c")) << "the row is gone, its attempt number is not";
  plan.add("c", "Fagmøte 3");  // the same content as before
  const SyncReport back = sync_graph();
  EXPECT_EQ(back.created, 1) << counts(back);
  EXPECT_TRUE(back.ok()) << counts(back);
  ASSERT_EQ(graph.attempts.at("c").size(), 2U);
  EXPECT_NE(graph.attempts.at("c")[0], graph.attempts.at("c")[1]);
}

TEST_F(SyncEngineRepairTest, ARetryOfACreateKeepsItsAttemptAcrossRuns) {
  graph.lose_answers = {"c"};  // c's POST lands, its answer never comes
  graph.fail = {"d"};          // d's POST finds no answer at all
  const SyncReport first = sync_graph();
  EXPECT_EQ(first.failed, 2) << counts(first);
  EXPECT_EQ(state.row("team", "d")->state, SyncItemState::Creating) << "the intent stays";
  const std::int64_t announced = state.row("team", "d")->attempt;
  EXPECT_NE(announced, 0);

  graph.lose_answers.clear();
  graph.fail.clear();
  const SyncReport second = sync_graph();
  EXPECT_TRUE(second.ok()) << counts(second);
  EXPECT_EQ(graph.attempts.at("d"), (std::vector<std::int64_t>{announced}))
      << "the resumed intent is the same attempt (the failed one never reached the server)";
  EXPECT_EQ(graph.attempts.at("c").size(), 1U) << "c landed: found, not created again";
  EXPECT_EQ(graph.resources.size(), 4U);
  for (const char* uid : {"a", "b", "c", "d"}) EXPECT_NE(graph.content_of(uid), "DUPLICATE");
}

// --- 38, 39: a killed run's writes ---

TEST_F(SyncEngineRepairTest, KilledRunsWritesAreSettledFromTheirIntentsAndCounted) {
  push_first();
  plan.add("a", "Nytt rom a").add("b", "Nytt rom b").drop("c").drop("d");
  EngineOptions allow;
  allow.allow_mass_delete = true;
  calendar.batch = 4;               // the four writes go out together,
  calendar.writes_before_kill = 4;  // all land, and the run dies before booking any
  EXPECT_THROW(sync(allow), Killed);
  EXPECT_EQ(state.row("team", "c")->state, SyncItemState::Deleting);

  const SyncReport resumed = sync(allow);
  EXPECT_EQ(counts(resumed),
            "ok: 0 created, 2 updated, 2 deleted, 0 restored, 0 adopted, 0 unchanged, "
            "0 conflicts, 0 failed");
  EXPECT_EQ(writes_in_last_run, 0) << "everything had landed";
  EXPECT_EQ(accounted_for(resumed), 2) << "a and b, each once";
  EXPECT_FALSE(state.row("team", "c"));
}

TEST_F(SyncEngineRepairTest, KilledUpdateRunsCountsAddUpToThePlan) {
  push_first();
  for (const char* uid : {"a", "b", "c", "d"}) plan.add(uid, std::string("Nytt rom ") + uid);
  calendar.writes_before_kill = 2;  // a and b land, unbooked; c and d are never sent
  EXPECT_THROW(sync(), Killed);
  const SyncReport resumed = sync();
  EXPECT_EQ(counts(resumed),
            "ok: 0 created, 4 updated, 0 deleted, 0 restored, 0 adopted, 0 unchanged, "
            "0 conflicts, 0 failed");
  EXPECT_EQ(writes_in_last_run, 2);
  EXPECT_EQ(accounted_for(resumed), 4);
}

TEST_F(SyncEngineRepairTest, GraphRerunAfterAKillWritesNothingThatLanded) {
  ASSERT_EQ(sync_graph().created, 4);
  for (const char* uid : {"a", "b", "c", "d"}) plan.add(uid, std::string("Nytt rom ") + uid);
  graph.batch = 4;               // one batch of four PATCHes:
  graph.writes_before_kill = 4;  // every one lands, no answer is booked
  EXPECT_THROW(sync_graph(), Killed);
  EXPECT_EQ(state.row("team", "d")->state, SyncItemState::Updating);

  const SyncReport resumed = sync_graph();
  EXPECT_EQ(writes_in_last_run, 0) << "each event carries the stamp of the write that landed";
  EXPECT_EQ(counts(resumed),
            "ok: 0 created, 4 updated, 0 deleted, 0 restored, 0 adopted, 0 unchanged, "
            "0 conflicts, 0 failed");
  EXPECT_EQ(sync_graph().unchanged, 4);
}

TEST_F(SyncEngineRepairTest, GraphKilledFirstPushIsSettledFromItsIntentsWithoutAWrite) {
  graph.writes_before_kill = 3;  // three POSTs land; the run dies before its state is saved
  EXPECT_THROW(sync_graph(), Killed);
  const SyncReport resumed = sync_graph();
  EXPECT_EQ(counts(resumed),
            "ok: 2 created, 0 updated, 0 deleted, 0 restored, 0 adopted, 2 unchanged, "
            "0 conflicts, 0 failed")
      << "two booked by the killed run, one landed unanswered, one never sent";
  EXPECT_EQ(writes_in_last_run, 1);
}

TEST_F(SyncEngineRepairTest, AKilledFirstPushsCreatesAreRetriedAsTheSameAttempts) {
  // The first run dies before it saves the target's state. A POST it sent may still land
  // after the rerun's listing (the server finishes a request whose client is gone): only the
  // same transactionId, that is the same attempt, keeps the rerun from creating it twice.
  graph.writes_before_kill = 3;
  EXPECT_THROW(sync_graph(), Killed);
  ASSERT_FALSE(state.target_state("team")) << "killed before the state was saved";
  const std::int64_t announced = state.row("team", "d")->attempt;
  ASSERT_NE(announced, 0);
  ASSERT_TRUE(sync_graph().ok());
  EXPECT_EQ(graph.attempts.at("d").back(), announced);
  EXPECT_EQ(graph.resources.size(), 4U);
}

TEST_F(SyncEngineRepairTest, AnOutlookEditIsStillRestoredThoughItKeepsPlancalsStamp) {
  ASSERT_EQ(sync_graph().created, 4);
  graph.edit("c", "someone's edit");  // a new changeKey, plancalHash untouched
  const SyncReport report = sync_graph();
  EXPECT_EQ(report.restored, 1) << counts(report);
  EXPECT_EQ(graph.content_of("c"), "hash(Fagmøte 3)");
}

TEST_F(SyncEngineRepairTest, GraphOutlookEditRacingARestoreIsStillRestored) {
  ASSERT_EQ(sync_graph().created, 4);
  graph.edit("a", "someone's edit");  // the listing sees it: a restore is planned
  bool raced = false;
  graph.just_before = [&](const Operation& op) {
    if (raced || op.kind != OperationKind::Update || op.current.uid != "a") return;
    raced = true;
    graph.edit("a", "another edit");  // the restore is refused; the event read again still
  };                                  // carries the stamp of plancal's first write
  const SyncReport report = sync_graph();
  EXPECT_TRUE(raced);
  EXPECT_EQ(report.restored, 1) << counts(report);
  EXPECT_EQ(graph.content_of("a"), "hash(Fagmøte 1)");
}

TEST_F(SyncEngineRepairTest, GraphRestoreKilledBeforeItLandedIsRedone) {
  ASSERT_EQ(sync_graph().created, 4);
  graph.edit("a", "someone's edit");  // keeps the stamp of plancal's first write
  bool killed = false;
  graph.just_before = [&killed](const Operation&) {
    if (killed) return;
    killed = true;
    throw Killed{};  // the restore's intent is logged, its PATCH never leaves
  };
  EXPECT_THROW(sync_graph(), Killed);
  ASSERT_EQ(state.row("team", "a")->state, SyncItemState::Updating);

  const SyncReport resumed = sync_graph();
  EXPECT_EQ(graph.content_of("a"), "hash(Fagmøte 1)") << counts(resumed);
  EXPECT_EQ(sync_graph().unchanged, 4);
}

// --- 40: SEQUENCE ---

TEST_F(SyncEngineRepairTest, AWriteOverACalendarUsersRevisionSendsAHigherSequence) {
  push_first();
  calendar.edit("a", "someone's edit", 2);  // their client counts SEQUENCE up to 2
  EXPECT_EQ(sync().restored, 1);
  EXPECT_EQ(calendar.resources.at("/cal/a.ics").sequence, 3);

  // Kept under keep, then changed by the plan: above the kept revision, unseen since.
  calendar.edit("b", "someone's edit", 5);
  EXPECT_EQ(sync(RemoteChangePolicy::Keep).conflicts, 1);
  plan.add("b", "Fagmøte 2 (ny tid)");
  EXPECT_EQ(sync(RemoteChangePolicy::Keep).updated, 1);
  EXPECT_EQ(calendar.resources.at("/cal/b.ics").sequence, 6);

  // A plan edit of an event nobody touched: one above what plancal sent last.
  plan.add("c", "Fagmøte 3 (ny tid)");
  EXPECT_EQ(sync().updated, 1);
  EXPECT_EQ(calendar.resources.at("/cal/c.ics").sequence, 1);
}

// --- 41: the account ---

TEST_F(SyncEngineRepairTest, ANewAccountFindsTheCalendarAgain) {
  target.account = "alice";
  push_first();
  EXPECT_EQ(calendar.discoveries, 1);
  EXPECT_EQ(sync().requests, 1) << "the calendar found is remembered";

  // The same calendar for another account: discovered again, nothing else changes.
  target.account = "bob";
  const SyncReport same = sync();
  EXPECT_EQ(calendar.discoveries, 2);
  EXPECT_EQ(same.unchanged, 4) << counts(same);
  EXPECT_EQ(state.targets.at("team").account, "bob");

  // Another calendar for the next account: what the store knew of the old one goes.
  target.account = "carol";
  calendar.discovered = "/carol/";
  calendar.resources.clear();  // (the fake keeps one calendar: carol's is empty)
  const SyncReport moved = sync();
  EXPECT_EQ(calendar.discoveries, 3);
  EXPECT_EQ(moved.created, 4) << counts(moved);
  EXPECT_EQ(state.row("team", "a")->ref, "/carol/a.ics");
  EXPECT_EQ(state.targets.at("team").collection, "/carol/");
}

}  // namespace
}  // namespace plancal::sync
