#include "expand/holidays.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace plancal {
namespace {

TEST(HolidaysTest, EasterSundayForKnownYears) {
  EXPECT_EQ(easter_sunday(2024), (Date{2024, 3, 31}));
  EXPECT_EQ(easter_sunday(2025), (Date{2025, 4, 20}));
  EXPECT_EQ(easter_sunday(2026), (Date{2026, 4, 5}));
  EXPECT_EQ(easter_sunday(2019), (Date{2019, 4, 21}));
  EXPECT_EQ(easter_sunday(2038), (Date{2038, 4, 25}));
  EXPECT_EQ(easter_sunday(2008), (Date{2008, 3, 23}));
}

TEST(HolidaysTest, EasterIsAlwaysASunday) {
  for (int year = 1900; year <= 2100; ++year) {
    EXPECT_EQ(weekday_of(easter_sunday(year)), Weekday::Sunday) << year;
  }
}

TEST(HolidaysTest, TwelveHolidaysIn2024InDateOrder) {
  const auto holidays = norwegian_holidays(2024);
  ASSERT_EQ(holidays.size(), 12U);
  EXPECT_TRUE(std::is_sorted(holidays.begin(), holidays.end(),
                             [](const Holiday& a, const Holiday& b) { return a.date < b.date; }));
  const std::vector<std::pair<Date, std::string>> expected{
      {{2024, 1, 1}, "1. nyttårsdag"},         {{2024, 3, 28}, "skjærtorsdag"},
      {{2024, 3, 29}, "langfredag"},           {{2024, 3, 31}, "1. påskedag"},
      {{2024, 4, 1}, "2. påskedag"},           {{2024, 5, 1}, "1. mai"},
      {{2024, 5, 9}, "Kristi himmelfartsdag"}, {{2024, 5, 17}, "17. mai (grunnlovsdag)"},
      {{2024, 5, 19}, "1. pinsedag"},          {{2024, 5, 20}, "2. pinsedag"},
      {{2024, 12, 25}, "1. juledag"},          {{2024, 12, 26}, "2. juledag"},
  };
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(holidays[i].date, expected[i].first) << i;
    EXPECT_EQ(holidays[i].name, expected[i].second) << i;
  }
}

TEST(HolidaysTest, DerivedHolidaysFollowEaster2025) {
  EXPECT_EQ(norwegian_holiday({2025, 4, 17}), "skjærtorsdag");
  EXPECT_EQ(norwegian_holiday({2025, 4, 18}), "langfredag");
  EXPECT_EQ(norwegian_holiday({2025, 4, 21}), "2. påskedag");
  EXPECT_EQ(norwegian_holiday({2025, 5, 29}), "Kristi himmelfartsdag");
  EXPECT_EQ(norwegian_holiday({2025, 6, 8}), "1. pinsedag");
  EXPECT_EQ(norwegian_holiday({2025, 6, 9}), "2. pinsedag");
}

TEST(HolidaysTest, OrdinaryDaysAreNotHolidays) {
  EXPECT_FALSE(norwegian_holiday({2024, 4, 8}));
  EXPECT_FALSE(norwegian_holiday({2024, 12, 24}));  // julaften is not a public holiday
  EXPECT_FALSE(norwegian_holiday({2024, 12, 31}));
}

}  // namespace
}  // namespace plancal
