#pragma once
/// Access to libical's built-in time zones, serialised by one lock: libical 3.0 loads and
/// expands built-in zones lazily into shared state, and feeds render from several threads.

#include <libical/ical.h>

#include <mutex>
#include <string>

#include "base/civil.h"
#include "ical/libical_handles.h"

namespace plancal::ical {

/// A floating libical time with the same wall-clock fields; callers attach the zone.
[[nodiscard]] icaltimetype to_icaltime(LocalDateTime local);

/// Held while calling libical time-zone functions.
[[nodiscard]] std::unique_lock<std::mutex> lock_zones();

/// The built-in zone for an IANA name ("UTC" included), or nullptr; call with lock_zones() held.
[[nodiscard]] icaltimezone* builtin_zone_locked(const std::string& tzid);

/// A VTIMEZONE for `tzid` whose TZID (and X-LIC-LOCATION) is the plain IANA name, cut to the
/// years first_year..last_year in RRULE form; nullptr for an unknown zone.
[[nodiscard]] ComponentPtr make_vtimezone(const std::string& tzid, int first_year, int last_year);

}  // namespace plancal::ical
