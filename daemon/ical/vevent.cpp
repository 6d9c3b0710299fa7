#include "ical/vevent.h"

#include <algorithm>

#include "ical/libical_zone.h"

namespace plancal::ical {

namespace {

constexpr const char* kCancelledPrefix = "AVLYST: ";

/// libical escapes TEXT itself but passes a carriage return through; drop it.
std::string without_cr(std::string text) {
  std::erase(text, '\r');
  return text;
}

/// Adds a TEXT property made by `make`, copying the value only when it holds a CR.
void add_text(icalcomponent* vevent, icalproperty* (*make)(const char*), const std::string& text) {
  if (text.find('\r') == std::string::npos) {
    add_property(vevent, PropertyPtr(make(text.c_str())));
  } else {
    add_property(vevent, PropertyPtr(make(without_cr(text).c_str())));
  }
}

/// libical 3.0 does not escape ',' inside one CATEGORIES value, so a comma would split it.
std::string category_text(std::string text) {
  std::replace(text.begin(), text.end(), ',', ' ');
  return without_cr(std::move(text));
}

icaltimetype date_only(const Date& date) {
  icaltimetype time = icaltime_null_date();
  time.year = date.year;
  time.month = date.month;
  time.day = date.day;
  return time;
}

/// DTSTART or DTEND with the zone's TZID parameter (or as UTC for the UTC zone).
PropertyPtr timed_property(icalproperty* (*make)(icaltimetype), const LocalDateTime& local,
                           const std::string& tzid) {
  icaltimetype time = to_icaltime(local);
  if (tzid == "UTC") {
    time.zone = icaltimezone_get_utc_timezone();
    return PropertyPtr(make(time));
  }
  PropertyPtr property(make(time));
  icalproperty_add_parameter(property.get(), icalparameter_new_tzid(tzid.c_str()));
  return property;
}

PropertyPtr x_property(const char* name, const char* value) {
  PropertyPtr property(icalproperty_new_x(value));
  icalproperty_set_x_name(property.get(), name);
  return property;
}

void add_identity(icalcomponent* vevent, const Occurrence& o, const EventRevision& revision) {
  add_property(vevent, PropertyPtr(icalproperty_new_uid(o.uid.c_str())));
  add_property(vevent, PropertyPtr(icalproperty_new_dtstamp(utc_time(revision.dtstamp))));
  add_property(vevent, PropertyPtr(icalproperty_new_sequence(revision.sequence)));
  if (revision.last_modified != 0) {
    add_property(vevent,
                 PropertyPtr(icalproperty_new_lastmodified(utc_time(revision.last_modified))));
  }
}

void add_times(icalcomponent* vevent, const Occurrence& o, const std::string& tzid) {
  if (o.all_day) {
    add_property(vevent, PropertyPtr(icalproperty_new_dtstart(date_only(o.start.date))));
    add_property(vevent, PropertyPtr(icalproperty_new_dtend(date_only(o.end.date))));
    return;
  }
  add_property(vevent, timed_property(icalproperty_new_dtstart, o.start, tzid));
  add_property(vevent, timed_property(icalproperty_new_dtend, o.end, tzid));
}

void add_texts(icalcomponent* vevent, const Occurrence& o, bool cancelled) {
  add_text(vevent, icalproperty_new_summary, cancelled ? kCancelledPrefix + o.summary : o.summary);
  add_property(vevent, PropertyPtr(icalproperty_new_status(cancelled ? ICAL_STATUS_CANCELLED
                                                                     : ICAL_STATUS_CONFIRMED)));
  if (!o.description.empty()) add_text(vevent, icalproperty_new_description, o.description);
  if (!o.location.empty()) add_text(vevent, icalproperty_new_location, o.location);
  if (!o.url.empty()) add_property(vevent, PropertyPtr(icalproperty_new_url(o.url.c_str())));
  for (const auto& category : o.categories) {
    add_property(vevent, PropertyPtr(icalproperty_new_categories(category_text(category).c_str())));
  }
}

void add_availability(icalcomponent* vevent, const Occurrence& o) {
  const bool deadline = o.kind == OccurrenceKind::Deadline;
  add_property(vevent, PropertyPtr(icalproperty_new_transp(deadline ? ICAL_TRANSP_TRANSPARENT
                                                                    : ICAL_TRANSP_OPAQUE)));
  add_property(vevent, x_property("X-MICROSOFT-CDO-BUSYSTATUS", deadline ? "FREE" : "BUSY"));
  add_property(vevent, PropertyPtr(icalproperty_new_class(ICAL_CLASS_PUBLIC)));
}

}  // namespace

icaltimetype utc_time(std::int64_t unix_seconds) {
  const std::int64_t days =
      unix_seconds >= 0 ? unix_seconds / 86400 : -((-unix_seconds + 86399) / 86400);
  const auto seconds = static_cast<int>(unix_seconds - days * 86400);
  const Date date = civil_from_days(days);
  icaltimetype time = icaltime_null_time();
  time.year = date.year;
  time.month = date.month;
  time.day = date.day;
  time.hour = seconds / 3600;
  time.minute = seconds / 60 % 60;
  time.second = seconds % 60;
  time.zone = icaltimezone_get_utc_timezone();
  return time;
}

ComponentPtr make_vevent(const EventToRender& event, const std::string& tzid) {
  const Occurrence& o = *event.occurrence;
  const bool cancelled = event.revision.cancelled || o.status == OccurrenceStatus::Cancelled;
  ComponentPtr vevent(icalcomponent_new_vevent());
  add_identity(vevent.get(), o, event.revision);
  add_times(vevent.get(), o, tzid);
  add_texts(vevent.get(), o, cancelled);
  add_availability(vevent.get(), o);
  return vevent;
}

}  // namespace plancal::ical
