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
  // libical converts the instant itself: guessing the offset from a wall-clock time would
  // put the hour before an autumn change (00:30Z in Oslo: 02:30 summer time) an hour early.
  const auto lock = ical::lock_zones();
  icaltimezone* utc = icaltimezone_get_utc_timezone();
  icaltimetype time = icaltime_from_timet_with_zone(static_cast<time_t>(unix_seconds), 0, utc);
  if (icaltimezone* zone = ical::builtin_zone_locked(tzid); zone != nullptr) {
    icaltimezone_convert_time(&time, utc, zone);
  }
  return LocalDateTime{Date{time.year, time.month, time.day}, TimeOfDay{time.hour, time.minute}};
}

Result<std::string> iso8601_with_offset(const std::string& tzid, LocalDateTime local) {
  auto offset = utc_offset_seconds(tzid, local);
  if (!offset) return offset.error();
  return fmt::format("{}T{}:00{}", format_date(local.date), format_time(local.time),
                     format_offset(*offset));
}

}  // namespace plancal
