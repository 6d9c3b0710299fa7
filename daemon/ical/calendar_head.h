#pragma once
/// render_calendar_head (render.h) in its two parts, one after the other: the calendar's own
/// properties (from the options alone: its name, zone, refresh interval) and the VTIMEZONEs
/// its events need (the same text for every calendar of one zone and years). Feeds keep them
/// apart, so thousands of feeds hold the VTIMEZONEs once and keep their properties across
/// changes.

#include <string>
#include <vector>

#include "ical/render.h"

namespace plancal {

/// The VCALENDAR's properties, folded: the first part of render_calendar_head.
[[nodiscard]] std::string render_calendar_properties(const CalendarOptions& options);

/// The VTIMEZONEs `events` need in a calendar with `options`, folded: the second part.
[[nodiscard]] std::string render_calendar_vtimezones(const CalendarOptions& options,
                                                     const std::vector<EventToRender>& events);

}  // namespace plancal
