#pragma once
/// The subcommands of `plancal attendance`, one file each (attendance_mark.cpp, ...);
/// attendance.cpp adds the parent command and them.

#include <CLI/CLI.hpp>

namespace plancal::cli {

void add_attendance_mark_command(CLI::App& attendance);
void add_attendance_import_command(CLI::App& attendance);
void add_attendance_export_command(CLI::App& attendance);
void add_attendance_hours_command(CLI::App& attendance);
void add_attendance_makeup_command(CLI::App& attendance);

}  // namespace plancal::cli
