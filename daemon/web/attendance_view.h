#pragma once
/// What the attendance pages read from the plans in force: which plans keep attendance, their
/// published meetings with a register, and wall-clock time in a plan's zone.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/civil.h"
#include "expand/occurrence.h"
#include "plan/model.h"
#include "web/page_source.h"

namespace plancal::web {

/// A plan in force and its published occurrences that keep attendance.
struct KeptPlan {
  std::shared_ptr<const Plan> plan;
  std::vector<Occurrence> occurrences;      ///< every published one (the ledger needs them all)
  std::vector<const Occurrence*> meetings;  ///< those with a register, by start
};

/// The plans of `source` with at least one meeting that keeps a register.
[[nodiscard]] std::vector<KeptPlan> kept_plans(const PageSource& source);

/// `unix` as wall-clock time in `timezone`, right across DST.
[[nodiscard]] LocalDateTime local_time(const std::string& timezone, std::int64_t unix);

/// "/oppmote/<plan>/<YYYY-MM-DD>": the register of a date.
[[nodiscard]] std::string register_path(const Plan& plan, Date date);

/// "/oppmote/rapport/<plan>/<year>.<csv|xlsx>": the payroll report of the signed-in user's
/// people in that plan and year (web/attendance_report.cpp).
inline constexpr std::string_view kReportPrefix = "/oppmote/rapport";
[[nodiscard]] std::string report_path(const Plan& plan, int year, std::string_view extension);

}  // namespace plancal::web
