#include "base/civil.h"

#include <array>
#include <charconv>

#include <fmt/format.h>

namespace plancal {

// Howard Hinnant's days_from_civil / civil_from_days algorithms (public domain description).
std::int64_t days_from_civil(Date date) {
  const int y = date.year - (date.month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = static_cast<unsigned>(date.month + (date.month > 2 ? -3 : 9));
  const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(date.day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

Date civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const auto y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0));
  return Date{y, static_cast<int>(m), static_cast<int>(d)};
}

UtcDateTime utc_date_time(std::int64_t unix_seconds) {
  constexpr std::int64_t kSecondsPerDay = 86400;
  std::int64_t days = unix_seconds / kSecondsPerDay;
  std::int64_t seconds = unix_seconds % kSecondsPerDay;
  if (seconds < 0) {  // division rounds toward zero; a day starts at its midnight
    seconds += kSecondsPerDay;
    --days;
  }
  return {civil_from_days(days), static_cast<int>(seconds / 3600),
          static_cast<int>(seconds / 60 % 60), static_cast<int>(seconds % 60)};
}

Date add_days(Date date, int days) { return civil_from_days(days_from_civil(date) + days); }

Weekday weekday_of(Date date) {
  const std::int64_t days = days_from_civil(date);  // 1970-01-01 was a Thursday
  const auto iso = static_cast<int>(((days % 7) + 7 + 3) % 7) + 1;
  return static_cast<Weekday>(iso);
}

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

bool is_valid_date(Date date) {
  return date.year >= 1 && date.year <= 9999 && date.month >= 1 && date.month <= 12 &&
         date.day >= 1 && date.day <= days_in_month(date.year, date.month);
}

namespace {

std::optional<int> parse_digits(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<Date> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto year = parse_digits(text.substr(0, 4));
  const auto month = parse_digits(text.substr(5, 2));
  const auto day = parse_digits(text.substr(8, 2));
  if (!year || !month || !day) return std::nullopt;
  const Date date{*year, *month, *day};
  if (!is_valid_date(date)) return std::nullopt;
  return date;
}

std::optional<TimeOfDay> parse_time_of_day(std::string_view text) {
  std::string_view hours;
  std::string_view minutes;
  if (text.size() == 5 && text[2] == ':') {
    hours = text.substr(0, 2);
    minutes = text.substr(3, 2);
  } else if (text.size() == 4) {
    hours = text.substr(0, 2);
    minutes = text.substr(2, 2);
  } else {
    return std::nullopt;
  }
  const auto h = parse_digits(hours);
  const auto m = parse_digits(minutes);
  if (!h || !m || *h > 23 || *m > 59) return std::nullopt;
  return TimeOfDay{*h, *m};
}

namespace {
constexpr std::array<std::string_view, 7> kWeekdayCodes{"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
constexpr std::array<std::string_view, 7> kWeekdayNamesNb{"mandag", "tirsdag", "onsdag", "torsdag",
                                                          "fredag", "lørdag",  "søndag"};
std::size_t weekday_index(Weekday weekday) { return static_cast<std::size_t>(weekday) - 1; }
}  // namespace

std::optional<Weekday> parse_weekday(std::string_view code) {
  for (std::size_t i = 0; i < kWeekdayCodes.size(); ++i) {
    if (kWeekdayCodes[i] == code) return static_cast<Weekday>(i + 1);
  }
  return std::nullopt;
}

std::string format_date(Date date) {
  return fmt::format("{:04}-{:02}-{:02}", date.year, date.month, date.day);
}

std::string format_time(TimeOfDay time) {
  return fmt::format("{:02}:{:02}", time.hour, time.minute);
}

std::string_view weekday_code(Weekday weekday) { return kWeekdayCodes[weekday_index(weekday)]; }

std::string_view weekday_name_nb(Weekday weekday) {
  return kWeekdayNamesNb[weekday_index(weekday)];
}

}  // namespace plancal
