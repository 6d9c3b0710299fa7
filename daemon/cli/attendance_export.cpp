// plancal attendance export --config FILE [--plan ID] [--person ID] [--year YYYY]
//   [--format csv]: the registers as CSV, with the columns a payroll "rapport om utført
// arbeid" needs (date, person, meeting, hours, status) and what else is kept with them.
// With --person, everything stored about that person: their registrations, then (after an
// empty line) every change to them in the audit trail.

#include <fmt/format.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "attendance/programme.h"
#include "attendance/status.h"
#include "cli/attendance_commands.h"
#include "cli/attendance_input.h"
#include "cli/config_input.h"
#include "cli/plan_input.h"
#include "expand/audience.h"
#include "store/attendance_registers.h"

namespace plancal::cli {

namespace {

struct ExportOptions {
  std::string config;
  std::string plan;
  std::string person;
  int year = 0;
  std::string format = "csv";
};

/// One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A field that
/// a spreadsheet would read as a formula (= + - @) gets a leading apostrophe.
std::string csv_field(const std::string& text) {
  std::string value = text;
  if (!value.empty() &&
      (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@')) {
    value.insert(0, 1, '\'');
  }
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (const char c : value) {
    quoted += c;
    if (c == '"') quoted += '"';
  }
  return quoted + "\"";
}

void print_row(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    line += csv_field(fields[i]);
  }
  fmt::print("{}\r\n", line);
}

const AttendancePlan* plan_of(const std::vector<AttendancePlan>& plans, const std::string& id) {
  auto found = find_attendance_plan(plans, id);
  return found ? *found : nullptr;
}

std::string person_name(const AttendancePlan* plan, const std::string& person_id) {
  if (plan == nullptr) return {};
  const Person* person = find_person(plan->plan, person_id);
  return person == nullptr ? std::string() : person->name;
}

/// Unix seconds as "2024-03-18T13:05:00Z".
std::string utc_text(std::int64_t unix) {
  const std::int64_t days = unix / 86400;
  const std::int64_t seconds = unix - days * 86400;
  return fmt::format("{}T{:02}:{:02}:{:02}Z", format_date(civil_from_days(days)), seconds / 3600,
                     seconds / 60 % 60, seconds % 60);
}

void print_record(const std::vector<AttendancePlan>& plans, const AttendanceRecord& r) {
  const AttendancePlan* plan = plan_of(plans, r.plan_id);
  const Occurrence* o = plan == nullptr ? nullptr : find_occurrence(*plan, r.uid);
  const int minutes = o == nullptr ? 0 : duration_minutes(*o);
  print_row({format_date(r.date), r.person_id, person_name(plan, r.person_id), r.plan_id,
             o == nullptr ? r.uid : meeting_label_nb(plan->plan, *o),
             o == nullptr ? std::string() : occurrence_group_name(plan->plan, *o),
             o == nullptr ? std::string() : hours_decimal(minutes),
             counts_as_present(r.status) && o != nullptr ? hours_decimal(minutes) : "0",
             std::string(status_label_nb(r.status)), std::string(status_code(r.status)), r.note,
             r.added ? "yes" : "no", r.registered_by, utc_text(r.registered_at)});
}

std::string status_text(const std::optional<AttendanceStatus>& status) {
  return status ? std::string(status_code(*status)) : std::string();
}

void print_audit(const std::vector<AttendanceAudit>& trail) {
  print_row({"changed_at", "changed_by", "source", "date", "person", "plan", "uid", "old_status",
             "new_status", "old_note", "new_note"});
  for (const auto& a : trail) {
    print_row({utc_text(a.changed_at), a.changed_by, a.source, format_date(a.date), a.person_id,
               a.plan_id, a.uid, status_text(a.old_status), status_text(a.new_status), a.old_note,
               a.new_note});
  }
}

void run_export(const ExportOptions& options) {
  if (options.format != "csv") fail("--format " + options.format + ": only csv is supported");
  const Config config = load_config_or_exit(options.config);
  const auto plans = load_attendance_plans_or_exit(config);
  AttendanceFilter filter{options.plan, options.person, std::nullopt};
  if (options.year != 0) filter.year = options.year;
  AttendanceRegisters registers(open_database_or_exit(config));
  auto records = registers.records(filter);
  if (!records) fail(records.error().message);
  print_row({"date", "person", "name", "plan", "meeting", "group", "meeting_hours", "hours",
             "status", "status_code", "note", "added", "registered_by", "registered_at"});
  for (const auto& r : *records) print_record(plans, r);
  if (options.person.empty()) return;
  auto trail = registers.audit(filter);
  if (!trail) fail(trail.error().message);
  fmt::print("\r\n");
  print_audit(*trail);
}

}  // namespace

void add_attendance_export_command(CLI::App& attendance) {
  auto options = std::make_shared<ExportOptions>();
  auto* command = attendance.add_subcommand(
      "export", "Write the registers as CSV (date, person, meeting, hours, status, ...)");
  command->add_option("--config", options->config, "Daemon config file (YAML)")->required();
  command->add_option("--plan", options->plan, "Only this plan");
  command->add_option("--person", options->person,
                      "Only this person, with every change to their registers (the audit trail)");
  command->add_option("--year", options->year, "Only this year")->check(CLI::Range(1900, 9999));
  command->add_option("--format", options->format, "csv (the default)");
  command->callback([options] { run_export(*options); });
}

}  // namespace plancal::cli
