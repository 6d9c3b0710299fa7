// UIDs with characters that have broken other clients ('@', '+', '/', space, 'ø') through
// the reconcile engine to real Radicale and Xandikos. Plan ids and keys cannot produce such
// UIDs, but a calendar may hold them and the engine must not care: the events are built by
// hand here, as service/sync.cpp builds them from a plan.

#include <gtest/gtest.h>

#include <set>

#include "caldav_sync_workspace.h"
#include "http/curl_transport.h"
#include "store/sync_state_store.h"
#include "sync/caldav_calendar.h"
#include "sync/engine.h"
#include "sync/store_adapter.h"

namespace plancal::testing {
namespace {

constexpr std::int64_t kNow = 1735689600;  // 2025-01-01T00:00:00Z

const std::vector<std::string> kOddUids{
    "møte ø/1 + kari@plancal.example", "plus+sign@plancal.example",
    "slash/in/uid@plancal.example",    "space in uid@plancal.example",
    "two@at@signs@plancal.example",
};

/// One meeting per UID, Mondays from 24 March 2025 at 09:00 Oslo time.
std::vector<Occurrence> meetings_for(const std::vector<std::string>& uids) {
  std::vector<Occurrence> out;
  for (std::size_t i = 0; i < uids.size(); ++i) {
    Occurrence meeting;
    meeting.uid = uids[i];
    meeting.plan_id = "odd";
    meeting.component_key = "odd";
    meeting.occurrence_key = std::to_string(i + 1);
    meeting.audience = "all";
    meeting.summary = "Møte " + std::to_string(i + 1);
    const Date day = add_days(Date{2025, 3, 24}, 7 * static_cast<int>(i));
    meeting.start = LocalDateTime{day, TimeOfDay{9, 0}};
    meeting.end = LocalDateTime{day, TimeOfDay{10, 0}};
    meeting.timezone = "Europe/Oslo";
    out.push_back(std::move(meeting));
  }
  return out;
}

/// One reconcile run of the calendar, made the way `plancal sync` makes it.
sync::SyncReport reconcile_once(const CaldavServer& server, int max_in_flight,
                                SyncStateStore& store, const std::vector<Occurrence>& meetings) {
  http::ClientOptions http;
  http.auth = http::BasicAuth{server.user, Secret(server.password)};
  http.max_in_flight = static_cast<std::size_t>(max_in_flight);
  sync::CaldavCalendarOptions calendar;
  calendar.url = server.calendar_url;
  calendar.calendar_name = "Odd UIDs";
  calendar.max_in_flight = static_cast<std::size_t>(max_in_flight);
  calendar.render.name = "Odd UIDs";
  calendar.render.timezone = "Europe/Oslo";
  sync::CaldavCalendar remote(http::make_curl_client(std::move(http)), std::move(calendar));

  std::vector<sync::DesiredEvent> desired;
  for (const auto& meeting : meetings) {
    desired.push_back(sync::DesiredEvent{meeting.uid, "", &meeting, {0, kNow, kNow, false}});
  }
  sync::EngineOptions options;
  options.allow_mass_delete = true;  // the last run removes everything on purpose
  const FixedClock clock(kNow);
  sync::StoreSyncState state(store);
  return sync::reconcile(sync::TargetIdentity{"odd", server.calendar_url}, std::move(desired),
                         remote, state, clock, options);
}

std::string problems_of(const sync::SyncReport& report) {
  std::string text = sync::to_string(report.result);
  for (const auto& problem : report.problems) text += "\n" + problem;
  return text;
}

/// The engine driven directly (not through `plancal sync`), against each real server.
class SyncCaldavUidIntegration : public SyncCaldavIntegration {};

TEST_P(SyncCaldavUidIntegration, UidsWithAtPlusSlashSpaceAndNonAsciiRoundTrip) {
  TempDir dir;
  auto opened = StateDatabase::open((dir.path() / "plancal.db").string());
  ASSERT_TRUE(opened) << opened.error().message;
  SyncStateStore store(*opened);
  const std::vector<Occurrence> meetings = meetings_for(kOddUids);
  auto run = [&](const std::vector<Occurrence>& wanted) {
    return reconcile_once(server(), GetParam().max_in_flight, store, wanted);
  };

  const sync::SyncReport first = run(meetings);
  EXPECT_TRUE(first.ok()) << problems_of(first) << "\n" << server().log();
  EXPECT_EQ(first.created, 5);
  CalendarContents calendar = ws().contents();
  std::set<std::string> uids;
  for (const auto& [uid, resource] : calendar) uids.insert(uid);
  EXPECT_EQ(uids, std::set<std::string>(kOddUids.begin(), kOddUids.end()));
  ASSERT_EQ(calendar.count(kOddUids[0]), 1U);
  EXPECT_EQ(calendar.at(kOddUids[0]).summary, "Møte 1");
  EXPECT_EQ(calendar.at(kOddUids[0]).start, "2025-03-24T09:00:00+01:00");
  EXPECT_EQ(calendar.at(kOddUids[1]).start, "2025-03-31T09:00:00+02:00");

  const sync::SyncReport second = run(meetings);
  EXPECT_TRUE(second.ok()) << problems_of(second);
  EXPECT_EQ(second.unchanged, 5);
  EXPECT_EQ(second.created + second.updated + second.deleted + second.restored, 0);
  EXPECT_EQ(second.requests, 1);
  EXPECT_EQ(ws().contents(), calendar);

  // Another client edits the event with the oddest UID: the engine finds it and puts the
  // plan's version back.
  ws().edit({"summary", kOddUids[0], "Endret"});
  const sync::SyncReport third = run(meetings);
  EXPECT_TRUE(third.ok()) << problems_of(third);
  EXPECT_EQ(third.restored, 1);
  EXPECT_EQ(third.conflicts, 1);
  EXPECT_EQ(ws().contents().at(kOddUids[0]).summary, "Møte 1");

  const sync::SyncReport removed = run({});
  EXPECT_TRUE(removed.ok()) << problems_of(removed);
  EXPECT_EQ(removed.deleted, 5);
  EXPECT_TRUE(ws().contents().empty());
  EXPECT_TRUE(store.sync_items("odd").empty());
}

INSTANTIATE_TEST_SUITE_P(Servers, SyncCaldavUidIntegration, ::testing::Values(kRadicale, kXandikos),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace plancal::testing
