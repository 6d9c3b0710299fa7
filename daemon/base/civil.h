#pragma once
/// Civil (calendar) dates and wall-clock times, independent of any time zone.
///
/// Plans speak in wall-clock time ("Monday 15 January 2024, 09:00 in Europe/Oslo"), so the
/// model keeps dates and times as plain values and converts to absolute time only at the
/// edges (iCalendar rendering, JSON output), through the time-zone database.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace plancal {

struct Date {
  int year = 0;
  int month = 0;  ///< 1..12
  int day = 0;    ///< 1..31
  auto operator<=>(const Date&) const = default;
};

struct TimeOfDay {
  int hour = 0;    ///< 0..23
  int minute = 0;  ///< 0..59
  auto operator<=>(const TimeOfDay&) const = default;
};

struct LocalDateTime {
  Date date;
  TimeOfDay time;
  auto operator<=>(const LocalDateTime&) const = default;
};

enum class Weekday { Monday = 1, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday };

/// A moment read on a UTC clock, to the second.
struct UtcDateTime {
  Date date;
  int hour = 0;    ///< 0..23
  int minute = 0;  ///< 0..59
  int second = 0;  ///< 0..59
};

/// Days since 1970-01-01 in the proleptic Gregorian calendar (negative before).
[[nodiscard]] std::int64_t days_from_civil(Date date);
[[nodiscard]] Date civil_from_days(std::int64_t days);
/// The UTC date and time of Unix seconds (before 1970 too): the one conversion behind
/// DTSTAMP, HTTP dates and report timestamps.
[[nodiscard]] UtcDateTime utc_date_time(std::int64_t unix_seconds);
[[nodiscard]] Date add_days(Date date, int days);
[[nodiscard]] Weekday weekday_of(Date date);
[[nodiscard]] bool is_valid_date(Date date);
[[nodiscard]] int days_in_month(int year, int month);

/// Minutes since midnight.
[[nodiscard]] inline int minutes_of(TimeOfDay t) { return t.hour * 60 + t.minute; }

/// "2024-01-15"; nullopt when malformed or not a real date (2024-02-30).
[[nodiscard]] std::optional<Date> parse_date(std::string_view text);
/// "09:00" or "0900"; nullopt when malformed or out of range.
[[nodiscard]] std::optional<TimeOfDay> parse_time_of_day(std::string_view text);
/// iCalendar weekday codes: "MO", "TU", ... "SU".
[[nodiscard]] std::optional<Weekday> parse_weekday(std::string_view code);

[[nodiscard]] std::string format_date(Date date);              ///< "2024-01-15"
[[nodiscard]] std::string format_time(TimeOfDay time);         ///< "09:00"
[[nodiscard]] std::string_view weekday_code(Weekday weekday);  ///< "MO"
/// Norwegian (bokmål) weekday name in lower case: "mandag".
[[nodiscard]] std::string_view weekday_name_nb(Weekday weekday);

}  // namespace plancal
