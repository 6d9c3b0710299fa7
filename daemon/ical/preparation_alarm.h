#pragma once
/// PreparationAlarm: the settings of the participants' preparation VALARM (ical/alarm.h).
/// A plain value of its own so that the config can hold it without pulling in libical.

#include "base/civil.h"

namespace plancal {

/// A VALARM reminding participants to prepare (ical/alarm.h): `days_before` the meeting at
/// the wall-clock time `at`; TRIGGER relative to DTSTART (default: calendars move it with the
/// event) or an absolute UTC time.
struct PreparationAlarm {
  int days_before = 1;
  TimeOfDay at{18, 0};
  bool absolute = false;
  auto operator<=>(const PreparationAlarm&) const = default;
};

}  // namespace plancal
