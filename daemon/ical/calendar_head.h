#pragma once
/// render_calendar_head (render.h) in its two parts, one after the other: the calendar's own
/// properties (from the options alone: its name, zone, refresh interval) and the VTIMEZONEs
/// its events need (the same text for every calendar of one zone and years). Feeds keep them
/// apart, so thousands of feeds hold the VTIMEZONEs once and keep their properties across
/// changes.

#include <map>
#include <string>
#include <vector>

#include "ical/render.h"

namespace plancal {

/// What a calendar's VTIMEZONEs depend on: the zones its events use and the years each must
/// cover. Gathered one event at a time, so a calendar written while its events are still being
/// made (`plancal export`) gets the same head as one whose events are all at hand.
class CalendarZones {
 public:
  struct Years {
    int first = 0;  ///< 0 while no event has widened the range
    int last = 0;
  };

  /// For a calendar in `calendar_zone` (CalendarOptions::timezone), the zone of events that
  /// name none.
  explicit CalendarZones(std::string calendar_zone) : calendar_zone_(std::move(calendar_zone)) {}

  /// Widens the years to cover `occurrence`.
  void add(const Occurrence& occurrence);

  /// Each zone that needs a VTIMEZONE (the calendar's own always, UTC never) and its years.
  [[nodiscard]] std::map<std::string, Years> needed() const;

 private:
  std::string calendar_zone_;
  std::map<std::string, Years> timed_;  ///< the zones of timed events
  Years all_events_;                    ///< every event, all-day ones too
};

/// The VCALENDAR's properties, folded: the first part of render_calendar_head.
[[nodiscard]] std::string render_calendar_properties(const CalendarOptions& options);

/// The VTIMEZONEs `events` need in a calendar with `options`, folded: the second part.
[[nodiscard]] std::string render_calendar_vtimezones(const CalendarOptions& options,
                                                     const std::vector<EventToRender>& events);

/// The VTIMEZONEs for `zones`, folded: the same text as for the events they were gathered from.
[[nodiscard]] std::string render_calendar_vtimezones(const CalendarZones& zones);

}  // namespace plancal
