#include "ical/render.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <mutex>
#include <tuple>

#include <fmt/format.h>

#include "ical/alarm.h"
#include "ical/calendar_head.h"
#include "ical/content_line.h"
#include "ical/libical_handles.h"
#include "ical/libical_zone.h"
#include "ical/vevent.h"

#ifndef PLANCAL_VERSION
#define PLANCAL_VERSION "0.0.0"
#endif

namespace plancal {

namespace {

constexpr std::string_view kEndCalendar = "END:VCALENDAR\r\n";

using YearRange = CalendarZones::Years;
using ZoneYears = std::map<std::string, YearRange>;

const std::string& zone_of(const EventToRender& event, const CalendarOptions& options) {
  return event.occurrence->timezone.empty() ? options.timezone : event.occurrence->timezone;
}

void widen(YearRange& range, int year) {
  range.first = range.first == 0 ? year : std::min(range.first, year);
  range.last = std::max(range.last, year);
}

int current_utc_year() {
  const std::time_t now = std::time(nullptr);
  return civil_from_days(static_cast<std::int64_t>(now) / 86400).year;
}

/// The zones the events use (the calendar's own always) and the years each must cover.
CalendarZones zones_of(const CalendarOptions& options, const std::vector<EventToRender>& events) {
  CalendarZones zones(options.timezone);
  for (const auto& event : events) {
    if (event.occurrence != nullptr) zones.add(*event.occurrence);
  }
  return zones;
}

/// VERSION, PRODID, CALSCALE and METHOD through libical, without the closing line.
std::string calendar_head(const CalendarOptions& options) {
  const ical::ComponentPtr calendar(icalcomponent_new_vcalendar());
  ical::add_property(calendar.get(), ical::PropertyPtr(icalproperty_new_version("2.0")));
  const std::string prodid = fmt::format("-//plancal//plancal {}//NO", PLANCAL_VERSION);
  ical::add_property(calendar.get(), ical::PropertyPtr(icalproperty_new_prodid(prodid.c_str())));
  ical::add_property(calendar.get(), ical::PropertyPtr(icalproperty_new_calscale("GREGORIAN")));
  if (options.method_publish) {
    ical::add_property(calendar.get(),
                       ical::PropertyPtr(icalproperty_new_method(ICAL_METHOD_PUBLISH)));
  }
  std::string text = ical::to_ical_text(calendar.get());
  if (text.ends_with(kEndCalendar)) text.resize(text.size() - kEndCalendar.size());
  return text;
}

/// Calendar-level extensions written by hand: libical 3.0 does not escape ';' and ',' in
/// X- properties and does not know RFC 7986's NAME and REFRESH-INTERVAL.
std::string calendar_extensions(const CalendarOptions& options) {
  std::string text;
  const auto line = [&text](std::string content) { text += content + "\r\n"; };
  line(ical::text_property_line("X-WR-CALNAME", options.name));
  line(ical::text_property_line("NAME", options.name));
  line(ical::text_property_line("X-WR-TIMEZONE", options.timezone));
  if (!options.description.empty()) {
    line(ical::text_property_line("X-WR-CALDESC", options.description));
  }
  if (options.refresh_minutes) {
    line(fmt::format("REFRESH-INTERVAL;VALUE=DURATION:PT{}M", *options.refresh_minutes));
    line(fmt::format("X-PUBLISHED-TTL:PT{}M", *options.refresh_minutes));
  }
  return text;
}

/// One zone's VTIMEZONE text for a range of years, made through libical (which clones and
/// truncates the zone's whole rule set: most of a small calendar's rendering) and kept, since
/// thousands of feeds of one rebuild need the same few. A pure function of its arguments and
/// libical's zone data; the memo is bounded and starts over when full.
std::string vtimezone_text(const std::string& tzid, const YearRange& years) {
  static constexpr std::size_t kMaxKept = 256;
  static std::mutex mutex;
  static std::map<std::tuple<std::string, int, int>, std::string> kept;
  const auto key = std::make_tuple(tzid, years.first, years.last);
  {
    const std::lock_guard lock(mutex);
    if (const auto found = kept.find(key); found != kept.end()) return found->second;
  }
  std::string text;
  if (const auto vtimezone = ical::make_vtimezone(tzid, years.first, years.last)) {
    text = ical::to_ical_text(vtimezone.get());
  }
  const std::lock_guard lock(mutex);
  if (kept.size() >= kMaxKept) kept.clear();
  kept.emplace(key, text);
  return text;
}

std::string vtimezones(const ZoneYears& zones) {
  std::string text;
  for (const auto& [tzid, years] : zones) text += vtimezone_text(tzid, years);
  return text;
}

void add_alarm(icalcomponent* vevent, const EventToRender& event, const PreparationAlarm& alarm) {
  auto valarm = ical::make_preparation_alarm(*event.occurrence, event.revision.cancelled, alarm);
  if (valarm) icalcomponent_add_component(vevent, valarm.release());
}

/// Puts the event's VALARM (when it has one) into `vevent_text`, just before END:VEVENT,
/// where libical writes a component's components.
void add_alarm_text(std::string& vevent_text, const EventToRender& event,
                    const PreparationAlarm& alarm) {
  const auto valarm =
      ical::make_preparation_alarm(*event.occurrence, event.revision.cancelled, alarm);
  if (!valarm) return;
  constexpr std::string_view kEndEvent = "END:VEVENT\r\n";
  vevent_text.resize(vevent_text.size() - kEndEvent.size());
  vevent_text += ical::to_ical_text(valarm.get());
  vevent_text += kEndEvent;
}

}  // namespace

void CalendarZones::add(const Occurrence& o) {
  widen(all_events_, o.start.date.year);
  widen(all_events_, o.end.date.year);
  if (o.all_day) return;
  YearRange& range = timed_[o.timezone.empty() ? calendar_zone_ : o.timezone];
  widen(range, o.start.date.year);
  widen(range, o.end.date.year);
}

ZoneYears CalendarZones::needed() const {
  ZoneYears zones = timed_;
  YearRange all_events = all_events_;
  // An empty calendar still names its zone; it covers the current year (the only input
  // besides the arguments, so an empty feed's bytes change once a year).
  if (all_events.first == 0) widen(all_events, current_utc_year());
  zones.try_emplace(calendar_zone_, all_events);
  zones.erase("UTC");  // UTC times are written with 'Z' and need no VTIMEZONE
  return zones;
}

std::string render_event(const CalendarOptions& options, const EventToRender& event) {
  std::string out;
  if (event.occurrence == nullptr) return out;
  const std::string& zone = zone_of(event, options);
  if (auto text = ical::vevent_text(event, zone)) {
    // Written directly; libical makes only the VALARM, which goes before END:VEVENT.
    if (options.preparation_alarm) add_alarm_text(*text, event, *options.preparation_alarm);
    out.reserve(text->size() + text->size() / 32);
    ical::append_refolded(*text, out);
    return out;
  }
  const auto vevent = ical::make_vevent(event, zone);
  if (options.preparation_alarm) add_alarm(vevent.get(), event, *options.preparation_alarm);
  if (const auto text = ical::to_ical_buffer(vevent.get())) ical::append_refolded(text.get(), out);
  return out;
}

std::string render_calendar_head(const CalendarOptions& options,
                                 const std::vector<EventToRender>& events) {
  std::string head = render_calendar_properties(options);
  head += render_calendar_vtimezones(options, events);
  return head;
}

std::string render_calendar_properties(const CalendarOptions& options) {
  // The libical part depends on METHOD alone: made once for each, not once per feed.
  const auto head_with_method = [](bool method_publish) {
    CalendarOptions plain;
    plain.method_publish = method_publish;
    return calendar_head(plain);
  };
  static const std::string kWithMethod = head_with_method(true);
  static const std::string kWithoutMethod = head_with_method(false);
  std::string properties;
  ical::append_refolded(
      (options.method_publish ? kWithMethod : kWithoutMethod) + calendar_extensions(options),
      properties);
  return properties;
}

std::string render_calendar_vtimezones(const CalendarOptions& options,
                                       const std::vector<EventToRender>& events) {
  return render_calendar_vtimezones(zones_of(options, events));
}

std::string render_calendar_vtimezones(const CalendarZones& zones) {
  std::string text;
  ical::append_refolded(vtimezones(zones.needed()), text);
  return text;
}

std::string_view calendar_end() { return kEndCalendar; }

std::string render_calendar_from_texts(const CalendarOptions& options,
                                       const std::vector<EventToRender>& events,
                                       const std::vector<const std::string*>& texts) {
  const std::string head = render_calendar_head(options, events);
  std::size_t size = head.size() + kEndCalendar.size();
  for (const std::string* text : texts) size += text->size();
  std::string out;
  out.reserve(size);
  out += head;
  for (const std::string* text : texts) out += *text;
  out += kEndCalendar;
  return out;
}

void render_calendar_to(const CalendarOptions& options, const std::vector<EventToRender>& events,
                        const std::function<void(std::string_view)>& sink) {
  sink(render_calendar_head(options, events));
  for (const auto& event : events) sink(render_event(options, event));
  sink(kEndCalendar);
}

std::string render_calendar(const CalendarOptions& options,
                            const std::vector<EventToRender>& events) {
  std::vector<std::string> texts;
  texts.reserve(events.size());
  for (const auto& event : events) texts.push_back(render_event(options, event));
  std::vector<const std::string*> pointers;
  pointers.reserve(texts.size());
  for (const auto& text : texts) pointers.push_back(&text);
  return render_calendar_from_texts(options, events, pointers);
}

}  // namespace plancal
