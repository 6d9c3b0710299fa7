#include "ical/timezone.h"

#include <cstdlib>

#include <fmt/format.h>

#include "ical/libical_zone.h"

namespace plancal {

namespace {

Error unknown_zone(const std::string& tzid) {
  return Error{fmt::format("unknown time zone '{}' (use an IANA name such as Europe/Oslo)", tzid)};
}

std::string format_offset(int offset_seconds) {
  const char sign = offset_seconds < 0 ? '-' : '+';
  const int minutes = std::abs(offset_seconds) / 60;
  return fmt::format("{}{:02}:{:02}", sign, minutes / 60, minutes % 60);
}

}  // namespace

bool is_known_timezone(const std::string& tzid) {
  const auto lock = ical::lock_zones();
  return ical::builtin_zone_locked(tzid) != nullptr;
}

Result<int> utc_offset_seconds(const std::string& tzid, LocalDateTime local) {
  const auto lock = ical::lock_zones();
  icaltimezone* zone = ical::builtin_zone_locked(tzid);
  if (zone == nullptr) return unknown_zone(tzid);
  icaltimetype time = ical::to_icaltime(local);
  int is_daylight = 0;
  return icaltimezone_get_utc_offset(zone, &time, &is_daylight);
}

Result<std::int64_t> to_unix_seconds(const std::string& tzid, LocalDateTime local) {
  auto offset = utc_offset_seconds(tzid, local);
  if (!offset) return offset.error();
  const std::int64_t wall =
      days_from_civil(local.date) * 86400 + static_cast<std::int64_t>(minutes_of(local.time)) * 60;
  return wall - *offset;
}

Result<std::int64_t> end_of_day(const std::string& tzid, Date last_day) {
  return to_unix_seconds(tzid, {add_days(last_day, 1), {0, 0}});
}

LocalDateTime local_time_at(const std::string& tzid, std::int64_t unix_seconds) {
  const auto utc_wall_clock = [](std::int64_t seconds) {
    const std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
    const auto minute_of_day = static_cast<int>((seconds - days * 86400) / 60);
    return LocalDateTime{civil_from_days(days), TimeOfDay{minute_of_day / 60, minute_of_day % 60}};
  };
  // The offset at the UTC time, then at the local time found with it (right across DST).
  std::int64_t offset = 0;
  for (int step = 0; step < 2; ++step) {
    if (auto found = utc_offset_seconds(tzid, utc_wall_clock(unix_seconds + offset)); found) {
      offset = *found;
    }
  }
  return utc_wall_clock(unix_seconds + offset);
}

Result<std::string> iso8601_with_offset(const std::string& tzid, LocalDateTime local) {
  auto offset = utc_offset_seconds(tzid, local);
  if (!offset) return offset.error();
  return fmt::format("{}T{}:00{}", format_date(local.date), format_time(local.time),
                     format_offset(*offset));
}

}  // namespace plancal
