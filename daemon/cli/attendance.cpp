// plancal attendance mark|import|export|hours|makeup --config FILE: attendance registers kept in
// the state database, and each person's hours against their programme's `attendance:` rule.
// Attendance is personal data: it is printed to the user who asks, never logged.

#include "cli/attendance_commands.h"
#include "cli/commands.h"

namespace plancal::cli {

void add_attendance_command(CLI::App& app) {
  auto* attendance = app.add_subcommand(
      "attendance", "Register attendance, import and export registers, count hours");
  attendance->require_subcommand(1);
  add_attendance_mark_command(*attendance);
  add_attendance_import_command(*attendance);
  add_attendance_export_command(*attendance);
  add_attendance_hours_command(*attendance);
  add_attendance_makeup_command(*attendance);
}

}  // namespace plancal::cli
