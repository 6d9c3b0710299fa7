#include "expand/rotation_generator.h"

#include <gtest/gtest.h>

#include <set>

#include "expand/holidays.h"

namespace plancal {
namespace {

RotationRule spring_2024() {
  RotationRule rule;
  rule.weekday = Weekday::Monday;
  rule.from = Date{2024, 1, 3};  // a Wednesday: moved to Monday 8 January
  rule.teams = {"A", "B", "C"};
  rule.meetings = 6;
  rule.blackouts.push_back(Blackout{{2024, 2, 19}, {2024, 2, 25}, "Vinterferie", {}});
  return rule;
}

std::vector<Date> all_dates(const std::vector<ProposedMeeting>& meetings) {
  std::vector<Date> dates;
  for (const auto& meeting : meetings) {
    for (const auto& proposed : meeting.dates) dates.push_back(proposed.date);
  }
  return dates;
}

TEST(RotationGeneratorTest, EveryMeetingHasOneDatePerTeam) {
  const auto meetings = propose_rotation(spring_2024());
  ASSERT_EQ(meetings.size(), 6U);
  for (std::size_t i = 0; i < meetings.size(); ++i) {
    EXPECT_EQ(meetings[i].number, static_cast<int>(i) + 1);
    std::set<std::string> teams;
    for (const auto& proposed : meetings[i].dates) teams.insert(proposed.team);
    EXPECT_EQ(teams, (std::set<std::string>{"A", "B", "C"}));
  }
}

TEST(RotationGeneratorTest, EveryDateIsOnTheWeekdayAndInOrder) {
  const auto dates = all_dates(propose_rotation(spring_2024()));
  EXPECT_EQ(dates.front(), (Date{2024, 1, 8}));
  for (std::size_t i = 0; i < dates.size(); ++i) {
    EXPECT_EQ(weekday_of(dates[i]), Weekday::Monday) << format_date(dates[i]);
    if (i > 0) {
      EXPECT_LT(dates[i - 1], dates[i]);
    }
  }
}

TEST(RotationGeneratorTest, SkipsEasterMondayAndBlackouts) {
  const auto dates = all_dates(propose_rotation(spring_2024()));
  for (const Date date : dates) {
    EXPECT_NE(date, (Date{2024, 4, 1})) << "Easter Monday";
    EXPECT_NE(date, (Date{2024, 2, 19})) << "winter break";
    EXPECT_FALSE(norwegian_holiday(date)) << format_date(date);
  }
  EXPECT_NE(std::find(dates.begin(), dates.end(), Date{2024, 3, 25}), dates.end());
  EXPECT_NE(std::find(dates.begin(), dates.end(), Date{2024, 4, 8}), dates.end());
}

TEST(RotationGeneratorTest, HolidaysAreKeptWhenNotSkipped) {
  RotationRule rule = spring_2024();
  rule.skip_holidays = false;
  const auto dates = all_dates(propose_rotation(rule));
  EXPECT_NE(std::find(dates.begin(), dates.end(), Date{2024, 4, 1}), dates.end());
}

TEST(RotationGeneratorTest, TeamOrderShiftsByOneEachMeeting) {
  const auto meetings = propose_rotation(spring_2024());
  EXPECT_EQ(meetings[0].dates[0].team, "A");
  EXPECT_EQ(meetings[1].dates[0].team, "B");
  EXPECT_EQ(meetings[2].dates[0].team, "C");
  EXPECT_EQ(meetings[3].dates[0].team, "A");
  EXPECT_EQ(meetings[1].dates[1].team, "C");
  EXPECT_EQ(meetings[1].dates[2].team, "A");
}

TEST(RotationGeneratorTest, NoTeamsGivesNoMeetings) {
  RotationRule rule = spring_2024();
  rule.teams.clear();
  EXPECT_TRUE(propose_rotation(rule).empty());
}

}  // namespace
}  // namespace plancal
