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

const std::string& zone_of(const Occurrence& o) {
  static const std::string kDefaultZone = "Europe/Oslo";
  return o.timezone.empty() ? kDefaultZone : o.timezone;
}

/// The alarm's instant (Unix seconds) for an absolute trigger.
Result<std::int64_t> absolute_instant(const Occurrence& o, const PreparationAlarm& alarm) {
  const LocalDateTime when{add_days(o.start.date, -alarm.days_before), alarm.at};
  return to_unix_seconds(zone_of(o), when);
}

/// Whether `o` gets a preparation alarm at all (ical/alarm.h says which events do).
bool gets_alarm(const Occurrence& o, bool cancelled, const PreparationAlarm& alarm) {
  return !cancelled && o.status != OccurrenceStatus::Cancelled && !o.all_day &&
         o.kind == OccurrenceKind::Meeting && !o.content.preparation.empty() &&
         minutes_before_start(o, alarm) > 0;
}

PropertyPtr absolute_trigger(const Occurrence& o, const PreparationAlarm& alarm) {
  auto unix = absolute_instant(o, alarm);
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
  if (!gets_alarm(o, cancelled, alarm)) return nullptr;
  PropertyPtr trigger = alarm.absolute ? absolute_trigger(o, alarm)
                                       : relative_trigger(minutes_before_start(o, alarm));
  if (!trigger) return nullptr;
  ComponentPtr valarm(icalcomponent_new_valarm());
  add_property(valarm.get(), PropertyPtr(icalproperty_new_action(ICAL_ACTION_DISPLAY)));
  add_property(valarm.get(), std::move(trigger));
  add_property(valarm.get(), PropertyPtr(icalproperty_new_description(alarm_text(o).c_str())));
  return valarm;
}

std::optional<int> preparation_alarm_minutes(const Occurrence& o, bool cancelled,
                                             const PreparationAlarm& alarm) {
  if (!gets_alarm(o, cancelled, alarm)) return std::nullopt;
  if (!alarm.absolute) return minutes_before_start(o, alarm);
  const auto at = absolute_instant(o, alarm);
  const auto start = to_unix_seconds(zone_of(o), o.start);
  if (!at || !start) return std::nullopt;
  constexpr std::int64_t kSecondsPerMinute = 60;
  return static_cast<int>((*start - *at + kSecondsPerMinute / 2) / kSecondsPerMinute);
}

}  // namespace plancal::ical
