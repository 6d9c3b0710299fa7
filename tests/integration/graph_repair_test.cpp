// plancal sync to Microsoft 365 through the Graph emulator, where a mailbox was changed or a
// run was cut short (issue 13): an event someone deleted in Outlook comes back exactly once
// (each create carries a transactionId of its own, and the emulator refuses a transactionId
// whose event was deleted); a rerun after an interrupted run writes only what that run had not
// finished; two targets writing into one mailbox keep its four requests in flight; a listing
// follows every page when Graph pages below $top; a Teams join link survives a join block
// plancal does not recognise; and the preparation alarm of the feeds becomes the Outlook
// reminder.
#include <gtest/gtest.h>

#include "graph_workspace.h"

namespace plancal::testing {
namespace {

using nlohmann::json;

constexpr int kMailboxes = 4;

class GraphRepairIntegration : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { emulator_ = new GraphEmulator(kMailboxes); }
  static void TearDownTestSuite() {
    delete emulator_;
    emulator_ = nullptr;
  }
  void SetUp() override { emulator_->reset(); }

  static GraphEmulator& emulator() { return *emulator_; }

  /// How many `method` requests (batch items included) the mailbox has been sent so far.
  static int requests_of(const std::string& upn, const std::string& method) {
    return emulator().stats()["mailboxes"][upn]["by_method"].value(method, 0);
  }

  /// A Graph request as a user's Outlook would make it; its status.
  static int as_outlook(const std::string& method, const std::string& path,
                        const json& body = nullptr) {
    int status = 0;
    emulator().call(method, "/v1.0" + path, body, emulator().token(), &status);
    return status;
  }

  /// The target's report line without its request count, e.g. "ok: 0 created, ... 0 failed".
  static std::string report(const ProcessResult& run, const std::string& target = "m365") {
    const auto at = run.out.find(target + ": ");
    if (at == std::string::npos) return "(no report for " + target + ")\n" + run.out + run.err;
    const std::string line =
        run.out.substr(at + target.size() + 2, run.out.find('\n', at) - at - target.size() - 2);
    return line.substr(0, line.rfind(" ("));
  }

