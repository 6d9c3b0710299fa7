#include "cli/attendance_input.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdio>
#include <cstdlib>

#include "attendance/programme.h"
#include "cli/plan_input.h"
#include "expand/audience.h"
#include "expand/expander.h"
#include "ical/timezone.h"
#include "plan/loader.h"

namespace plancal::cli {

std::vector<AttendancePlan> load_attendance_plans_or_exit(const Config& config) {
  std::vector<AttendancePlan> plans;
  for (const auto& path : config.plan_files) {
    PlanLoad load = load_plan_file(path);
    if (!load.plan || load.diagnostics.has_errors()) {
      fmt::print(stderr,
                 "plancal: warning: {} has errors and is left out (its registers are kept); "
                 "run `plancal validate {}`\n",
                 path, path);
      continue;
    }
    std::vector<Occurrence> occurrences = expand_plan(*load.plan);
    plans.push_back({std::move(*load.plan), std::move(occurrences)});
  }
  if (plans.empty()) fail(fmt::format("{} has no valid plan", config.file));
  return plans;
}

Result<const AttendancePlan*> find_attendance_plan(const std::vector<AttendancePlan>& plans,
                                                   const std::string& plan_id) {
  std::vector<std::string> ids;
  for (const auto& p : plans) {
    if (p.plan.id == plan_id) return &p;
    ids.push_back(p.plan.id);
  }
  return Error{fmt::format("no valid plan with id '{}' in the config (plans: {})", plan_id,
                           fmt::join(ids, ", "))};
}

Result<ResolvedRegistration> resolve_registration(const AttendancePlan& plan, Date date,
                                                  const std::string& person_id) {
  const Person* person = find_person(plan.plan, person_id);
  if (person == nullptr) {
    return Error{
        fmt::format("plan {} has nobody with the id '{}' in its roster", plan.plan.id, person_id)};
  }
  std::vector<const Occurrence*> that_day;
  std::vector<const Occurrence*> scheduled;
  for (const auto& o : plan.occurrences) {
    if (o.start.date != date || !is_registered_meeting(plan.plan, o)) continue;
    that_day.push_back(&o);
    if (is_scheduled(*person, o)) scheduled.push_back(&o);
  }
  if (scheduled.size() == 1) return ResolvedRegistration{scheduled.front(), false};
  if (that_day.empty()) {
    return Error{fmt::format(
        "plan {} has no meeting with attendance kept on {} (only meetings of a programme with "
        "an `attendance:` rule have registers; `plancal expand` lists the dates)",
        plan.plan.id, format_date(date))};
  }
  if (that_day.size() == 1) return ResolvedRegistration{that_day.front(), true};
  return Error{fmt::format(
      "plan {} has {} meetings with attendance kept on {} and {} is scheduled for {} of them: "
      "which one is meant cannot be told from the date",
      plan.plan.id, that_day.size(), format_date(date), person_id,
      scheduled.empty() ? std::string("none") : std::to_string(scheduled.size()))};
}

const Occurrence* find_occurrence(const AttendancePlan& plan, const std::string& uid) {
  for (const auto& o : plan.occurrences) {
    if (o.uid == uid) return &o;
  }
  return nullptr;
}

Date retention_keep_from(const Config& config, std::int64_t now_unix) {
  const Date today = civil_from_days(now_unix / 86400);
  Date keep{today.year - config.attendance.retention_years, today.month, today.day};
  if (!is_valid_date(keep)) keep.day = days_in_month(keep.year, keep.month);  // 29 February
  return keep;
}

LocalDateTime local_time_in(const std::string& timezone, std::int64_t now_unix) {
  return local_time_at(timezone, now_unix);
}

std::optional<LocalDateTime> parse_local_now_or_exit(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const auto date = parse_date(text.substr(0, 10));
  const auto time = text.size() == 16 && (text[10] == 'T' || text[10] == ' ')
                        ? parse_time_of_day(text.substr(11))
                        : std::nullopt;
  if (!date || !time) fail("--now " + text + ": write a local time like 2024-06-01T12:00");
  return LocalDateTime{*date, *time};
}

std::string default_changed_by() {
  const char* user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? std::string("cli:") + user : std::string("cli");
}

}  // namespace plancal::cli
