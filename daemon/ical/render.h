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
#include <optional>
#include <string>
#include <vector>

#include "expand/occurrence.h"

namespace plancal {

/// What the state store knows about an event's history. A plain export uses sequence 0 and
/// the current time; feeds use what the store recorded, so unchanged events render
/// byte-identically.
struct EventRevision {
  int sequence = 0;
  std::int64_t dtstamp = 0;        ///< Unix seconds (UTC)
  std::int64_t last_modified = 0;  ///< Unix seconds (UTC); 0 = omit LAST-MODIFIED
  bool cancelled = false;          ///< STATUS:CANCELLED and summary prefixed "AVLYST: "
};

struct EventToRender {
  const Occurrence* occurrence = nullptr;
  EventRevision revision;
};

/// A VALARM reminding participants to prepare (ical/alarm.h): `days_before` the meeting at
/// the wall-clock time `at`; TRIGGER relative to DTSTART (default: calendars move it with the
/// event) or an absolute UTC time.
struct PreparationAlarm {
  int days_before = 1;
  TimeOfDay at{18, 0};
  bool absolute = false;
  auto operator<=>(const PreparationAlarm&) const = default;
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

}  // namespace plancal
