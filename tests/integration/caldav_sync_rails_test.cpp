// `plancal sync` to a CalDAV calendar (Radicale, Xandikos), part two: edits and deletions
// made in the calendar under both on_remote_change policies, the mass-delete rail, --dry-run,
// and a broken plan. The suite is instantiated in caldav_sync_test.cpp.

#include <gtest/gtest.h>

#include <algorithm>

#include "caldav_sync_workspace.h"

namespace plancal::testing {
namespace {

/// What a user looks at: uid -> "start | TZID | summary" (not ETags: a restore may rewrite).
std::map<std::string, std::string> as_seen(const CalendarContents& calendar) {
  std::map<std::string, std::string> out;
  for (const auto& [uid, resource] : calendar) {
    out[uid] = resource.start + " | " + resource.tzid + " | " + resource.summary;
  }
  return out;
}

/// 1-based number of the first line of `text` that contains `needle`.
int line_of(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

TEST_P(SyncCaldavIntegration, RemoteEditsAndDeletionsAreRestoredByDefault) {
  sync_ok();
  const CalendarContents synced = ws().contents();
  ws().edit({"summary", kollega_uid(1), "Flyttet av Kari"});
  ws().edit({"move", kollega_uid(5), "60"});
  ws().edit({"delete", fagmote_uid(2)});
  const CalendarContents edited = ws().contents();
  ASSERT_EQ(edited.at(kollega_uid(1)).summary, "Flyttet av Kari");
  ASSERT_EQ(edited.count(fagmote_uid(2)), 0U);

  const ProcessResult restore = sync_ok();
  EXPECT_EQ(CaldavSyncWorkspace::outcome(restore),
            "ok: 0 created, 0 updated, 0 deleted, 3 restored, 0 adopted, 19 unchanged, "
            "3 conflicts, 0 failed")
      << restore.out << restore.err;
  const CalendarContents restored = ws().contents();
  EXPECT_EQ(as_seen(restored), as_seen(synced));
  EXPECT_EQ(without(restored, {kollega_uid(1), kollega_uid(5), fagmote_uid(2)}),
            without(synced, {kollega_uid(1), kollega_uid(5), fagmote_uid(2)}));

  const ProcessResult quiet = sync_ok();
  EXPECT_EQ(CaldavSyncWorkspace::outcome(quiet), kNothingToDo) << quiet.out;
  EXPECT_EQ(CaldavSyncWorkspace::requests(quiet), 1) << quiet.out;
}

TEST_P(SyncCaldavIntegration, KeepPolicyLeavesRemoteChangesUntilThePlanChanges) {
  ws().write_config("keep");
  sync_ok();
  ws().edit({"summary", kollega_uid(1), "Flyttet av Kari"});
  ws().edit({"delete", kollega_uid(2)});
  const CalendarContents edited = ws().contents();
  ASSERT_EQ(edited.size(), kPlanEvents - 1);

  const ProcessResult seen = sync_ok();
  EXPECT_EQ(CaldavSyncWorkspace::outcome(seen),
            "ok: 0 created, 0 updated, 0 deleted, 0 restored, 0 adopted, 20 unchanged, "
            "2 conflicts, 0 failed")
      << seen.out << seen.err;
  EXPECT_EQ(ws().contents(), edited) << "the edit and the deletion are kept";

  const ProcessResult again = sync_ok();
  EXPECT_EQ(CaldavSyncWorkspace::outcome(again), kNothingToDo) << again.out << again.err;
  EXPECT_EQ(CaldavSyncWorkspace::requests(again), 1) << again.out;
  EXPECT_EQ(ws().contents(), edited) << "and stay kept";

  // The plan changes these events (a new topic): the plan's version goes out again, to the
  // edited event and in place of the deleted one.
  ws().replace_in_plan("Planlagt og systematisk kollegaveiledning", "Veiledning i par");
  const ProcessResult changed = sync_ok();
  EXPECT_EQ(CaldavSyncWorkspace::outcome(changed),
            "ok: 1 created, 15 updated, 0 deleted, 0 restored, 0 adopted, 6 unchanged, "
            "0 conflicts, 0 failed")
      << changed.out << changed.err;
  const CalendarContents after = ws().contents();
  ASSERT_EQ(after.size(), kPlanEvents);
  EXPECT_EQ(after.at(kollega_uid(1)).summary, "Kollegaveiledning");
  EXPECT_EQ(after.at(kollega_uid(2)).start, "2025-09-11T13:00:00+02:00");
}

TEST_P(SyncCaldavIntegration, MassDeleteStopsUntilAllowed) {
  ws().edit({"create", "lunsj-1@example.org", "Lunsj med Kari", "20250910T110000Z"});
  sync_ok();
  const CalendarContents before = ws().contents();
  ASSERT_EQ(before.size(), kPlanEvents + 1);

  // A slip leaves only the Fagmøte slot: 16 of the 22 events would go.
  const std::string text = ws().plan_text();
  const auto slot = text.find("  - key: kollegaveiledning\n");
  const auto next = text.find("  - key: fagmote\n");
  ws().write_plan(text.substr(0, slot) + text.substr(next));
  const ProcessResult stopped = ws().sync();
  EXPECT_NE(stopped.exit_code, 0) << stopped.out << stopped.err;
  EXPECT_EQ(CaldavSyncWorkspace::outcome(stopped),
            "stopped: 0 created, 0 updated, 0 deleted, 0 restored, 0 adopted, 6 unchanged, "
            "0 conflicts, 0 failed")
      << stopped.out;
  EXPECT_NE(stopped.err.find("would delete 16 of the 22 events"), std::string::npos) << stopped.err;
  EXPECT_NE(stopped.err.find("--allow-mass-delete"), std::string::npos) << stopped.err;
  EXPECT_EQ(ws().contents(), before) << "nothing was changed";

  const ProcessResult allowed = sync_ok({"--allow-mass-delete"});
  EXPECT_EQ(CaldavSyncWorkspace::outcome(allowed),
            "ok: 0 created, 0 updated, 16 deleted, 0 restored, 0 adopted, 6 unchanged, "
            "0 conflicts, 0 failed")
      << allowed.out << allowed.err;
  std::vector<std::string> kollega;
  for (int n = 1; n <= 16; ++n) kollega.push_back(kollega_uid(n));
  EXPECT_EQ(ws().contents(), without(before, kollega));
}

TEST_P(SyncCaldavIntegration, DryRunChangesNothingOnTheServerNorInTheStore) {
  const ProcessResult first_dry = ws().sync({"--dry-run"});
  EXPECT_EQ(first_dry.exit_code, 0) << first_dry.out << first_dry.err;
  EXPECT_NE(first_dry.out.find("team: would create 22, update 0, delete 0; 0 unchanged"),
            std::string::npos)
      << first_dry.out;
  EXPECT_NE(first_dry.out.find("  create  " + fagmote_uid(1) + "  Fagmøte  (new)"),
            std::string::npos)
      << first_dry.out;
  EXPECT_TRUE(ws().contents().empty());

  const ProcessResult first = sync_ok();
  EXPECT_EQ(CaldavSyncWorkspace::outcome(first),
            "ok: 22 created, 0 updated, 0 deleted, 0 restored, 0 adopted, 0 unchanged, "
            "0 conflicts, 0 failed")
      << first.out << first.err;
  const CalendarContents before = ws().contents();

  ws().replace_in_plan(R"(time: { start: "09:00", end: "10:00" })",
                       R"(time: { start: "10:30", end: "11:30" })");
  ws().replace_in_plan("until: 2025-12-18", "until: 2025-12-04");
  const ProcessResult dry = ws().sync({"--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.out << dry.err;
  EXPECT_NE(dry.out.find("team: would create 0, update 6, delete 2; 14 unchanged"),
            std::string::npos)
      << dry.out;
  EXPECT_NE(dry.out.find("  update  " + fagmote_uid(4) + "  Fagmøte  (changed in the plan)"),
            std::string::npos)
      << dry.out;
  EXPECT_NE(dry.out.find("  delete  " + kollega_uid(16) + "    (removed from the plan)"),
            std::string::npos)
      << dry.out;
  EXPECT_EQ(ws().contents(), before);

  const ProcessResult real = sync_ok();
  EXPECT_EQ(CaldavSyncWorkspace::outcome(real),
            "ok: 0 created, 6 updated, 2 deleted, 0 restored, 0 adopted, 14 unchanged, "
            "0 conflicts, 0 failed")
      << real.out << real.err;
}

TEST_P(SyncCaldavIntegration, BrokenPlanLeavesTheCalendarAlone) {
  sync_ok();
  const CalendarContents before = ws().contents();
  const std::string good = ws().plan_text();

  // A YAML syntax error (a flow map left open): the error is reported where the parser
  // stops, on the line after.
  const std::string open_map = R"(time: { start: "09:00", end: "10:00")";
  ws().replace_in_plan(open_map + " }", open_map);
  const ProcessResult yaml = ws().sync();
  EXPECT_NE(yaml.exit_code, 0);
  const std::string at = "kollegaveiledning.yaml:" + std::to_string(line_of(good, open_map) + 1) +
                         ":5: error: YAML syntax error";
  EXPECT_NE(yaml.err.find(at), std::string::npos) << yaml.err;
  EXPECT_NE(yaml.err.find("the calendar keeps what it has"), std::string::npos) << yaml.err;
  EXPECT_EQ(CaldavSyncWorkspace::outcome(yaml), "") << "no sync: " << yaml.out;
  EXPECT_EQ(ws().contents(), before);

  // A plan that parses but breaks the schema is refused the same way.
  ws().write_plan(good);
  ws().replace_in_plan("weekday: MO", "weekday: MON");
  const ProcessResult schema = ws().sync();
  EXPECT_NE(schema.exit_code, 0);
  const std::string line = "kollegaveiledning.yaml:" + std::to_string(line_of(good, "weekday: MO"));
  EXPECT_NE(schema.err.find(line), std::string::npos) << schema.err;
  EXPECT_EQ(ws().contents(), before);

  ws().write_plan(good);
  const ProcessResult fixed = sync_ok();
  EXPECT_EQ(CaldavSyncWorkspace::outcome(fixed), kNothingToDo) << fixed.out << fixed.err;
  EXPECT_EQ(CaldavSyncWorkspace::requests(fixed), 1) << fixed.out;
}

}  // namespace
}  // namespace plancal::testing
