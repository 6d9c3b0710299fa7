#include <gtest/gtest.h>

#include "graph/event_cache.h"
#include "graph/event_json.h"
#include "graph/windows_zone.h"

namespace plancal::graph {
namespace {

Occurrence meeting(int month, int day) {
  Occurrence o;
  o.uid = "mandagsseminar-2024.rotation.m1.team-A.A@plancal";
  o.summary = "Mandagsseminar 1: <Ungdom> & \"omsorg\"";
  o.description = "Foreleser: Kari\nForberedelser: les <kapittel 2>";
  o.location = "Undervisningsbrakka";
  o.categories = {"Mandagsseminar"};
  o.start = LocalDateTime{Date{2024, month, day}, TimeOfDay{9, 0}};
  o.end = LocalDateTime{Date{2024, month, day}, TimeOfDay{12, 0}};
  o.timezone = "Europe/Oslo";
  return o;
}

TEST(GraphWindowsZoneTest, MapsIanaNamesThroughIcu) {
  EXPECT_EQ(windows_zone("Europe/Oslo").value(), "W. Europe Standard Time");
  EXPECT_EQ(windows_zone("Europe/London").value(), "GMT Standard Time");
  EXPECT_EQ(windows_zone("America/New_York").value(), "Eastern Standard Time");
  EXPECT_EQ(windows_zone("UTC").value(), "UTC");
  EXPECT_FALSE(windows_zone("Mars/Olympus_Mons"));
  EXPECT_FALSE(windows_zone(""));
}

TEST(GraphEventJsonTest, WallClockNineInWinterAndSummerInTheWindowsZone) {
  for (const auto& [month, day] : {std::pair{1, 15}, std::pair{8, 26}}) {
    const Result<GraphEvent> event = to_graph_event(meeting(month, day));
    ASSERT_TRUE(event);
    const nlohmann::json& p = event->payload;
    EXPECT_EQ(p["start"]["timeZone"], "W. Europe Standard Time");
    EXPECT_EQ(p["start"]["dateTime"].get<std::string>().substr(10), "T09:00:00");
    EXPECT_EQ(p["end"]["dateTime"].get<std::string>().substr(10), "T12:00:00");
    EXPECT_EQ(p["showAs"], "busy");
    EXPECT_EQ(p["isReminderOn"], true);
    EXPECT_EQ(p["isAllDay"], false);
  }
}

TEST(GraphEventJsonTest, BodyIsEscapedHtmlAndSubjectIsPlainText) {
  const GraphEvent event = to_graph_event(meeting(1, 15)).value();
  const std::string body = event.payload["body"]["content"];
  EXPECT_EQ(event.payload["body"]["contentType"], "html");
  EXPECT_NE(body.find("les &lt;kapittel 2&gt;"), std::string::npos) << body;
  EXPECT_NE(body.find("Kari<br>Forberedelser"), std::string::npos) << body;
  EXPECT_EQ(event.payload["subject"], "Mandagsseminar 1: <Ungdom> & \"omsorg\"");
  EXPECT_EQ(html_text("a&b<c>\"'"), "a&amp;b&lt;c&gt;&quot;&#39;");
}

TEST(GraphEventJsonTest, AllDayDeadlineIsFreeWithoutReminder) {
  Occurrence o = meeting(10, 15);
  o.kind = OccurrenceKind::Deadline;
  o.all_day = true;
  o.start = LocalDateTime{Date{2024, 10, 15}, TimeOfDay{0, 0}};
  o.end = LocalDateTime{Date{2024, 10, 16}, TimeOfDay{0, 0}};
  const GraphEvent event = to_graph_event(o).value();
  EXPECT_EQ(event.payload["isAllDay"], true);
  EXPECT_EQ(event.payload["showAs"], "free");
  EXPECT_EQ(event.payload["isReminderOn"], false);
  EXPECT_EQ(event.payload["start"]["dateTime"], "2024-10-15T00:00:00");
  EXPECT_EQ(event.payload["end"]["dateTime"], "2024-10-16T00:00:00");
}

TEST(GraphEventJsonTest, TeamsMeetingAsksGraphForTheJoinLink) {
  Occurrence o = meeting(9, 7);
  o.content.online = OnlineMeeting{"teams", ""};
  const GraphEvent event = to_graph_event(o).value();
  EXPECT_TRUE(event.online);
  EXPECT_EQ(event.payload["isOnlineMeeting"], true);
  EXPECT_EQ(event.payload["onlineMeetingProvider"], "teamsForBusiness");
  EXPECT_FALSE(event.payload.contains("attendees"));
}

TEST(GraphEventJsonTest, CreateCarriesPropertiesAndTransactionIdUpdateMayLeaveBodyOut) {
  const GraphEvent event = to_graph_event(meeting(1, 15)).value();
  const nlohmann::json create = create_body(event, "uid-1");
  ASSERT_EQ(create["singleValueExtendedProperties"].size(), 3U);
  EXPECT_EQ(create["singleValueExtendedProperties"][0]["id"], kUidProperty);
  EXPECT_EQ(create["singleValueExtendedProperties"][0]["value"], "uid-1");
  EXPECT_EQ(create["singleValueExtendedProperties"][1]["value"], event.hash);
  EXPECT_EQ(create["transactionId"], transaction_id("uid-1", event.hash));
  EXPECT_EQ(create["transactionId"].get<std::string>().size(), 36U);
  EXPECT_FALSE(update_body(event, "uid-1", false).contains("body"));
  EXPECT_FALSE(update_body(event, "uid-1", false).contains("transactionId"));
  EXPECT_TRUE(update_body(event, "uid-1", true).contains("body"));
}

TEST(GraphEventJsonTest, HashIsStableAndFollowsContent) {
  const GraphEvent a = to_graph_event(meeting(1, 15)).value();
  EXPECT_EQ(a.hash, to_graph_event(meeting(1, 15)).value().hash);
  Occurrence moved = meeting(1, 22);
  const GraphEvent b = to_graph_event(moved).value();
  EXPECT_NE(a.hash, b.hash);
  EXPECT_EQ(a.body_hash, b.body_hash);  // a new date leaves the body alone
  EXPECT_NE(transaction_id("u", a.hash), transaction_id("u", b.hash));
}

TEST(GraphEventJsonTest, EachCreateAttemptAndCalendarHasItsOwnTransactionId) {
  const GraphEvent event = to_graph_event(meeting(1, 15)).value();
  const std::string first = transaction_id("uid-1", event.hash, 1, "AAMkCal");
  EXPECT_EQ(first, transaction_id("uid-1", event.hash, 1, "AAMkCal")) << "a retry: the same";
  EXPECT_NE(first, transaction_id("uid-1", event.hash, 2, "AAMkCal")) << "a new attempt";
  EXPECT_NE(first, transaction_id("uid-1", event.hash, 1, "AAMkOther")) << "another calendar";
  EXPECT_NE(first, transaction_id("uid-1", event.hash)) << "attempt 0 is the unnumbered id";
  EXPECT_EQ(create_body(event, "uid-1", 1, "AAMkCal")["transactionId"], first);
}

TEST(GraphEventJsonTest, PreparationAlarmIsTheReminderOfMeetingsThatHaveOne) {
  Occurrence prepared = meeting(1, 15);
  prepared.content.preparation = {"Les kapittel 2"};
  const PreparationAlarm evening_before;  // the day before at 18:00
  const GraphEvent event = to_graph_event(prepared, evening_before).value();
  EXPECT_EQ(event.payload["isReminderOn"], true);
  EXPECT_EQ(event.payload["reminderMinutesBeforeStart"], 15 * 60);
  EXPECT_NE(event.hash, to_graph_event(prepared).value().hash) << "the setting is content";

  // Without preparation items, or with the alarm off: the usual 15 minutes.
  EXPECT_EQ(to_graph_event(meeting(1, 15), evening_before)->payload["reminderMinutesBeforeStart"],
            15);
  EXPECT_EQ(to_graph_event(prepared)->payload["reminderMinutesBeforeStart"], 15);
  // A deadline keeps no reminder.
  Occurrence deadline = prepared;
  deadline.kind = OccurrenceKind::Deadline;
  deadline.all_day = true;
  const GraphEvent all_day = to_graph_event(deadline, evening_before).value();
  EXPECT_EQ(all_day.payload["isReminderOn"], false);
  EXPECT_FALSE(all_day.payload.contains("reminderMinutesBeforeStart"));
}

TEST(GraphEventJsonTest, FindsAndReappendsTheTeamsJoinBlock) {
  const std::string marker(80, '_');
  const std::string block = "<div style=\"width:100%\"><span>" + marker +
                            "</span></div><div><a href=\"https://teams/x\">Join</a></div>"
                            "<div style=\"width:100%\"><span>" +
                            marker + "</span></div>";
  const std::string html = "<html><body><p>old</p>" + block + "\r\n</body></html>";
  EXPECT_EQ(teams_join_block(html), block);
  EXPECT_EQ(teams_join_block("<p>no block</p>"), "");
  EXPECT_EQ(append_block("<html><body><p>new</p></body></html>", block),
            "<html><body><p>new</p>" + block + "</body></html>");
}

TEST(GraphEventCacheTest, EachOccurrenceIsBuiltOnceAsToGraphEventBuildsIt) {
  const Occurrence winter = meeting(1, 15);
  Occurrence summer = meeting(8, 26);
  summer.uid = "mandagsseminar-2024.rotation.m2.team-A.A@plancal";
  EventCache cache(std::nullopt);
  const SharedEvent first = cache.event(winter);
  const SharedEvent again = cache.event(winter);
  const SharedEvent other = cache.event(summer);
  ASSERT_TRUE(*first);
  ASSERT_TRUE(*other);
  EXPECT_EQ(first.get(), again.get()) << "the second mailbox gets the event already built";
  EXPECT_EQ(cache.size(), 2U);
  const GraphEvent built = to_graph_event(winter).value();
  EXPECT_EQ((*first)->payload, built.payload);
  EXPECT_EQ((*first)->hash, built.hash);
  EXPECT_EQ((*first)->body_hash, built.body_hash);
  EXPECT_NE((*other)->hash, built.hash);
}

TEST(GraphEventCacheTest, AZoneWithoutAWindowsNameStaysAnError) {
  Occurrence o = meeting(1, 15);
  o.timezone = "Mars/Olympus_Mons";
  EventCache cache(std::nullopt);
  EXPECT_FALSE(*cache.event(o));
  EXPECT_FALSE(*cache.event(o));
  EXPECT_FALSE(*build_event(o, std::nullopt));
}

}  // namespace
}  // namespace plancal::graph
