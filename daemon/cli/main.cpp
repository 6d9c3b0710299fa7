// plancal: plan files -> calendar events, feeds and calendar sync. See README.md.

#include <CLI/CLI.hpp>

#include <clocale>

#include "base/logging.h"
#include "cli/commands.h"

int main(int argc, char** argv) {
  std::setlocale(LC_ALL, "C.UTF-8");
  // Logs go to stderr (the journal when it is there): stdout carries what a command
  // produces — an .ics file, a JSON listing, a sync report — and nothing else.
  plancal::setup_logging(spdlog::level::info);
  CLI::App app{"plancal: turns yearly meeting plans into calendars that stay correct"};
  app.set_version_flag("--version", std::string("plancal ") + PLANCAL_VERSION);
  app.require_subcommand(1);

  plancal::cli::add_validate_command(app);
  plancal::cli::add_expand_command(app);
  plancal::cli::add_export_command(app);
  plancal::cli::add_rotate_command(app);
  plancal::cli::add_publish_command(app);
  plancal::cli::add_feed_command(app);
  plancal::cli::add_serve_command(app);
  plancal::cli::add_reminders_command(app);
  plancal::cli::add_daemon_command(app);
  plancal::cli::add_status_command(app);
  plancal::cli::add_sync_command(app);
  plancal::cli::add_attendance_command(app);
  plancal::cli::add_registrations_command(app);

  CLI11_PARSE(app, argc, argv);
  return 0;
}
