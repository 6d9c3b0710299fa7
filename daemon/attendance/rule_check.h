#pragma once
/// Does the plan add up to its own attendance rule? For each programme with `attendance:`,
/// the hours one person's meetings last in a year (each occurrence by its real length) are
/// compared with `programme_hours`. Seed 000 states 33 of 40 hours, but its eleven meetings
/// last 34 hours because meeting 6 ends at 13.00: `plancal validate` says so as a warning
/// at the `programme_hours` line, so whoever keeps the plan decides which of the two is right.

#include <vector>

#include "base/diagnostic.h"
#include "expand/occurrence.h"
#include "plan/model.h"

namespace plancal {

/// Warnings for every programme and year whose meetings do not add up to the rule, and for
/// a rule whose programme hours exceed its yearly hours. `occurrences` is the plan's whole
/// expansion.
[[nodiscard]] Diagnostics check_attendance_rules(const Plan& plan,
                                                 const std::vector<Occurrence>& occurrences);

}  // namespace plancal
