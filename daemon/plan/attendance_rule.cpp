#include "plan/attendance_rule.h"

#include <cmath>

namespace plancal {

namespace {

using nlohmann::json;

const json* find(const MarkedJson& doc, const std::string& pointer) {
  const json::json_pointer at(pointer);
  return doc.json.contains(at) ? &doc.json.at(at) : nullptr;
}

/// Hours as written (33, 7.5) -> whole minutes.
std::optional<int> minutes_at(const MarkedJson& doc, const std::string& pointer) {
  const json* value = find(doc, pointer);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  return static_cast<int>(std::lround(value->get<double>() * 60.0));
}

}  // namespace

std::optional<AttendanceRule> build_attendance_rule(const MarkedJson& doc,
                                                    const std::string& pointer,
                                                    Diagnostics& diagnostics) {
  const json* section = find(doc, pointer);
  if (section == nullptr || !section->is_object()) return std::nullopt;
  AttendanceRule rule;
  rule.programme_minutes = minutes_at(doc, pointer + "/programme_hours").value_or(0);
  rule.yearly_minutes = minutes_at(doc, pointer + "/yearly_hours");
  rule.where = doc.where(pointer + "/programme_hours");
  rule.yearly_where = doc.where(pointer + "/yearly_hours");
  if (const json* late = find(doc, pointer + "/late_after"); late && late->is_string()) {
    rule.late_after = parse_time_of_day(late->get<std::string>());
    if (!rule.late_after) {
      diagnostics.error(doc.where(pointer + "/late_after"),
                        "\"" + late->get<std::string>() + "\" is not a time of day",
                        "write HH:MM, e.g. \"09:10\"");
    }
  }
  return rule;
}

}  // namespace plancal
