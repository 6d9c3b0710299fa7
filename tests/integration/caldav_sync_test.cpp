// `plancal sync` to a CalDAV calendar, end to end against real Radicale, Xandikos and
// Cyrus: the
// first sync, a sync with nothing to do, plan edits and removals, and other people's events
// in the same calendar. The calendar is read back with python3-caldav. More of the suite
// (remote edits, rails, dry run, bad plans) is in caldav_sync_rails_test.cpp; odd UIDs
// through the engine itself are caldav_sync_uid_test.cpp's own suite.

#include <gtest/gtest.h>

#include "caldav_sync_workspace.h"

namespace plancal::testing {
namespace {

TEST_P(SyncCaldavIntegration, FirstSyncPutsEveryEventAtItsOsloWallClockTime) {
  const ProcessResult first = sync_ok();
  EXPECT_EQ(CaldavSyncWorkspace::outcome(first),
            "ok: 22 created, 0 updated, 0 deleted, 0 restored, 0 adopted, 0 unchanged, "
            "0 conflicts, 0 failed")
      << first.out << first.err;
  // Into a calendar that exists: its properties (PROPFIND), its listing (sync-collection),
  // the PUTs, and one more sync-collection so the saved token is past plancal's own writes.
  EXPECT_EQ(CaldavSyncWorkspace::requests(first), static_cast<int>(kPlanEvents) + 3) << first.out;

  const auto expected = ws().expected();
  ASSERT_EQ(expected.size(), kPlanEvents);
  const CalendarContents calendar = ws().contents();  // fails on a duplicate UID
  ASSERT_EQ(calendar.size(), expected.size());
  for (const auto& [uid, start] : expected) {
    ASSERT_EQ(calendar.count(uid), 1U) << uid << " is missing";
    EXPECT_EQ(calendar.at(uid).start, start) << uid;
    EXPECT_EQ(calendar.at(uid).tzid, "Europe/Oslo") << uid;
  }
  // Oslo wall-clock time on both sides of the change to summer time (30 March 2025) and back
  // (26 October): the local hour stays, the offset moves.
  EXPECT_EQ(calendar.at(fagmote_uid(3)).start, "2025-03-24T09:00:00+01:00");
  EXPECT_EQ(calendar.at(fagmote_uid(4)).start, "2025-03-31T09:00:00+02:00");
  EXPECT_EQ(calendar.at(kollega_uid(1)).start, "2025-09-04T13:00:00+02:00");
  EXPECT_EQ(calendar.at(kollega_uid(8)).start, "2025-10-23T13:00:00+02:00");
  EXPECT_EQ(calendar.at(kollega_uid(9)).start, "2025-10-30T13:00:00+01:00");
  EXPECT_EQ(calendar.at(fagmote_uid(1)).summary, "Fagmøte");
}

TEST_P(SyncCaldavIntegration, SecondSyncWithNothingChangedIsOneRequestAndTouchesNothing) {
  sync_ok();
  const CalendarContents before = ws().contents();
  ASSERT_EQ(before.size(), kPlanEvents);

  const ProcessResult second = sync_ok();
  EXPECT_EQ(CaldavSyncWorkspace::outcome(second), kNothingToDo) << second.out;
  EXPECT_EQ(CaldavSyncWorkspace::requests(second), 1) << second.out;
  EXPECT_EQ(ws().contents(), before) << "same ETags and bytes";
}

TEST_P(SyncCaldavIntegration, PlanEditsUpdateAndDeleteExactlyTheAffectedEvents) {
  sync_ok();
  const CalendarContents before = ws().contents();
  std::vector<std::string> fagmote;
  for (int n = 1; n <= 6; ++n) fagmote.push_back(fagmote_uid(n));

  // Fagmøte moves from 09:00 to 10:30: its six events change, the 16 others do not.
  ws().replace_in_plan(R"(time: { start: "09:00", end: "10:00" })",
                       R"(time: { start: "10:30", end: "11:30" })");
  const ProcessResult moved = sync_ok();
  EXPECT_EQ(CaldavSyncWorkspace::outcome(moved),
            "ok: 0 created, 6 updated, 0 deleted, 0 restored, 0 adopted, 16 unchanged, "
            "0 conflicts, 0 failed")
      << moved.out << moved.err;
  const CalendarContents after_move = ws().contents();
  EXPECT_EQ(without(after_move, fagmote), without(before, fagmote)) << "others untouched";
  EXPECT_EQ(after_move.at(fagmote_uid(3)).start, "2025-03-24T10:30:00+01:00");
  EXPECT_EQ(after_move.at(fagmote_uid(4)).start, "2025-03-31T10:30:00+02:00");
  for (const auto& uid : fagmote) {
    EXPECT_NE(after_move.at(uid).etag, before.at(uid).etag) << uid;
    EXPECT_EQ(after_move.at(uid).start.substr(11, 5), "10:30") << uid;
  }

  // The slot leaves the plan: exactly its six events go.
  ws().remove_fagmote();
  const ProcessResult removed = sync_ok();
  EXPECT_EQ(CaldavSyncWorkspace::outcome(removed),
            "ok: 0 created, 0 updated, 6 deleted, 0 restored, 0 adopted, 16 unchanged, "
            "0 conflicts, 0 failed")
      << removed.out << removed.err;
  EXPECT_EQ(ws().contents(), without(before, fagmote));

  // Shortening the other slot by two weeks deletes its last two events.
  ws().replace_in_plan("until: 2025-12-18", "until: 2025-12-04");
  const ProcessResult shortened = sync_ok();
  EXPECT_EQ(CaldavSyncWorkspace::outcome(shortened),
            "ok: 0 created, 0 updated, 2 deleted, 0 restored, 0 adopted, 14 unchanged, "
            "0 conflicts, 0 failed")
      << shortened.out << shortened.err;
  auto fagmote_and_last_two = fagmote;
  fagmote_and_last_two.push_back(kollega_uid(15));
  fagmote_and_last_two.push_back(kollega_uid(16));
  EXPECT_EQ(ws().contents(), without(before, fagmote_and_last_two));
}

TEST_P(SyncCaldavIntegration, OtherPeoplesEventsSurviveEverySyncByteForByte) {
  ws().edit({"create", "lunsj-1@example.org", "Lunsj med Kari", "20250110T110000Z"});
  sync_ok();
  ws().edit({"create", "kurs 2+3/ø@example.org", "Kurs", "20250324T080000Z"});
  const CalendarContents start = ws().contents();
  ASSERT_EQ(start.size(), kPlanEvents + 2);
  const std::vector<std::string> foreign{"lunsj-1@example.org", "kurs 2+3/ø@example.org"};
  auto foreign_of = [&](const CalendarContents& calendar) {
    CalendarContents out;
    for (const auto& uid : foreign) {
      if (calendar.count(uid) == 1) out.emplace(uid, calendar.at(uid));
    }
    return out;
  };
  const CalendarContents theirs = foreign_of(start);
  ASSERT_EQ(theirs.size(), 2U);

  const ProcessResult nothing = sync_ok();
  EXPECT_EQ(CaldavSyncWorkspace::outcome(nothing), kNothingToDo) << nothing.out;
  EXPECT_EQ(foreign_of(ws().contents()), theirs);

  ws().replace_in_plan(R"(time: { start: "09:00", end: "10:00" })",
                       R"(time: { start: "08:00", end: "09:00" })");
  sync_ok();
  EXPECT_EQ(foreign_of(ws().contents()), theirs) << "after updates";

  ws().remove_fagmote();
  sync_ok();
  const CalendarContents end = ws().contents();
  EXPECT_EQ(foreign_of(end), theirs) << "after deletes";
  EXPECT_EQ(end.size(), kPlanEvents - 6 + 2);
}

INSTANTIATE_TEST_SUITE_P(Servers, SyncCaldavIntegration,
                         ::testing::Values(kRadicale, kXandikos, kCyrus),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace plancal::testing
