#include "ical/plan_calendar.h"

#include <string>

#include "ical/calendar_head.h"

namespace plancal {

std::size_t render_plan_calendar_to(const CalendarOptions& options, const Plan& plan,
                                    const OccurrenceStream::Keep& keep,
                                    const EventRevision& revision,
                                    const std::function<void(std::string_view)>& sink) {
  // The VTIMEZONEs come first but depend on the years of every event: the first expansion
  // gathers them, the second hands out the events in order.
  CalendarZones zones(options.timezone);
  const OccurrenceStream stream(plan, keep, [&zones](const Occurrence& o) { zones.add(o); });
  // Events go out in pieces of about kPiece bytes: one write each, not one per event.
  constexpr std::size_t kPiece = std::size_t{64} * 1024;
  std::string piece = render_calendar_properties(options) + render_calendar_vtimezones(zones);
  piece.reserve(kPiece + 4096);
  stream.for_each([&](const Occurrence& o) {
    piece += render_event(options, EventToRender{&o, revision});
    if (piece.size() < kPiece) return;
    sink(piece);
    piece.clear();
  });
  piece += calendar_end();
  sink(piece);
  return stream.size();
}

}  // namespace plancal
