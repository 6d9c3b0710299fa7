// plancal daemon --config FILE [--log-level LEVEL] [--listen ADDR:PORT] [--now UNIX]: the
// long-running service (see service/daemon_loop.h); what systemd/plancal.service runs.

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "base/logging.h"
#include "cli/commands.h"
#include "service/daemon_jobs.h"
#include "service/daemon_loop.h"

namespace plancal::cli {

namespace {

struct DaemonCommandOptions {
  DaemonOptions daemon;
  std::string log_level = "info";
};

void run_daemon_command(const DaemonCommandOptions& options) {
  const auto level = parse_log_level(options.log_level);
  if (!level) {
    fmt::print(stderr, "--log-level {}: use trace, debug, info, warning, error or critical\n",
               options.log_level);
    throw CLI::RuntimeError(2);
  }
  setup_logging(*level);
  const int status = run_daemon(options.daemon, daemon_jobs());
  if (status != 0) throw CLI::RuntimeError(status);
}

}  // namespace

void add_daemon_command(CLI::App& app) {
  auto options = std::make_shared<DaemonCommandOptions>();
  auto* command = app.add_subcommand(
      "daemon",
      "Run as a service: publish, serve feeds, sync targets; follow plan edits (systemd notify)");
  command->add_option("--config", options->daemon.config_file, "Daemon config file (YAML)")
      ->required();
  command->add_option("--log-level", options->log_level,
                      "trace, debug, info (default), warning, error or critical");
  command->add_option("--listen", options->daemon.listen,
                      "ADDRESS:PORT to listen on (default feeds.listen; port 0 = any free port)");
  command->add_option("--now", options->daemon.now,
                      "Publish as if it were this Unix time (DTSTAMP, LAST-MODIFIED; for tests)");
  command->callback([options] { run_daemon_command(*options); });
}

}  // namespace plancal::cli
