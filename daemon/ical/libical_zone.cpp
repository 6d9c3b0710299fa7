#include "ical/libical_zone.h"

namespace plancal::ical {

namespace {

std::mutex& zone_mutex() {
  static std::mutex mutex;
  return mutex;
}

icaltimetype utc_new_year(int year) {
  icaltimetype time = icaltime_null_time();
  time.year = year;
  time.month = 1;
  time.day = 1;
  time.zone = icaltimezone_get_utc_timezone();
  return time;
}

void set_plain_name(icalcomponent* vtimezone, const std::string& tzid) {
  if (icalproperty* id = icalcomponent_get_first_property(vtimezone, ICAL_TZID_PROPERTY)) {
    icalproperty_set_tzid(id, tzid.c_str());
  }
}

}  // namespace

std::unique_lock<std::mutex> lock_zones() { return std::unique_lock<std::mutex>(zone_mutex()); }

icaltimezone* builtin_zone_locked(const std::string& tzid) {
  if (tzid == "UTC") return icaltimezone_get_utc_timezone();
  if (tzid.empty()) return nullptr;
  return icaltimezone_get_builtin_timezone(tzid.c_str());
}

ComponentPtr make_vtimezone(const std::string& tzid, int first_year, int last_year) {
  const auto lock = lock_zones();
  icaltimezone* zone = builtin_zone_locked(tzid);
  icalcomponent* original = zone != nullptr ? icaltimezone_get_component(zone) : nullptr;
  if (original == nullptr) return nullptr;
  ComponentPtr clone(icalcomponent_new_clone(original));
  set_plain_name(clone.get(), tzid);
  icaltimezone_truncate_vtimezone(clone.get(), utc_new_year(first_year),
                                  utc_new_year(last_year + 1), 1);
  return clone;
}

icaltimetype to_icaltime(LocalDateTime local) {
  icaltimetype time = icaltime_null_time();
  time.year = local.date.year;
  time.month = local.date.month;
  time.day = local.date.day;
  time.hour = local.time.hour;
  time.minute = local.time.minute;
  return time;
}

}  // namespace plancal::ical
