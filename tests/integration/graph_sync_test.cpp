// plancal sync to Microsoft 365 mailboxes, end to end through the Graph emulator: a
// per-person push for a 200-person roster, incremental changes and remote edits, auth
// failures, and throttling with injected faults.
#include <gtest/gtest.h>

#include "graph_workspace.h"

namespace plancal::testing {
namespace {

using nlohmann::json;

constexpr int kPeople = 200;

class GraphIntegration : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    emulator_ = new GraphEmulator(kPeople, {"--retry-after-decimal"});
  }
  static void TearDownTestSuite() {
    delete emulator_;
    emulator_ = nullptr;
  }
  void SetUp() override { emulator_->reset(); }

  static GraphEmulator& emulator() { return *emulator_; }

  /// The plancal events of a mailbox by UID, failing on a duplicate.
  static std::map<std::string, json> events_of(const std::string& upn) {
    std::map<std::string, json> out;
    const json mailbox = emulator().mailbox(upn);
    for (const json& event : mailbox.at("events")) {
      const std::string uid = plancal_uid(event);
      EXPECT_FALSE(uid.empty()) << upn << ": an event without plancal's UID";
      EXPECT_TRUE(out.emplace(uid, event).second) << upn << ": duplicate " << uid;
    }
    return out;
  }

  /// Every mailbox holds exactly its person's events, at the plan's wall-clock times.
  static void expect_each_mailbox_holds_its_events(GraphWorkspace& ws, int people) {
    std::map<std::string, std::map<std::string, std::string>> by_team;
    for (const char* team : {"A", "B", "C"})
      by_team[team] = ws.expected(std::string("team:") + team);
    for (int n = 0; n < people; ++n) {
      const auto& want = by_team.at(GraphWorkspace::team_of(n));
      const json mailbox = emulator().mailbox(graph_upn(n));
      std::set<std::string> seen;
      for (const json& event : mailbox.at("events")) {
        const std::string uid = plancal_uid(event);
        ASSERT_TRUE(seen.insert(uid).second) << graph_upn(n) << ": duplicate " << uid;
        ASSERT_TRUE(want.count(uid) == 1) << graph_upn(n) << " holds " << uid;
        // "2024-01-15T09:00:00+01:00" -> local "2024-01-15T09:00:00" in the Windows zone.
        const std::string start = want.at(uid);
        EXPECT_EQ(event["start"]["dateTime"].get<std::string>().substr(0, 19), start.substr(0, 19));
        EXPECT_EQ(event["start"]["timeZone"], "W. Europe Standard Time");
        EXPECT_EQ(event.value("isOnlineMeeting", false), false);
        EXPECT_TRUE(event.value("attendees", json::array()).empty());
      }
      EXPECT_EQ(seen.size(), want.size()) << graph_upn(n);
    }
  }

  static GraphEmulator* emulator_;
};

GraphEmulator* GraphIntegration::emulator_ = nullptr;

TEST_F(GraphIntegration, PerPersonPushOf200PeopleAtNineOsloTimeWinterAndSummer) {
  GraphWorkspace ws(kPeople, emulator().graph_url(), "      per_person: true\n");
  const ProcessResult first = ws.sync();
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  ASSERT_NE(first.out.find("m365/p00199: ok: 11 created"), std::string::npos)
      << first.out << first.err;
  expect_each_mailbox_holds_its_events(ws, kPeople);

  // Winter and summer time: meeting 1 (January, UTC+1) and meeting 6 (August, UTC+2) of
  // team A both start at 09:00 in Oslo.
  const auto events = events_of(graph_upn(0));
  const json& winter = events.at("mandagsseminar-2024.mandagsseminar.1.team-A.A@plancal");
  const json& summer = events.at("mandagsseminar-2024.mandagsseminar.6.team-A.A@plancal");
  EXPECT_EQ(winter["startUtc"].get<std::string>().substr(11, 5), "08:00");
  EXPECT_EQ(summer["startUtc"].get<std::string>().substr(11, 5), "07:00");

  const json stats = emulator().stats();
  EXPECT_LE(stats["max_peak_in_flight"].get<int>(), 4);
  EXPECT_EQ(stats["invitations_would_be_sent"].get<int>(), 0);

  // A second run changes nothing.
  const ProcessResult second = ws.sync();
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_NE(second.out.find("0 created, 0 updated, 0 deleted"), std::string::npos) << second.out;
  expect_each_mailbox_holds_its_events(ws, kPeople);
}

