// The reconcile engine when things go wrong, in memory (the fixture and the decision table
// are in sync_engine_fixture.h): rows 17-32 of the table, races between the listing and a
// write, runs killed in mid-write, the mass-delete rail, refused logins and events, servers
// that do not answer or forget a cursor, a store that refuses to write.

#include "sync/engine.h"

#include <gtest/gtest.h>

#include "sync_engine_fixture.h"

namespace plancal::sync {
namespace {

using namespace engine_test;  // NOLINT(google-build-using-namespace): the fixture's names
class SyncEngineFailureTest : public SyncEngineFixture {};

// --- races between the listing and the write ---

TEST_F(SyncEngineFailureTest, RaceARemoteEditBeforeARestoreIsRestored) {
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

TEST_F(SyncEngineFailureTest, RaceARemoteEditBeforeAPlanEditLosesUnderEitherPolicy) {
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

TEST_F(SyncEngineFailureTest, RaceARemoteEditBeforeAReplayedWriteIsKeptUnderKeep) {
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

TEST_F(SyncEngineFailureTest, RaceAnEventDeletedBeforeItsRestoreIsCreatedAgain) {
  push_first();
  calendar.edit("a", "someone's edit");  // seen by the listing: a restore is planned
  just_before(OperationKind::Update, "a", [&](const Operation&) { calendar.remove("a"); });
  const SyncReport restored = sync(RemoteChangePolicy::Restore);
  EXPECT_EQ(restored.restored, 1) << counts(restored);
  EXPECT_EQ(calendar.content_of("a"), "hash(Fagmøte 1)");
}

TEST_F(SyncEngineFailureTest, RaceADeleteOfAnEventAlreadyGoneCountsAsDeleted) {
  push_first();
  plan.drop("a");
  just_before(OperationKind::Delete, "a", [&](const Operation&) { calendar.remove("a"); });
  const SyncReport report = sync();
  EXPECT_EQ(counts(report),
            "ok: 0 created, 0 updated, 1 deleted, 0 restored, 0 adopted, 3 unchanged, "
            "0 conflicts, 0 failed");
  EXPECT_FALSE(state.row("team", "a"));
}

TEST_F(SyncEngineFailureTest, RaceThatNeverEndsWaitsForTheNextSync) {
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

TEST_F(SyncEngineFailureTest, KilledFirstPushResumesWithoutWritingAnythingTwice) {
  calendar.writes_before_kill = 3;  // the third PUT lands, its answer never arrives
  EXPECT_THROW(sync(), Killed);
  EXPECT_EQ(calendar.resources.size(), 3U);

  // The killed run booked a and b; c landed unanswered (its intent settles it, counted as
  // the create it was); d was never sent. Nothing is adopted as foreign or written twice.
  const SyncReport resumed = sync();
  EXPECT_EQ(counts(resumed),
            "ok: 2 created, 0 updated, 0 deleted, 0 restored, 0 adopted, 2 unchanged, "
            "0 conflicts, 0 failed");
  EXPECT_EQ(writes_in_last_run, 1);
  for (const char* uid : {"a", "b", "c", "d"}) {
    EXPECT_NE(calendar.content_of(uid), "DUPLICATE") << uid;
  }
}

TEST_F(SyncEngineFailureTest, KilledUpdateRunSettlesItsIntentsAgainstTheCalendar) {
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

TEST_F(SyncEngineFailureTest, MassDeleteStopsBeforeWritingAnything) {
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

TEST_F(SyncEngineFailureTest, UnauthorizedStopsTheTargetAtOnce) {
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

TEST_F(SyncEngineFailureTest, RefusedEventIsReportedAndTheOthersAreWritten) {
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

TEST_F(SyncEngineFailureTest, NoAnswerForAnEventFailsTheRunAndTheNextRunRetries) {
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

TEST_F(SyncEngineFailureTest, CursorRefusedByTheServerFallsBackToAFullListing) {
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

TEST_F(SyncEngineFailureTest, ListingThatFailsWritesNothingAndKeepsTheCursor) {
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

TEST_F(SyncEngineFailureTest, StoreThatRefusesTheIntentStopsBeforeTheWrite) {
  push_first();
  plan.add("a", "Fagmøte 1 (endret)");
  state.refuse_writes = true;
  const SyncReport report = sync();
  EXPECT_EQ(report.result, SyncResult::Failed);
  EXPECT_EQ(report.problems[0], "cannot record sync state: disk full");
  EXPECT_EQ(writes_in_last_run, 0) << "no write without its intent on disk";
}

}  // namespace
}  // namespace plancal::sync
