// plancal attendance export --config FILE [--plan ID] [--person ID] [--year YYYY]
//   [--format csv|xlsx] [-o FILE]: the registers as CSV (or an Excel workbook), with the
// columns a payroll "rapport om utført arbeid" needs (date, person, meeting, hours, status)
// and what else is kept with them. In the workbook hours are numbers and dates are dates.
// With --person, everything stored about that person: their registrations, then (after an
// empty line) every change to them in the audit trail.

#include <fmt/format.h>

#include <cmath>
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
#include "plan/csv.h"
#include "store/attendance_registers.h"
#include "xlsx/workbook.h"

namespace plancal::cli {

namespace {

struct ExportOptions {
  std::string config;
  std::string plan;
  std::string person;
  int year = 0;
  std::string format = "csv";
  std::string output;  ///< -o: required for xlsx; CSV goes to standard output without it
};

using xlsx::Cell;
using Row = std::vector<Cell>;

const std::vector<std::string> kRecordSheetColumns = {
    "date",  "person", "name",        "plan", "meeting", "group",         "meeting_hours",
    "hours", "status", "status_code", "note", "added",   "registered_by", "registered_at"};

/// A typed row as CSV text: numbers as the ledger writes hours ("3", "3.5"), dates ISO.
std::vector<std::string> texts_of(const Row& row) {
  std::vector<std::string> fields;
  for (const Cell& cell : row) {
    switch (cell.kind) {
      case Cell::Kind::Text:
        fields.push_back(cell.text);
        break;
      case Cell::Kind::Number:
        fields.push_back(hours_decimal(static_cast<int>(std::lround(cell.number * 60))));
        break;
      case Cell::Kind::Date:
        fields.push_back(format_date(cell.date));
        break;
    }
  }
  return fields;
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

Row record_row(const std::vector<AttendancePlan>& plans, const AttendanceRecord& r) {
  const AttendancePlan* plan = plan_of(plans, r.plan_id);
  const Occurrence* o = plan == nullptr ? nullptr : find_occurrence(*plan, r.uid);
  const double hours = o == nullptr ? 0 : duration_minutes(*o) / 60.0;
  const bool credited = counts_as_present(r.status) && o != nullptr;
  return {Cell::of_date(r.date),
          Cell::of_text(r.person_id),
          Cell::of_text(person_name(plan, r.person_id)),
          Cell::of_text(r.plan_id),
          Cell::of_text(o == nullptr ? r.uid : meeting_label_nb(plan->plan, *o)),
          Cell::of_text(o == nullptr ? std::string() : occurrence_group_name(plan->plan, *o)),
          o == nullptr ? Cell::of_text("") : Cell::of_number(hours),
          Cell::of_number(credited ? hours : 0),
          Cell::of_text(std::string(status_label_nb(r.status))),
          Cell::of_text(std::string(status_code(r.status))),
          Cell::of_text(r.note),
          Cell::of_text(r.added ? "yes" : "no"),
          Cell::of_text(r.registered_by),
          Cell::of_text(utc_text(r.registered_at))};
}

std::string status_text(const std::optional<AttendanceStatus>& status) {
  return status ? std::string(status_code(*status)) : std::string();
}

const std::vector<std::string> kAuditSheetColumns = {
    "changed_at", "changed_by", "source",     "date",     "person",  "plan",
    "uid",        "old_status", "new_status", "old_note", "new_note"};

Row audit_row(const AttendanceAudit& a) {
  return {Cell::of_text(utc_text(a.changed_at)),
          Cell::of_text(a.changed_by),
          Cell::of_text(a.source),
          Cell::of_date(a.date),
          Cell::of_text(a.person_id),
          Cell::of_text(a.plan_id),
          Cell::of_text(a.uid),
          Cell::of_text(status_text(a.old_status)),
          Cell::of_text(status_text(a.new_status)),
          Cell::of_text(a.old_note),
          Cell::of_text(a.new_note)};
}

/// The registers (and, for one person, their audit trail) as sheets.
std::vector<xlsx::Sheet> export_sheets(const ExportOptions& options) {
  const Config config = load_config_or_exit(options.config);
  const auto plans = load_attendance_plans_or_exit(config);
  AttendanceFilter filter{options.plan, options.person, std::nullopt};
  if (options.year != 0) filter.year = options.year;
  AttendanceRegisters registers(open_database_or_exit(config));
  auto records = registers.records(filter);
  if (!records) fail(records.error().message);
  std::vector<xlsx::Sheet> sheets(1);
  sheets[0] = {"Oppmøte", kRecordSheetColumns, {}};
  for (const auto& r : *records) sheets[0].rows.push_back(record_row(plans, r));
  if (options.person.empty()) return sheets;
  auto trail = registers.audit(filter);
  if (!trail) fail(trail.error().message);
  sheets.push_back({"Endringer", kAuditSheetColumns, {}});
  for (const auto& a : *trail) sheets[1].rows.push_back(audit_row(a));
  return sheets;
}

void run_export(const ExportOptions& options) {
  if (options.format != "csv" && options.format != "xlsx") {
    fail("--format " + options.format + ": use csv or xlsx");
  }
  if (options.format == "xlsx" && options.output.empty()) {
    fail("--format xlsx needs -o FILE.xlsx: a workbook is not written to the terminal");
  }
  const auto sheets = export_sheets(options);
  if (options.format == "xlsx") {
    if (auto written = xlsx::write_workbook(options.output, sheets); !written) {
      fail(written.error().message);
    }
    fmt::print(stderr, "wrote {} registration(s) to {}\n", sheets[0].rows.size(), options.output);
    return;
  }
  std::string text;
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    if (i > 0) text += "\r\n";  // the audit trail after an empty line
    text += csv_line(sheets[i].header);
    for (const Row& row : sheets[i].rows) text += csv_line(texts_of(row));
  }
  if (options.output.empty()) {
    fmt::print("{}", text);
  } else {
    write_file_atomically_or_exit(options.output, text);
  }
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
  command->add_option("--format", options->format,
                      "csv (the default) or xlsx (an Excel workbook; needs -o)");
  command->add_option("-o,--output", options->output, "Write to this file (standard output: CSV)");
  command->callback([options] { run_export(*options); });
}

}  // namespace plancal::cli