TEST_F(GraphIntegration, IncrementalChangeRemovalRemoteEditAndRemoteDelete) {
  GraphWorkspace ws(kPeople, emulator().graph_url(), "      mailbox: user00001@kommune.no\n");
  ws.audience = "team:B";
  ws.write_config(emulator().graph_url(),
                  "      mailbox: user00001@kommune.no\n      calendar: Mandagsseminar\n"
                  "      create_calendar: true\n");
  ASSERT_EQ(ws.sync().exit_code, 0);
  const std::string upn = graph_upn(1);
  const std::string m1 = "mandagsseminar-2024.mandagsseminar.1.team-B.B@plancal";
  const std::string m2 = "mandagsseminar-2024.mandagsseminar.2.team-B.B@plancal";
  const std::string m3 = "mandagsseminar-2024.mandagsseminar.3.team-B.B@plancal";
  auto events = events_of(upn);
  ASSERT_EQ(events.size(), ws.expected("team:B").size());
  const std::string calendar = events.at(m1).value("calendarName", "");
  EXPECT_EQ(calendar, "Mandagsseminar");

  // Someone edits meeting 2 and deletes meeting 3 in Outlook.
  const std::string token = emulator().token();
  int status = 0;
  emulator().call("PATCH",
                  "/v1.0/users/" + upn + "/events/" + events.at(m2)["id"].get<std::string>(),
                  json{{"subject", "Flyttet av meg"}}, token, &status);
  ASSERT_EQ(status, 200);
  emulator().call("DELETE",
                  "/v1.0/users/" + upn + "/events/" + events.at(m3)["id"].get<std::string>(),
                  nullptr, token, &status);
  ASSERT_EQ(status, 204);
  // The plan changes meeting 1's topic; a dry run says what would happen and writes nothing.
  ws.edit_plan("En dag på Milepælen", "En ny dag på Milepælen");
  const json before = emulator().mailbox(upn);
  const ProcessResult dry = ws.sync({"--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.out << dry.err;
  EXPECT_NE(dry.out.find("would create 1, update 2, delete 0"), std::string::npos) << dry.out;
  EXPECT_EQ(emulator().mailbox(upn), before);
  const ProcessResult second = ws.sync();
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  events = events_of(upn);
  EXPECT_EQ(events.size(), ws.expected("team:B").size());
  EXPECT_EQ(events.at(m1)["subject"], "Mandagsseminar 1: En ny dag på Milepælen");
  EXPECT_NE(events.at(m1)["body"]["content"].get<std::string>().find("En ny dag"),
            std::string::npos);
  EXPECT_EQ(events.at(m2)["subject"].get<std::string>().rfind("Mandagsseminar 2", 0), 0U)
      << "the plan wins over a remote edit";
  EXPECT_EQ(events.count(m3), 1U) << "a remotely deleted event is put back";

  // Meeting 11 leaves the plan.
  const std::string m11 = "mandagsseminar-2024.mandagsseminar.11.team-B.B@plancal";
  ASSERT_EQ(events.count(m11), 1U);
  ws.cut_plan_at("      - number: 11");
  const ProcessResult third = ws.sync();
  ASSERT_EQ(third.exit_code, 0) << third.out << third.err;
  events = events_of(upn);
  EXPECT_EQ(events.count(m11), 0U);
  EXPECT_EQ(events.size(), 10U);
  EXPECT_EQ(events.size(), ws.expected("team:B").size());
}

TEST_F(GraphIntegration, AuthFailuresAreClearAndFreeOfSecrets) {
  {
    GraphWorkspace ws(3, emulator().graph_url(), "      mailbox: user00000@kommune.no\n",
                      "wrong-secret-Value~9");
    const ProcessResult r = ws.sync();
    EXPECT_NE(r.exit_code, 0);
    const std::string text = r.out + r.err;
    EXPECT_NE(text.find("AADSTS7000215"), std::string::npos) << text;
    EXPECT_NE(text.find("secret is wrong"), std::string::npos) << text;
    EXPECT_EQ(text.find("wrong-secret-Value"), std::string::npos) << text;
  }
  {
    GraphWorkspace ws(3, emulator().graph_url(), "      mailbox: user00000@kommune.no\n",
                      kGraphExpiredSecret);
    const ProcessResult r = ws.sync();
    EXPECT_NE(r.exit_code, 0);
    const std::string text = r.out + r.err;
    EXPECT_NE(text.find("AADSTS7000222"), std::string::npos) << text;
    EXPECT_NE(text.find("has expired"), std::string::npos) << text;
    EXPECT_EQ(text.find(kGraphExpiredSecret), std::string::npos) << text;
  }
  {
    GraphWorkspace ws(3, emulator().graph_url(), "      mailbox: user00000@kommune.no\n");
    ws.client_id = kGraphAppWithoutConsent;
    ws.write_config(emulator().graph_url(), "      mailbox: user00000@kommune.no\n");
    const ProcessResult r = ws.sync();
    EXPECT_NE(r.exit_code, 0);
    const std::string text = r.out + r.err;
    EXPECT_NE(text.find("403 ErrorAccessDenied"), std::string::npos) << text;
    EXPECT_NE(text.find("Calendars.ReadWrite"), std::string::npos) << text;
    EXPECT_EQ(text.find(kGraphSecret), std::string::npos) << text;
  }
  EXPECT_TRUE(emulator().mailbox(graph_upn(0)).at("events").empty());
}

TEST_F(GraphIntegration, ThrottlingFaultsAndResetsCompleteWithoutDuplicates) {
  constexpr int kMailboxes = 30;
  emulator().control("POST", "throttling",
                     json{{"retry_after", 0.2}, {"retry_after_decimal", true}, {"latency", 0.01}});
  emulator().control("POST", "faults", json{{"mailbox", "*"}, {"kind", "503"}, {"count", 25}});
  emulator().control("POST", "faults",
                     json{{"mailbox", "*"}, {"kind", "drop_after"}, {"count", 10}});
  emulator().control("POST", "faults",
                     json{{"mailbox", "*"}, {"kind", "429"}, {"count", 20}, {"retry_after", 0.3}});
  GraphWorkspace ws(kMailboxes, emulator().graph_url(), "      per_person: true\n");
  const ProcessResult r = ws.sync();
  emulator().control("POST", "throttling", json{{"retry_after", 1}, {"latency", 0}});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  expect_each_mailbox_holds_its_events(ws, kMailboxes);
  const json stats = emulator().stats();
  EXPECT_LE(stats["max_peak_in_flight"].get<int>(), 4);
  int answered_503 = 0;
  int answered_429 = 0;
  for (const auto& [upn, mailbox] : stats["mailboxes"].items()) {
    answered_503 += mailbox["by_status"].value("503", 0);
    answered_429 += mailbox["by_status"].value("429", 0);
  }
  EXPECT_EQ(answered_503, 25) << "the injected faults were met";
  EXPECT_GE(answered_429, 20);
}

TEST_F(GraphIntegration, TeamsMeetingsKeepTheirJoinBlockWhenThePlanChanges) {
  GraphWorkspace ws(3, emulator().graph_url(), "      mailbox: user00002@kommune.no\n");
  std::string plan = read_file(source_dir() / "config/plans/dybdemoter-2021.yaml");
  ws.plan = ws.dir.write("etc/plans/mandagsseminar-2024.yaml", plan);  // the config's plan file
  std::string config = read_file(ws.config);
  GraphWorkspace::replace(config, "plan: mandagsseminar-2024", "plan: dybdemoter-2021");
  ws.dir.write("etc/plancal.yaml", config);
  const ProcessResult first = ws.sync();
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  const std::string marker(80, '_');
  auto events = events_of(graph_upn(2));
  ASSERT_EQ(events.size(), 12U);
  std::map<std::string, std::string> join_urls;
  for (const auto& [uid, event] : events) {
    EXPECT_EQ(event["isOnlineMeeting"], true);
    EXPECT_EQ(event["onlineMeetingProvider"], "teamsForBusiness");
    EXPECT_NE(event["body"]["content"].get<std::string>().find(marker), std::string::npos);
    join_urls[uid] = event["onlineMeeting"]["joinUrl"];
  }
  // The body text changes in the plan: the new text goes out with Graph's join block kept.
  ws.edit_plan("Alle møtene foregår digitalt på Teams.", "Alle møtene foregår på Teams.");
  const ProcessResult second = ws.sync();
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  events = events_of(graph_upn(2));
  for (const auto& [uid, event] : events) {
    const std::string body = event["body"]["content"];
    EXPECT_NE(body.find("Alle møtene foregår på Teams."), std::string::npos) << uid;
    EXPECT_NE(body.find(marker), std::string::npos) << uid << ": the join block was dropped";
    EXPECT_NE(body.find(join_urls.at(uid)), std::string::npos) << uid;
    EXPECT_EQ(event["onlineMeeting"]["joinUrl"], join_urls.at(uid));
  }
}

}  // namespace
}  // namespace plancal::testing
