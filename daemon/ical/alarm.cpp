#include "ical/alarm.h"

#include "ical/timezone.h"
#include "ical/vevent.h"

namespace plancal::ical {

namespace {

constexpr int kMinutesPerDay = 24 * 60;

std::string alarm_text(const Occurrence& o) {
  std::string text = "Forberedelse: " + o.summary;
  for (const auto& item : o.content.preparation) text += "\n- " + item;
  return text;
}

/// Minutes from the alarm's wall-clock time to the start's (positive: before the start).
int minutes_before_start(const Occurrence& o, const PreparationAlarm& alarm) {
  return alarm.days_before * kMinutesPerDay + minutes_of(o.start.time) - minutes_of(alarm.at);
}

PropertyPtr relative_trigger(int minutes_before) {
  icaltriggertype trigger = icaltriggertype_from_int(-minutes_before * 60);
  return PropertyPtr(icalproperty_new_trigger(trigger));
}

PropertyPtr absolute_trigger(const Occurrence& o, const PreparationAlarm& alarm) {
  const LocalDateTime when{add_days(o.start.date, -alarm.days_before), alarm.at};
  auto unix = to_unix_seconds(o.timezone.empty() ? "Europe/Oslo" : o.timezone, when);
  if (!unix) return nullptr;
  icaltriggertype trigger = icaltriggertype_from_int(0);
  trigger.time = utc_time(*unix);
  trigger.duration = icaldurationtype_null_duration();
  PropertyPtr property(icalproperty_new_trigger(trigger));
  icalproperty_add_parameter(property.get(), icalparameter_new_value(ICAL_VALUE_DATETIME));
  return property;
}

}  // namespace

ComponentPtr make_preparation_alarm(const Occurrence& o, bool cancelled,
                                    const PreparationAlarm& alarm) {
  if (cancelled || o.status == OccurrenceStatus::Cancelled || o.all_day ||
      o.kind != OccurrenceKind::Meeting || o.content.preparation.empty()) {
    return nullptr;
  }
  const int minutes_before = minutes_before_start(o, alarm);
  if (minutes_before <= 0) return nullptr;
  PropertyPtr trigger =
      alarm.absolute ? absolute_trigger(o, alarm) : relative_trigger(minutes_before);
  if (!trigger) return nullptr;
  ComponentPtr valarm(icalcomponent_new_valarm());
  add_property(valarm.get(), PropertyPtr(icalproperty_new_action(ICAL_ACTION_DISPLAY)));
  add_property(valarm.get(), std::move(trigger));
  add_property(valarm.get(), PropertyPtr(icalproperty_new_description(alarm_text(o).c_str())));
  return valarm;
}

}  // namespace plancal::ical
