#pragma once
/// One occurrence as a libical VEVENT component: the fields, their order and the rules for
/// cancelled events and deadlines live here; render.cpp only assembles the calendar.

#include <optional>
#include <string>

#include "expand/occurrence.h"
#include "ical/libical_handles.h"
#include "ical/render.h"

namespace plancal::ical {

/// The VEVENT for `event`. Timed events carry TZID=`tzid` on DTSTART/DTEND (UTC times when
/// the zone is "UTC"); all-day events use VALUE=DATE.
[[nodiscard]] ComponentPtr make_vevent(const EventToRender& event, const std::string& tzid);

/// The same VEVENT as make_vevent's, as libical writes it (one unfolded content line per
/// property, CRLF), but written directly: building and serialising libical's objects is most
/// of the time of a calendar of many events. nullopt for an event with text libical writes in
/// its own ways (control characters, a zone name it would quote): make_vevent then.
[[nodiscard]] std::optional<std::string> vevent_text(const EventToRender& event,
                                                     const std::string& tzid);

/// A libical UTC time for Unix seconds, computed without the C library's zone (TZ).
[[nodiscard]] icaltimetype utc_time(std::int64_t unix_seconds);

}  // namespace plancal::ical
