#pragma once
/// `attendance:` on a programme (schemas/plan.schema.json, definitions/attendance_rule):
/// how many hours a person is to spend in its meetings a year, and when arriving counts as
/// late. Read here, apart from the builder, so the rule is one small file to read.

#include <optional>
#include <string>

#include "base/diagnostic.h"
#include "plan/model.h"
#include "schema/yaml_json.h"

namespace plancal {

/// The rule at `pointer` (a programme's "/rotations/0/attendance"), or nullopt when the
/// programme states none. The schema has checked shapes and ranges; a `late_after` that is
/// not a real time of day is reported to `diagnostics`.
[[nodiscard]] std::optional<AttendanceRule> build_attendance_rule(const MarkedJson& doc,
                                                                  const std::string& pointer,
                                                                  Diagnostics& diagnostics);

}  // namespace plancal
