// The reconcile engine end to end, in memory (the fixture and the decision table are in
// sync_engine_fixture.h): rows 1-16 and 33-35 of the table, and the progress hook. Rows 17-32
// (races, kills, rails and failures) are in sync_engine_failures_test.cpp.

#include "sync/engine.h"

#include <gtest/gtest.h>

#include "sync_engine_fixture.h"

namespace plancal::sync {
namespace {

using namespace engine_test;  // NOLINT(google-build-using-namespace): the fixture's names
using SyncEngineTest = SyncEngineFixture;

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
