#include "attendance/programme.h"

#include <fmt/format.h>

#include <algorithm>

#include "expand/audience.h"

namespace plancal {

namespace {

const Rotation* find_rotation(const Plan& plan, std::string_view key) {
  for (const auto& rotation : plan.rotations) {
    if (rotation.key == key) return &rotation;
  }
  return nullptr;
}

const Series* find_series(const Plan& plan, std::string_view key) {
  for (const auto& series : plan.series) {
    if (series.key == key) return &series;
  }
  return nullptr;
}

std::string trimmed_decimal(int minutes, char separator) {
  const int whole = minutes / 60;
  const int rest = minutes % 60;
  if (rest == 0) return std::to_string(whole);
  std::string fraction = fmt::format("{:.2f}", rest / 60.0).substr(2);  // "50", "25", "33"
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  return fmt::format("{}{}{}", whole, separator, fraction);
}

}  // namespace

const AttendanceRule* attendance_rule_for(const Plan& plan, std::string_view component_key) {
  if (const Rotation* rotation = find_rotation(plan, component_key)) {
    return rotation->attendance ? &*rotation->attendance : nullptr;
  }
  if (const Series* series = find_series(plan, component_key)) {
    return series->attendance ? &*series->attendance : nullptr;
  }
  for (const auto& slot : plan.weekly) {
    if (slot.key == component_key) return slot.attendance ? &*slot.attendance : nullptr;
  }
  return nullptr;
}

bool in_leaders_register(const Person& person, std::string_view leader_id) {
  return person.id == leader_id || person.reports_to == leader_id;
}

bool is_scheduled(const Person& person, const Occurrence& occurrence) {
  const std::vector<std::string> memberships = person_audiences(person);
  const std::vector<std::string> members = audience_members(occurrence.audience);
  return std::any_of(members.begin(), members.end(), [&](const std::string& member) {
    return std::find(memberships.begin(), memberships.end(), member) != memberships.end();
  });
}

bool is_registered_meeting(const Plan& plan, const Occurrence& occurrence) {
  return occurrence.kind == OccurrenceKind::Meeting && !occurrence.all_day &&
         occurrence.status == OccurrenceStatus::Confirmed && !is_makeup_copy(occurrence) &&
         attendance_rule_for(plan, occurrence.component_key) != nullptr;
}

int duration_minutes(const Occurrence& occurrence) {
  const auto days = days_from_civil(occurrence.end.date) - days_from_civil(occurrence.start.date);
  return static_cast<int>(days * 24 * 60) + minutes_of(occurrence.end.time) -
         minutes_of(occurrence.start.time);
}

std::string meeting_identity(const Plan& plan, const Occurrence& o) {
  if (find_rotation(plan, o.component_key) != nullptr) {
    return o.plan_id + "/" + o.component_key + "/" + o.meeting_key;  // one date per team
  }
  if (find_series(plan, o.component_key) != nullptr) {
    return o.plan_id + "/" + o.component_key + "/#" + o.occurrence_key;  // one date per row
  }
  return o.uid;  // a weekly slot or wheel meeting has no alternative dates
}

std::string meeting_label_nb(const Plan& plan, const Occurrence& o) {
  if (const Rotation* rotation = find_rotation(plan, o.component_key)) {
    for (const auto& meeting : rotation->meetings) {
      if (meeting.key == o.meeting_key) return fmt::format("møte {}", meeting.number);
    }
  }
  if (find_series(plan, o.component_key) != nullptr) return "møte " + o.occurrence_key;
  return o.summary;
}

std::string occurrence_group_name(const Plan& plan, const Occurrence& o) {
  if (find_rotation(plan, o.component_key) != nullptr) {
    for (const auto& team : plan.teams) {
      if (team.key == o.occurrence_key) return team.name;
    }
    return "Team " + o.occurrence_key;
  }
  if (const Series* series = find_series(plan, o.component_key)) {
    for (const auto& row : series->rows) {
      if (row.key == o.meeting_key) return row.name;
    }
  }
  return {};
}

std::string hours_text_nb(int minutes) { return trimmed_decimal(minutes, ','); }

std::string hours_decimal(int minutes) { return trimmed_decimal(minutes, '.'); }

}  // namespace plancal
