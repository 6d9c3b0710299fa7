#include "expand/holidays.h"

#include <algorithm>

namespace plancal {

// The anonymous Gregorian algorithm (Meeus/Jones/Butcher): valid for every Gregorian year.
Date easter_sunday(int year) {
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date{year, month, day};
}

std::vector<Holiday> norwegian_holidays(int year) {
  const Date easter = easter_sunday(year);
  std::vector<Holiday> holidays{
      {Date{year, 1, 1}, "1. nyttårsdag"},
      {add_days(easter, -3), "skjærtorsdag"},
      {add_days(easter, -2), "langfredag"},
      {easter, "1. påskedag"},
      {add_days(easter, 1), "2. påskedag"},
      {Date{year, 5, 1}, "1. mai"},
      {Date{year, 5, 17}, "17. mai (grunnlovsdag)"},
      {add_days(easter, 39), "Kristi himmelfartsdag"},
      {add_days(easter, 49), "1. pinsedag"},
      {add_days(easter, 50), "2. pinsedag"},
      {Date{year, 12, 25}, "1. juledag"},
      {Date{year, 12, 26}, "2. juledag"},
  };
  // Kristi himmelfartsdag can fall on 1 or 17 May; keep date order (stable for equal dates).
  std::stable_sort(holidays.begin(), holidays.end(),
                   [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
  return holidays;
}

std::optional<std::string> norwegian_holiday(Date date) {
  for (auto& holiday : norwegian_holidays(date.year)) {
    if (holiday.date == date) return std::move(holiday.name);
  }
  return std::nullopt;
}

}  // namespace plancal
