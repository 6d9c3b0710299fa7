#pragma once
/// Rendering occurrences as RFC 5545 iCalendar text through libical.
///
/// Output rules (each checked by tests): CRLF line ends; lines folded at 75 octets without
/// splitting a UTF-8 character; TEXT values escaped; VERSION, PRODID, DTSTAMP; DTSTART/DTEND
/// with TZID=<plan zone> and exactly one VTIMEZONE whose TZID is the plain IANA name (not
/// libical's "/freeassociation.sourceforge.net/" prefix), truncated to the years the
/// calendar covers; all-day deadlines as VALUE=DATE and TRANSP:TRANSPARENT with
/// X-MICROSOFT-CDO-BUSYSTATUS:FREE; meetings TRANSP:OPAQUE / BUSY.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "expand/event_revision.h"
#include "expand/occurrence.h"
#include "ical/preparation_alarm.h"

namespace plancal {

struct EventToRender {
  const Occurrence* occurrence = nullptr;
  EventRevision revision;
};

struct CalendarOptions {
  std::string name;                      ///< X-WR-CALNAME and NAME
  std::string description;               ///< X-WR-CALDESC, optional
  std::string timezone = "Europe/Oslo";  ///< X-WR-TIMEZONE and the VTIMEZONE
  bool method_publish = true;            ///< METHOD:PUBLISH for feeds and exports; false for CalDAV
  std::optional<int> refresh_minutes;    ///< REFRESH-INTERVAL and X-PUBLISHED-TTL when set
  /// A preparation VALARM in every meeting that has preparation items; none when unset.
  std::optional<PreparationAlarm> preparation_alarm;
};

/// One VCALENDAR with every event, in the order given.
[[nodiscard]] std::string render_calendar(const CalendarOptions& options,
                                          const std::vector<EventToRender>& events);

/// The same bytes as render_calendar(options, events), handed to `sink` piece by piece: the
/// head, each event as soon as it is rendered, then the end. A calendar of any size is then
/// never held whole in memory (`plancal export` writes it to its file this way).
void render_calendar_to(const CalendarOptions& options, const std::vector<EventToRender>& events,
                        const std::function<void(std::string_view)>& sink);

/// One event's VEVENT (folded, CRLF) exactly as render_calendar writes it into a calendar
/// with `options`, so that many calendars showing the same event can share its bytes.
/// Empty for an event without an occurrence.
[[nodiscard]] std::string render_event(const CalendarOptions& options, const EventToRender& event);

/// What a calendar with `options` and `events` reads before its events: the VCALENDAR's
/// properties and the VTIMEZONEs the events need. render_calendar is this, each event's
/// render_event text, then calendar_end(): kept apart, many feeds share the events' bytes.
[[nodiscard]] std::string render_calendar_head(const CalendarOptions& options,
                                               const std::vector<EventToRender>& events);

/// What every calendar ends with: "END:VCALENDAR" and CRLF.
[[nodiscard]] std::string_view calendar_end();

/// The same bytes as render_calendar(options, events), from each event's render_event text
/// (`texts[i]` for `events[i]`, in that order): the events decide the VTIMEZONEs, the texts
/// fill the body. For many calendars sharing events, each event is then rendered once.
[[nodiscard]] std::string render_calendar_from_texts(const CalendarOptions& options,
                                                     const std::vector<EventToRender>& events,
                                                     const std::vector<const std::string*>& texts);

}  // namespace plancal
