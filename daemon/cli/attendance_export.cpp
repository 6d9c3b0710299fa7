// plancal attendance export --config FILE [--plan ID] [--person ID] [--year YYYY]
//   [--format csv|xlsx] [-o FILE]: the registers as CSV (or an Excel workbook), with the
// columns a payroll "rapport om utført arbeid" needs (date, person, meeting, hours, status)
// and what else is kept with them. In the workbook hours are numbers and dates are dates.
// With --person, everything stored about that person: their registrations, then (after an
// empty line) every change to them in the audit trail, then their make-up moves.

#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "attendance/programme.h"
#include "attendance/report.h"
#include "attendance/status.h"
#include "cli/attendance_commands.h"
#include "cli/attendance_input.h"
#include "cli/config_input.h"
#include "cli/plan_input.h"
#include "expand/audience.h"
#include "plan/csv.h"
#include "store/attendance_registers.h"
#include "store/makeup_moves.h"
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

/// The report's lookups into the config's expanded plans.
ReportLookup lookup_in(const std::vector<AttendancePlan>& plans) {
  const auto plan_of = [&plans](const std::string& id) -> const AttendancePlan* {
    auto found = find_attendance_plan(plans, id);
    return found ? *found : nullptr;
  };
  return {[plan_of](const std::string& id) -> const Plan* {
            const AttendancePlan* plan = plan_of(id);
            return plan == nullptr ? nullptr : &plan->plan;
          },
          [plan_of](const std::string& id, const std::string& uid) -> const Occurrence* {
            const AttendancePlan* plan = plan_of(id);
            return plan == nullptr ? nullptr : find_occurrence(*plan, uid);
          }};
}

std::string status_text(const std::optional<AttendanceStatus>& status) {
  return status ? std::string(status_code(*status)) : std::string();
}

const std::vector<std::string> kAuditSheetColumns = {
    "changed_at", "changed_by", "source",     "date",     "person",  "plan",
    "uid",        "old_status", "new_status", "old_note", "new_note"};

Row audit_row(const AttendanceAudit& a) {
  return {Cell::of_text(utc_timestamp_text(a.changed_at)),
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

const std::vector<std::string> kMoveSheetColumns = {"moved_at", "moved_by", "plan",  "from_date",
                                                    "from_uid", "to_date",  "to_uid"};

Row move_row(const MakeupMove& m) {
  return {Cell::of_text(utc_timestamp_text(m.moved_at)),
          Cell::of_text(m.moved_by),
          Cell::of_text(m.plan_id),
          Cell::of_date(m.from_date),
          Cell::of_text(m.from_uid),
          Cell::of_date(m.to_date),
          Cell::of_text(m.to_uid)};
}

/// The registers (and, for one person, their audit trail and make-up moves) as sheets.
std::vector<xlsx::Sheet> export_sheets(const ExportOptions& options) {
  const Config config = load_config_or_exit(options.config);
  const auto plans = load_attendance_plans_or_exit(config);
  AttendanceFilter filter{options.plan, options.person, std::nullopt};
  if (options.year != 0) filter.year = options.year;
  AttendanceRegisters registers(open_database_or_exit(config));
  auto records = registers.records(filter);
  if (!records) fail(records.error().message);
  std::vector<xlsx::Sheet> sheets{attendance_report_sheet(lookup_in(plans), *records)};
  if (options.person.empty()) return sheets;
  auto trail = registers.audit(filter);
  if (!trail) fail(trail.error().message);
  sheets.push_back({"Endringer", kAuditSheetColumns, {}});
  for (const auto& a : *trail) sheets[1].rows.push_back(audit_row(a));
  auto moves = MakeupMoves(open_database_or_exit(config)).of_person(options.person);
  if (!moves) fail(moves.error().message);
  sheets.push_back({"Flyttinger", kMoveSheetColumns, {}});
  for (const auto& m : *moves) {
    if (options.plan.empty() || m.plan_id == options.plan) sheets[2].rows.push_back(move_row(m));
  }
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
  const std::string text = report_csv(sheets);
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
