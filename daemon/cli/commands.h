#pragma once
/// One function per subcommand; each adds itself to the application and does its work in
/// a callback. A callback that fails prints its message to stderr and throws
/// CLI::RuntimeError(exit_code), so main() has one place that turns it into an exit status.
///
/// The command line is a contract with users and scripts: extend it, never change it.

#include <CLI/CLI.hpp>

namespace plancal::cli {

void add_validate_command(CLI::App& app);
void add_expand_command(CLI::App& app);
void add_export_command(CLI::App& app);
void add_rotate_command(CLI::App& app);
void add_publish_command(CLI::App& app);
void add_feed_command(CLI::App& app);
/// `feed invite`, added by add_feed_command to its `feed` subcommand.
void add_feed_invite_command(CLI::App& feed);
void add_serve_command(CLI::App& app);
void add_reminders_command(CLI::App& app);
void add_daemon_command(CLI::App& app);
void add_status_command(CLI::App& app);
void add_sync_command(CLI::App& app);
void add_attendance_command(CLI::App& app);
void add_registrations_command(CLI::App& app);

}  // namespace plancal::cli
