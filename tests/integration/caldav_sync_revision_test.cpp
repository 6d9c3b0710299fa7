// `plancal sync` to a CalDAV calendar (Radicale, Xandikos), part three: what an event says
// beyond its times (issue 13). A write over a calendar user's revision sends a higher SEQUENCE
// than the one their client left (RFC 5545 §3.8.7.4), and pushed meetings carry the same
// preparation alarm as the feeds. The calendar is read back with python3-caldav and
// python3-icalendar; the suite is instantiated in caldav_sync_test.cpp.

#include <gtest/gtest.h>

#include <sstream>

#include "caldav_sync_workspace.h"
#include "daemon_process.h"

namespace plancal::testing {
namespace {

int sequence_of(const CalendarResource& resource) {
  return resource.sequence.empty() ? 0 : std::stoi(resource.sequence);
}

/// uid -> the TRIGGER of each VALARM (joined by commas) in the all-audience feed that
/// `plancal serve` serves for the workspace's config, read with python3-icalendar.
std::map<std::string, std::string> feed_alarms(const CaldavSyncWorkspace& ws) {
  const ProcessResult token =
      run_plancal({"feed", "token", "create", "--config", ws.config().string(), "--plan",
                   "kollegaveiledning", "--audience", "all"});
  EXPECT_EQ(token.exit_code, 0) << token.out << token.err;
  const auto begin = token.out.find("/feeds/");
  const auto end = token.out.find(".ics", begin);
  if (begin == std::string::npos || end == std::string::npos) return {};
  const std::string path = token.out.substr(begin, end + 4 - begin);
  const auto body = ws.dir().path() / "feed.ics";
  {
    DaemonProcess server(ws.config(), ws.dir().path() / "serve.log", {}, {}, "serve");
    const ProcessResult got = run_process({"curl", "-sSf", "-o", body.string(), server.url(path)});
    EXPECT_EQ(got.exit_code, 0) << got.err;
    server.stop();
  }
  const ProcessResult read = run_process(
      {kDebianPython, "-c",
       "import sys, icalendar\n"
       "calendar = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n"
       "for event in calendar.walk('VEVENT'):\n"
       "    triggers = [a['TRIGGER'].to_ical().decode() for a in event.walk('VALARM')]\n"
       "    print(str(event['UID']) + '\\t' + ','.join(triggers))\n",
       body.string()});
  EXPECT_EQ(read.exit_code, 0) << read.err;
  std::map<std::string, std::string> alarms;
  std::istringstream lines(read.out);
  for (std::string line; std::getline(lines, line);) {
    const auto tab = line.find('\t');
    alarms[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return alarms;
}

TEST_P(SyncCaldavIntegration, AWriteOverACalendarUsersRevisionSendsAHigherSequence) {
  sync_ok();
  // A scheduling-aware client revises meeting 3 and leaves SEQUENCE 2 or more (python3-caldav
  // counts one up itself when it saves).
  ws().edit({"summary", kollega_uid(3), "Flyttet av Kari", "2"});
  const int left = sequence_of(ws().contents().at(kollega_uid(3)));
  ASSERT_GE(left, 2);
  const ProcessResult restore = sync_ok();
  EXPECT_EQ(CaldavSyncWorkspace::outcome(restore),
            "ok: 0 created, 0 updated, 0 deleted, 1 restored, 0 adopted, 21 unchanged, "
            "1 conflict, 0 failed")
      << restore.out << restore.err;
  const CalendarResource restored = ws().contents().at(kollega_uid(3));
  EXPECT_EQ(restored.summary, "Kollegaveiledning") << "the plan's version is back";
  EXPECT_GT(sequence_of(restored), left) << "and it is the newer revision";

  // Under keep, the edit stays until the plan changes the event; the plan's version then goes
  // out above the SEQUENCE the client left, although plancal did not look at the event again.
  ws().write_config("keep");
  ws().edit({"summary", kollega_uid(4), "Flyttet av Kari", "5"});
  const int kept_at = sequence_of(ws().contents().at(kollega_uid(4)));
  ASSERT_GE(kept_at, 5);
  const ProcessResult kept = sync_ok();
  EXPECT_NE(kept.out.find("1 conflict,"), std::string::npos) << kept.out;
  ws().replace_in_plan("Planlagt og systematisk kollegaveiledning", "Veiledning i par");
  sync_ok();
  const CalendarResource replaced = ws().contents().at(kollega_uid(4));
  EXPECT_EQ(replaced.summary, "Kollegaveiledning");
  EXPECT_GT(sequence_of(replaced), kept_at);
}

TEST_P(SyncCaldavIntegration, PushedMeetingsCarryTheFeedsPreparationAlarm) {
  sync_ok();
  const CalendarContents calendar = ws().contents();
  const auto feed = feed_alarms(ws());
  ASSERT_EQ(feed.size(), kPlanEvents);
  for (int n = 1; n <= 16; ++n) {
    // Kollegaveiledning lists preparation items: the default alarm rings the day before at
    // 18:00, 19 hours before the 13:00 start, relative to the start as in the feed.
    EXPECT_EQ(calendar.at(kollega_uid(n)).alarms, "-PT19H") << kollega_uid(n);
    EXPECT_EQ(calendar.at(kollega_uid(n)).alarms, feed.at(kollega_uid(n))) << kollega_uid(n);
  }
  for (int n = 1; n <= 6; ++n) {
    // Fagmøte lists none: no alarm, in the feed or in the calendar.
    EXPECT_EQ(calendar.at(fagmote_uid(n)).alarms, "") << fagmote_uid(n);
    EXPECT_EQ(feed.at(fagmote_uid(n)), "") << fagmote_uid(n);
  }
}

}  // namespace
}  // namespace plancal::testing
