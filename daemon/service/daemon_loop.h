#pragma once
/// `plancal daemon`: the long-running service. It publishes the plans, serves their feeds,
/// and then reacts to what happens:
///
/// - a config, plan or roster file changes (inotify, debounced) -> re-read, publish, rebuild
///   the feeds, sync; an invalid plan is logged with FILE:LINE and its last valid version
///   stays in force, an invalid config is logged and the previous one stays;
/// - SIGHUP -> the same, framed by RELOADING=1 / READY=1 for systemd;
/// - the sync interval passes -> sync every target again (repairs edits made remotely);
/// - every minute, and after each publish -> send the reminders that are due;
/// - SIGTERM/SIGINT -> STOPPING=1, the HTTP server finishes requests in flight, a sync in
///   flight gets `daemon.stop_timeout_seconds`, exit 0.
///
/// Slow work (sync) runs on a BackgroundWorker; the watchdog is fed from this loop only while
/// the workers make progress, so systemd restarts a daemon that hangs anywhere.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "config/config.h"

namespace plancal {

struct DaemonOptions {
  std::string config_file;
  std::string listen;               ///< overrides feeds.listen when set ("ADDR:PORT")
  std::optional<std::int64_t> now;  ///< publish as if it were this Unix time (tests)
};

/// The work the daemon hands to its background worker, each returning a one-line summary
/// for STATUS=. Empty when the capability is not built in.
struct DaemonJobs {
  std::function<std::string(const Config&)> sync;       ///< every push target
  std::function<std::string(const Config&)> reminders;  ///< due reminder emails
};

/// Runs until SIGTERM/SIGINT and returns the exit status: 0 after a clean stop, 1 when it
/// cannot start (invalid config, database refused, address in use), with the reason logged.
/// Prints "listening on http://ADDR:PORT" on stdout once serving, for scripts and tests.
int run_daemon(const DaemonOptions& options, const DaemonJobs& jobs);

}  // namespace plancal
