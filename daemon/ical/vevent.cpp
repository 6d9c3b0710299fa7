#include "ical/vevent.h"

#include <algorithm>
#include <initializer_list>
#include <string_view>

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

/// Characters libical writes in a way this file does not copy: control characters other than
/// the newline (a tab is kept, a backspace dropped, a CR dropped by make_vevent) and DEL.
bool has_unusual_bytes(std::string_view text) {
  bool unusual = false;
  for (const char c : text) {  // no early exit: the loop stays simple enough to vectorise
    const auto byte = static_cast<unsigned char>(c);
    unusual |= (byte < 0x20 && byte != '\n') || byte == 0x7F;
  }
  return unusual;
}

/// A zone name libical would quote as a parameter value.
bool zone_needs_quotes(std::string_view tzid) {
  return tzid.find_first_of(";:,\"") != std::string_view::npos || has_unusual_bytes(tzid);
}

/// A time libical writes as it is: it writes zeros for years after 3000.
bool plain_time(const LocalDateTime& t) {
  return t.date.year >= 1 && t.date.year <= 3000 && t.date.month >= 1 && t.date.month <= 12 &&
         t.date.day >= 1 && t.date.day <= 31 && t.time.hour >= 0 && t.time.hour <= 23 &&
         t.time.minute >= 0 && t.time.minute <= 59;
}

/// Unix seconds from year 1 to 3000 (UTC), which libical writes as they are.
bool plain_instant(std::int64_t unix_seconds) {
  return unix_seconds >= -62135596800 && unix_seconds <= 32535215999;
}

/// Whether vevent_text writes `event` exactly as libical would (the description aside).
bool writable_directly(const EventToRender& event, const std::string& tzid) {
  const Occurrence& o = *event.occurrence;
  if (!plain_time(o.start) || !plain_time(o.end) || zone_needs_quotes(tzid)) return false;
  if (!plain_instant(event.revision.dtstamp) || !plain_instant(event.revision.last_modified)) {
    return false;
  }
  for (const std::string* text : {&o.uid, &o.summary, &o.location, &o.url}) {
    if (has_unusual_bytes(*text)) return false;
  }
  for (const auto& category : o.categories) {
    if (has_unusual_bytes(category)) return false;
  }
  return true;
}

void append_digits(std::string& out, int value, int width) {
  char digits[12];
  int n = 0;
  for (; value > 0 || n < width; value /= 10) digits[n++] = static_cast<char>('0' + value % 10);
  while (n > 0) out.push_back(digits[--n]);
}

void append_date(std::string& out, const Date& date) {
  append_digits(out, date.year, 4);
  append_digits(out, date.month, 2);
  append_digits(out, date.day, 2);
}

/// YYYYMMDDTHHMMSS as libical writes a DATE-TIME.
void append_local(std::string& out, const LocalDateTime& local) {
  append_date(out, local.date);
  out.push_back('T');
  append_digits(out, local.time.hour, 2);
  append_digits(out, local.time.minute, 2);
  out.append("00");
}

void append_utc(std::string& out, std::int64_t unix_seconds) {
  const UtcDateTime utc = utc_date_time(unix_seconds);
  append_date(out, utc.date);
  out.push_back('T');
  append_digits(out, utc.hour, 2);
  append_digits(out, utc.minute, 2);
  append_digits(out, utc.second, 2);
  out.push_back('Z');
}

/// A TEXT value as libical 3.0 escapes it; in CATEGORIES (a list) ',' and ';' stay as they are.
/// Copies the runs between escapes whole: descriptions are long and have few of them.
void append_text_escaped(std::string& out, std::string_view text, bool list = false) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool escaped = c == '\\' || c == '\n' || (!list && (c == ',' || c == ';'));
    if (!escaped) continue;
    out.append(text.data() + run, i - run);
    out.push_back('\\');
    out.push_back(c == '\n' ? 'n' : c);
    run = i + 1;
  }
  out.append(text.data() + run, text.size() - run);
}

