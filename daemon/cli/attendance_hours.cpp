// plancal attendance hours --config FILE [--plan ID] [--year YYYY] [--now TIME]
//   [--format table|csv]: each roster person's hours against their programme's
// `attendance:` rule: planned, attended, excused, absent, not yet registered, still ahead,
// and whether the rule can still be met.

#include <fmt/format.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "attendance/ledger.h"
#include "attendance/programme.h"
#include "base/clock.h"
#include "cli/attendance_commands.h"
#include "cli/attendance_input.h"
#include "cli/config_input.h"
#include "cli/plan_input.h"
#include "plan/csv.h"
#include "store/attendance_registers.h"

namespace plancal::cli {

namespace {

struct HoursOptions {
  std::string config;
  std::string plan;
  int year = 0;
  std::string now;
  std::string format = "table";
};

/// "oppfylt" (met), "kan nås" (can still be met), "kan ikke nås" (can no longer be met).
std::string standing_nb(const HoursLine& line) {
  if (line.met()) return "oppfylt";
  return line.can_still_meet() ? "kan nås" : "kan ikke nås";
}

void print_csv_header() {
  fmt::print(
      "plan,programme,year,person,name,required_hours,planned_hours,attended_hours,"
      "excused_hours,absent_hours,unregistered_hours,upcoming_hours,reachable_hours,standing\r\n");
}

void print_csv(const HoursLine& l) {
  fmt::print(
      "{}",
      csv_line({l.plan_id, l.programme_key, std::to_string(l.year), l.person->id, l.person->name,
                hours_decimal(l.required_minutes), hours_decimal(l.planned_minutes),
                hours_decimal(l.attended_minutes), hours_decimal(l.excused_minutes),
                hours_decimal(l.absent_minutes), hours_decimal(l.unregistered_minutes),
                hours_decimal(l.upcoming_minutes), hours_decimal(l.reachable_minutes),
                l.met() ? "met" : (l.can_still_meet() ? "reachable" : "unreachable")}));
}

void print_table_header(const HoursLine& first) {
  fmt::print("{} {} ({}): {}{} timer i året\n", first.programme_title, first.year, first.plan_id,
             hours_text_nb(first.required_minutes),
             first.yearly_minutes ? " av " + hours_text_nb(*first.yearly_minutes) : "");
  fmt::print("  {:<28} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}  {}\n", "PERSON", "PLANLAGT", "MØTT",
             "GYLDIG", "FRAVÆR", "UREG.", "IGJEN", "REGELEN");
}

void print_table(const HoursLine& l) {
  fmt::print("  {:<28} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}  {}\n", l.person->name,
             hours_text_nb(l.planned_minutes), hours_text_nb(l.attended_minutes),
             hours_text_nb(l.excused_minutes), hours_text_nb(l.absent_minutes),
             hours_text_nb(l.unregistered_minutes), hours_text_nb(l.upcoming_minutes),
             standing_nb(l));
}

/// Rosters are often shared by plans: a person with no meeting of a programme and nothing
/// attended there is not listed for it.
bool concerns_person(const HoursLine& line) {
  return line.planned_minutes > 0 || line.attended_minutes > 0;
}

void print_lines(const std::vector<HoursLine>& lines, bool csv) {
  std::string programme;
  for (const auto& line : lines) {
    if (!concerns_person(line)) continue;
    if (csv) {
      print_csv(line);
      continue;
    }
    if (line.plan_id + "/" + line.programme_key != programme) {
      if (!programme.empty()) fmt::print("\n");
      programme = line.plan_id + "/" + line.programme_key;
      print_table_header(line);
    }
    print_table(line);
  }
}

void run_hours(const HoursOptions& options) {
  if (options.format != "table" && options.format != "csv") {
    fail("--format " + options.format + ": use table or csv");
  }
  const Config config = load_config_or_exit(options.config);
  const auto plans = load_attendance_plans_or_exit(config);
  const std::optional<LocalDateTime> fixed_now = parse_local_now_or_exit(options.now);
  AttendanceRegisters registers(open_database_or_exit(config));
  const bool csv = options.format == "csv";
  if (csv) print_csv_header();
  for (const auto& p : plans) {
    if (!options.plan.empty() && p.plan.id != options.plan) continue;
    const LocalDateTime now =
        fixed_now.value_or(local_time_in(p.plan.timezone, SystemClock().now_unix()));
    const int year = options.year != 0 ? options.year : now.date.year;
    auto records = registers.records({p.plan.id, "", year});
    if (!records) fail(records.error().message);
    std::vector<const Person*> people;
    for (const auto& person : p.plan.roster) people.push_back(&person);
    print_lines(hours_ledger(p.plan, p.occurrences, *records, people, year, now), csv);
  }
}

}  // namespace

void add_attendance_hours_command(CLI::App& attendance) {
  auto options = std::make_shared<HoursOptions>();
  auto* command = attendance.add_subcommand(
      "hours", "Each person's hours against their programme's attendance rule");
  command->add_option("--config", options->config, "Daemon config file (YAML)")->required();
  command->add_option("--plan", options->plan, "Only this plan");
  command->add_option("--year", options->year, "The year (default: this year)")
      ->check(CLI::Range(1900, 9999));
  command->add_option("--now", options->now,
                      "Local time the hours are counted at (default: now), e.g. 2024-06-01T12:00");
  command->add_option("--format", options->format, "table (the default) or csv");
  command->callback([options] { run_hours(*options); });
}

}  // namespace plancal::cli
