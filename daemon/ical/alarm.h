#pragma once
/// The participant's preparation reminder as a VALARM inside a published event.
///
/// Seeds 000 and 001 ask participants to prepare (1–2 hours) before meetings; a calendar
/// alarm reaches them without any email. Only confirmed meetings that list preparation items
/// get one: an alarm on every event would teach people to dismiss them.

#include <optional>

#include "expand/occurrence.h"
#include "ical/libical_handles.h"
#include "ical/preparation_alarm.h"

namespace plancal::ical {

/// The VALARM for `o` (ACTION:DISPLAY, DESCRIPTION with the preparation items, TRIGGER
/// relative to DTSTART or absolute in UTC), or nullptr when the event gets none: a
/// deadline, a cancelled event, no preparation items, or an alarm time not before the start.
[[nodiscard]] ComponentPtr make_preparation_alarm(const Occurrence& o, bool cancelled,
                                                  const PreparationAlarm& alarm);

/// How many minutes before the start of `o` its preparation alarm rings, or nullopt when the
/// event gets none (the same rule as make_preparation_alarm, which uses it). A relative alarm
/// is its TRIGGER's duration; an absolute one is the time from the alarm's instant to the
/// start's, to the nearest minute. For calendars that know only "minutes before the start"
/// (Microsoft Graph's reminderMinutesBeforeStart).
[[nodiscard]] std::optional<int> preparation_alarm_minutes(const Occurrence& o, bool cancelled,
                                                           const PreparationAlarm& alarm);

}  // namespace plancal::ical