/// The DESCRIPTION value escaped, or nullptr when libical would write it its own way. The
/// events of one meeting share one description (a rotation's teams follow one another), so
/// the last one is kept, per thread as feeds render on several, and only compared next time.
const std::string* escaped_description(const std::string& text) {
  struct Last {
    std::string text;
    std::string escaped;
    bool unusual = false;
  };
  thread_local Last last;
  if (last.escaped.empty() || text != last.text) {
    last.text = text;
    last.unusual = has_unusual_bytes(text);
    last.escaped.clear();
    append_text_escaped(last.escaped, text);
  }
  return last.unusual ? nullptr : &last.escaped;
}

void append_text_line(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.push_back(':');
  append_text_escaped(out, value);
  out.append("\r\n");
}

void append_time_line(std::string& out, std::string_view name, const Occurrence& o,
                      const LocalDateTime& time, const std::string& tzid) {
  out.append(name);
  if (o.all_day) {
    out.append(";VALUE=DATE:");
    append_date(out, time.date);
  } else if (tzid == "UTC") {
    out.push_back(':');
    append_local(out, time);
    out.push_back('Z');
  } else {
    out.append(";TZID=").append(tzid).push_back(':');
    append_local(out, time);
  }
  out.append("\r\n");
}

}  // namespace

icaltimetype utc_time(std::int64_t unix_seconds) {
  const UtcDateTime utc = utc_date_time(unix_seconds);
  icaltimetype time = icaltime_null_time();
  time.year = utc.date.year;
  time.month = utc.date.month;
  time.day = utc.date.day;
  time.hour = utc.hour;
  time.minute = utc.minute;
  time.second = utc.second;
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

std::optional<std::string> vevent_text(const EventToRender& event, const std::string& tzid) {
  const Occurrence& o = *event.occurrence;
  if (!writable_directly(event, tzid)) return std::nullopt;
  const std::string* description =
      o.description.empty() ? nullptr : escaped_description(o.description);
  if (!o.description.empty() && description == nullptr) return std::nullopt;
  const bool cancelled = event.revision.cancelled || o.status == OccurrenceStatus::Cancelled;
  const bool deadline = o.kind == OccurrenceKind::Deadline;
  std::string out;
  out.reserve(400 + o.summary.size() + o.location.size() + o.url.size() +
              (description != nullptr ? description->size() : 0));
  out.append("BEGIN:VEVENT\r\n");
  append_text_line(out, "UID", o.uid);
  out.append("DTSTAMP:");
  append_utc(out, event.revision.dtstamp);
  out.append("\r\nSEQUENCE:").append(std::to_string(event.revision.sequence)).append("\r\n");
  if (event.revision.last_modified != 0) {
    out.append("LAST-MODIFIED:");
    append_utc(out, event.revision.last_modified);
    out.append("\r\n");
  }
  append_time_line(out, "DTSTART", o, o.start, tzid);
  append_time_line(out, "DTEND", o, o.end, tzid);
  out.append("SUMMARY:");
  if (cancelled) out.append(kCancelledPrefix);
  append_text_escaped(out, o.summary);
  out.append(cancelled ? "\r\nSTATUS:CANCELLED\r\n" : "\r\nSTATUS:CONFIRMED\r\n");
  if (description != nullptr) out.append("DESCRIPTION:").append(*description).append("\r\n");
  if (!o.location.empty()) append_text_line(out, "LOCATION", o.location);
  if (!o.url.empty()) out.append("URL:").append(o.url).append("\r\n");
  for (const auto& category : o.categories) {
    out.append("CATEGORIES:");
    append_text_escaped(out, category_text(category), true);
    out.append("\r\n");
  }
  out.append(deadline ? "TRANSP:TRANSPARENT\r\nX-MICROSOFT-CDO-BUSYSTATUS:FREE\r\n"
                      : "TRANSP:OPAQUE\r\nX-MICROSOFT-CDO-BUSYSTATUS:BUSY\r\n");
  out.append("CLASS:PUBLIC\r\nEND:VEVENT\r\n");
  return out;
}

}  // namespace plancal::ical
