// The participants' preparation VALARM (ical/alarm.h) in rendered calendars.

#include <gtest/gtest.h>

#include "expand/expander.h"
#include "ical/alarm.h"
#include "ical/render.h"
#include "plan/loader.h"
#include "test_support.h"

namespace plancal {
namespace {

std::vector<Occurrence> seed_occurrences() {
  PlanLoad load = load_plan_file(testing::example_plan("mandagsseminar-2024.yaml").string());
  if (!load.plan) throw std::runtime_error(testing::diagnostics_text(load.diagnostics));
  return expand_plan(*load.plan);
}

const Occurrence& find(const std::vector<Occurrence>& all, const std::string& meeting,
                       const std::string& team) {
  for (const auto& o : all) {
    if (o.meeting_key == meeting && o.occurrence_key == team) return o;
  }
  throw std::runtime_error("no such occurrence");
}

std::string render_one(const Occurrence& o, std::optional<PreparationAlarm> alarm,
                       bool cancelled = false) {
  CalendarOptions options;
  options.name = "Test";
  options.preparation_alarm = alarm;
  EventRevision revision;
  revision.dtstamp = 1700000000;
  revision.cancelled = cancelled;
  return render_calendar(options, {{&o, revision}});
}

TEST(IcalAlarmTest, MeetingWithPreparationGetsARelativeAlarmTheEveningBefore) {
  const auto all = seed_occurrences();
  const std::string ics = render_one(find(all, "2", "B"), PreparationAlarm{});
  EXPECT_NE(ics.find("BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15H\r\n"), std::string::npos)
      << ics;
  EXPECT_NE(ics.find("DESCRIPTION:Forberedelse: Mandagsseminar 2: A-KAT\\n- Forberede"),
            std::string::npos)
      << ics;
  EXPECT_NE(ics.find("END:VALARM\r\nEND:VEVENT"), std::string::npos);
}

TEST(IcalAlarmTest, AbsoluteTriggerIsTheLocalTimeInUtc) {
  const auto all = seed_occurrences();
  PreparationAlarm alarm;
  alarm.absolute = true;
  alarm.at = {16, 30};
  const std::string ics = render_one(find(all, "2", "B"), alarm);  // Monday 29 January 2024
  EXPECT_NE(ics.find("TRIGGER;VALUE=DATE-TIME:20240128T153000Z"), std::string::npos) << ics;
}

TEST(IcalAlarmTest, NoAlarmWithoutPreparationWhenCancelledOrWhenNotAsked) {
  const auto all = seed_occurrences();
  EXPECT_EQ(render_one(find(all, "1", "A"), PreparationAlarm{}).find("VALARM"), std::string::npos)
      << "meeting 1 has no preparation items";
  EXPECT_EQ(render_one(find(all, "2", "B"), PreparationAlarm{}, true).find("VALARM"),
            std::string::npos);
  EXPECT_EQ(render_one(find(all, "2", "B"), std::nullopt).find("VALARM"), std::string::npos);
  PreparationAlarm same_day;
  same_day.days_before = 0;
  same_day.at = {10, 0};  // after the 09:00 start
  EXPECT_EQ(render_one(find(all, "2", "B"), same_day).find("VALARM"), std::string::npos);
}

TEST(IcalAlarmTest, MinutesBeforeTheStartAreTheTriggersForCalendarsWithoutVAlarm) {
  const auto all = seed_occurrences();
  // Relative: the TRIGGER's own duration (-PT15H above).
  EXPECT_EQ(ical::preparation_alarm_minutes(find(all, "2", "B"), false, PreparationAlarm{}), 900);
  EXPECT_EQ(ical::preparation_alarm_minutes(find(all, "1", "A"), false, PreparationAlarm{}),
            std::nullopt)
      << "no preparation items, no alarm";
  EXPECT_EQ(ical::preparation_alarm_minutes(find(all, "2", "B"), true, PreparationAlarm{}),
            std::nullopt);

  // Absolute, across the change to summer time (31 March 2024): Saturday 30 March 18:00 CET
  // to Monday 1 April 09:00 CEST is 38 hours, though the wall clock says 39.
  Occurrence after_the_change = find(all, "2", "B");
  after_the_change.start = {Date{2024, 4, 1}, TimeOfDay{9, 0}};
  after_the_change.end = {Date{2024, 4, 1}, TimeOfDay{12, 0}};
  PreparationAlarm two_days;
  two_days.days_before = 2;
  EXPECT_EQ(ical::preparation_alarm_minutes(after_the_change, false, two_days), 39 * 60);
  two_days.absolute = true;
  EXPECT_EQ(ical::preparation_alarm_minutes(after_the_change, false, two_days), 38 * 60);
}

}  // namespace
}  // namespace plancal