  static GraphEmulator* emulator_;
};

GraphEmulator* GraphRepairIntegration::emulator_ = nullptr;

TEST_F(GraphRepairIntegration, AnEventDeletedInOutlookIsPutBackExactlyOnceEveryTime) {
  GraphWorkspace ws(kMailboxes, emulator().graph_url(), "      mailbox: user00000@kommune.no\n");
  const std::string upn = graph_upn(0);
  ASSERT_EQ(ws.sync().exit_code, 0);
  const auto want = ws.expected("all");
  const std::string m2 = "mandagsseminar-2024.mandagsseminar.2.team-A.A@plancal";
  const std::string m7 = "mandagsseminar-2024.mandagsseminar.7.team-C.C@plancal";

  // Deleted twice over: each restore is a new create, so each needs a new transactionId (the
  // emulator, like a strict Exchange, refuses the id of a deleted event for any later create).
  for (int round = 1; round <= 2; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    auto events = plancal_events(emulator(), upn);
    ASSERT_EQ(events.size(), want.size());
    ASSERT_EQ(
        as_outlook("DELETE", "/users/" + upn + "/events/" + events.at(m2)["id"].get<std::string>()),
        204);
    ASSERT_EQ(
        as_outlook("DELETE", "/users/" + upn + "/events/" + events.at(m7)["id"].get<std::string>()),
        204);

    const ProcessResult restore = ws.sync();
    ASSERT_EQ(restore.exit_code, 0) << restore.out << restore.err;
    EXPECT_EQ(report(restore),
              "ok: 0 created, 0 updated, 0 deleted, 2 restored, 0 adopted, 31 unchanged, "
              "2 conflicts, 0 failed")
        << restore.out << restore.err;
    events = plancal_events(emulator(), upn);  // fails on a duplicate
    EXPECT_EQ(events.size(), want.size());
    EXPECT_EQ(events.count(m2), 1U);
    EXPECT_EQ(events.count(m7), 1U);
  }
  const ProcessResult quiet = ws.sync();
  EXPECT_NE(report(quiet).find("0 created, 0 updated, 0 deleted, 0 restored, 0 adopted, 33 "
                               "unchanged"),
            std::string::npos)
      << quiet.out;
}

TEST_F(GraphRepairIntegration, RerunAfterAnInterruptedRunWritesOnlyWhatItHadNotFinished) {
  GraphWorkspace ws(kMailboxes, emulator().graph_url(), "      mailbox: user00001@kommune.no\n");
  const std::string upn = graph_upn(1);
  ASSERT_EQ(ws.sync().exit_code, 0);
  ws.edit_plan("location: Undervisningsbrakka", "location: Undervisningsbrakka, rom 2");
  const ProcessResult edit = ws.sync();
  ASSERT_EQ(edit.exit_code, 0) << edit.out << edit.err;
  ASSERT_NE(report(edit).find("33 updated"), std::string::npos) << edit.out;

  // What a kill leaves when every write landed and no answer was booked: the intent rows. The
  // team-A events as creates not yet given an id, the others as updates of the old version.
  const ProcessResult forget = run_process(
      {kDebianPython, "-c",
       "import sqlite3, sys\n"
       "db = sqlite3.connect(sys.argv[1])\n"
       "db.execute(\"UPDATE sync_items SET state = 'creating', ref = '', version = '' "
       "WHERE uid LIKE '%.team-A.%'\")\n"
       "db.execute(\"UPDATE sync_items SET state = 'updating', version = 'W/\\\"before\\\"' "
       "WHERE uid NOT LIKE '%.team-A.%'\")\n"
       "db.commit()\n",
       (ws.dir.path() / "var" / "plancal.db").string()});
  ASSERT_EQ(forget.exit_code, 0) << forget.err;

  const int patches = requests_of(upn, "PATCH");
  const int posts = requests_of(upn, "POST");
  const ProcessResult rerun = ws.sync();
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  EXPECT_EQ(requests_of(upn, "PATCH") - patches, 0) << "every event already holds its plancalHash";
  EXPECT_EQ(requests_of(upn, "POST") - posts, 0);
  // The killed run's writes are counted where the rerun settles them: the counts add up to 33.
  EXPECT_EQ(report(rerun),
            "ok: 11 created, 22 updated, 0 deleted, 0 restored, 0 adopted, 0 unchanged, "
            "0 conflicts, 0 failed")
      << rerun.out << rerun.err;
  EXPECT_EQ(plancal_events(emulator(), upn).size(), 33U);
  const ProcessResult quiet = ws.sync();
  EXPECT_NE(report(quiet).find("33 unchanged"), std::string::npos) << quiet.out;
}

TEST_F(GraphRepairIntegration, TwoTargetsWritingIntoOneMailboxKeepItsFourRequestsInFlight) {
  GraphWorkspace ws(kMailboxes, emulator().graph_url(), "      mailbox: user00002@kommune.no\n");
  std::string config = read_file(ws.config);
  const auto targets = config.find("targets:\n");
  const std::string target = config.substr(targets + 9);  // "  - name: m365\n ..."
  std::string second = target;
  GraphWorkspace::replace(second, "name: m365", "name: m365-b");
  ws.dir.write("etc/plancal.yaml",
               config.substr(0, targets + 9) + target +
                   "      calendar: Mandagsseminar A\n      create_calendar: true\n" + second +
                   "      calendar: Mandagsseminar B\n      create_calendar: true\n");
  // Slow answers, so that the two targets' batches overlap.
  emulator().control("POST", "throttling", json{{"latency", 0.05}});
  const ProcessResult run = ws.sync();
  emulator().control("POST", "throttling", json{{"latency", 0}});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const json mailbox = emulator().stats()["mailboxes"][graph_upn(2)];
  EXPECT_LE(mailbox["peak_in_flight"].get<int>(), 4) << mailbox.dump();
  EXPECT_EQ(mailbox["throttled_concurrency"].get<int>(), 0) << mailbox.dump();
  std::map<std::string, int> per_calendar;
  const json dump = emulator().mailbox(graph_upn(2));
  for (const json& event : dump.at("events")) {
    ++per_calendar[event.value("calendarName", "")];
  }
  EXPECT_EQ(per_calendar["Mandagsseminar A"], 33);
  EXPECT_EQ(per_calendar["Mandagsseminar B"], 33);
}

TEST_F(GraphRepairIntegration, ListingsFollowEveryPageWhenGraphPagesBelowTop) {
  GraphWorkspace ws(kMailboxes, emulator().graph_url(), "      mailbox: user00000@kommune.no\n");
  // Graph decides the page size: five events a page, seven pages of listing, each page a
  // $batch item of its own.
  emulator().control("POST", "paging", json{{"max_page", 5}});
  const ProcessResult first = ws.sync();
  const ProcessResult again = ws.sync();
  emulator().control("POST", "paging", json{{"max_page", 0}});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(plancal_events(emulator(), graph_upn(0)).size(), 33U);
  EXPECT_EQ(report(again),
            "ok: 0 created, 0 updated, 0 deleted, 0 restored, 0 adopted, 33 unchanged, "
            "0 conflicts, 0 failed")
      << again.out << again.err;
}

TEST_F(GraphRepairIntegration, TeamsJoinLinkSurvivesAJoinBlockPlancalDoesNotRecognise) {
  emulator().control("POST", "teams-block", json{{"style", "compact"}});
  GraphWorkspace ws(kMailboxes, emulator().graph_url(), "      mailbox: user00003@kommune.no\n");
  ws.plan = ws.dir.write("etc/plans/mandagsseminar-2024.yaml",
                         read_file(source_dir() / "config/plans/dybdemoter-2021.yaml"));
  std::string config = read_file(ws.config);
  GraphWorkspace::replace(config, "plan: mandagsseminar-2024", "plan: dybdemoter-2021");
  ws.dir.write("etc/plancal.yaml", config);
  const ProcessResult first = ws.sync();
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  std::map<std::string, std::string> join_urls;
  for (const auto& [uid, event] : plancal_events(emulator(), graph_upn(3))) {
    join_urls[uid] = event["onlineMeeting"]["joinUrl"];
    ASSERT_NE(event["body"]["content"].get<std::string>().find(join_urls[uid]), std::string::npos);
  }
  ASSERT_EQ(join_urls.size(), 12U);

  ws.edit_plan("Alle møtene foregår digitalt på Teams.", "Alle møtene foregår på Teams.");
  const ProcessResult second = ws.sync();
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_NE(report(second).find("12 updated"), std::string::npos) << second.out;
  for (const auto& [uid, event] : plancal_events(emulator(), graph_upn(3))) {
    EXPECT_NE(event["body"]["content"].get<std::string>().find(join_urls.at(uid)),
              std::string::npos)
        << uid << ": the join link left the body";
    EXPECT_EQ(event["onlineMeeting"]["joinUrl"], join_urls.at(uid));
  }
  EXPECT_NE(second.err.find("does not recognise"), std::string::npos) << second.err;
}

TEST_F(GraphRepairIntegration, PreparationAlarmIsTheOutlookReminder) {
  GraphWorkspace ws(kMailboxes, emulator().graph_url(), "      mailbox: user00000@kommune.no\n");
  ws.audience = "team:A";
  ws.write_config(emulator().graph_url(), "      mailbox: user00000@kommune.no\n");
  ASSERT_EQ(ws.sync().exit_code, 0);
  // The seminars that list preparation items (seed 000); the others have no alarm in the feeds.
  const std::set<std::string> prepared{"2", "3", "6", "7", "8", "9", "10"};
  const auto with_alarm = [&](const std::string& uid) {
    const std::string prefix = "mandagsseminar-2024.mandagsseminar.";
    return prepared.contains(
        uid.substr(prefix.size(), uid.find('.', prefix.size()) - prefix.size()));
  };
  const auto events = plancal_events(emulator(), graph_upn(0));
  ASSERT_EQ(events.size(), 11U);
  for (const auto& [uid, event] : events) {
    // Every seminar starts at 09:00; the feeds' alarm rings the day before at 18:00 (the
    // default), 15 hours before the start. A seminar without preparation keeps the usual
    // 15 minutes.
    EXPECT_EQ(event["isReminderOn"], true) << uid;
    EXPECT_EQ(event["reminderMinutesBeforeStart"], with_alarm(uid) ? 15 * 60 : 15) << uid;
  }

  // Another alarm time changes every event that has the alarm, once.
  ws.dir.write("etc/plancal.yaml",
               read_file(ws.config) + "reminders:\n  alarm: {days_before: 2, time: \"20:00\"}\n");
  const ProcessResult moved = ws.sync();
  ASSERT_EQ(moved.exit_code, 0) << moved.out << moved.err;
  EXPECT_NE(report(moved).find("0 created, 7 updated, 0 deleted, 0 restored, 0 adopted, "
                               "4 unchanged"),
            std::string::npos)
      << moved.out;
  for (const auto& [uid, event] : plancal_events(emulator(), graph_upn(0))) {
    EXPECT_EQ(event["reminderMinutesBeforeStart"], with_alarm(uid) ? 2 * 24 * 60 - 11 * 60 : 15)
        << uid;
  }
  EXPECT_NE(report(ws.sync()).find("11 unchanged"), std::string::npos);
}

}  // namespace
}  // namespace plancal::testing
