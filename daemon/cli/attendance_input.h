#pragma once
/// Shared by the `plancal attendance` subcommands: the config's plans with their
/// occurrences, which occurrence a registration on a date is for, the clock and retention.
/// Attendance is personal data: nothing here logs; what a command prints goes to the user.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/civil.h"
#include "base/result.h"
#include "config/config.h"
#include "expand/occurrence.h"
#include "plan/model.h"

namespace plancal::cli {

/// A valid plan of the config and its expansion.
struct AttendancePlan {
  Plan plan;
  std::vector<Occurrence> occurrences;
};

/// Every valid plan of the config, expanded. A plan with errors is left out with a note on
/// stderr (its registers stay in the database untouched); none at all stops the command.
std::vector<AttendancePlan> load_attendance_plans_or_exit(const Config& config);

/// The plan with this id, or an error naming the plans there are.
[[nodiscard]] Result<const AttendancePlan*> find_attendance_plan(
    const std::vector<AttendancePlan>& plans, const std::string& plan_id);

/// Which occurrence a registration of `person_id` on `date` is for: the meeting with
/// attendance kept that day which the person is scheduled for, else the only one that day
/// (the person is then `added`: extra staff, or making up a missed meeting).
struct ResolvedRegistration {
  const Occurrence* occurrence = nullptr;
  bool added = false;
};
[[nodiscard]] Result<ResolvedRegistration> resolve_registration(const AttendancePlan& plan,
                                                                Date date,
                                                                const std::string& person_id);

/// The occurrence with this UID in the plan, or nullptr (the plan dropped it since).
[[nodiscard]] const Occurrence* find_occurrence(const AttendancePlan& plan, const std::string& uid);

/// The first date whose registers are kept: today minus `attendance.retention_years`.
[[nodiscard]] Date retention_keep_from(const Config& config, std::int64_t now_unix);

/// `now_unix` as wall-clock time in `timezone` (Europe/Oslo for most plans).
[[nodiscard]] LocalDateTime local_time_in(const std::string& timezone, std::int64_t now_unix);

/// `--now` of the attendance commands: an ISO local time ("2024-06-01T12:00") in the plan's
/// zone; nullopt when not given (the system clock then). Stops the command when malformed.
std::optional<LocalDateTime> parse_local_now_or_exit(const std::string& text);

/// Who a change is recorded as when `--by` is not given: "cli:$USER" (or "cli").
[[nodiscard]] std::string default_changed_by();

}  // namespace plancal::cli
