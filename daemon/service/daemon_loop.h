#pragma once
/// The one event loop of plancal's long-running commands: `plancal daemon` (the service) and
/// `plancal serve` (a plain feed server) are this loop, given different work. Both publish
/// the plans, serve their feeds, and then react to what happens:
///
/// - SIGHUP -> re-read the config (an invalid one is logged and the previous one stays),
///   publish, rebuild the feeds; framed by RELOADING=1 / READY=1 for systemd;
/// - another process changes the database (`plancal publish`, `plancal feed token create` or
///   `revoke`) -> the feeds are rebuilt within a second (FeedService::tick);
/// - SIGTERM/SIGINT -> STOPPING=1, the HTTP server finishes requests in flight, exit 0.
///
/// The daemon adds (LoopSettings):
/// - follow_plan_edits: a config, plan or roster file changes (inotify, debounced) -> the
///   same as SIGHUP; an invalid plan is logged with FILE:LINE and its last valid version
///   stays in force;
/// - jobs.sync: after each publish and every `daemon.sync_interval_minutes` -> sync every
///   target again (repairs edits made remotely);
/// - jobs.reminders: every minute, and after each publish -> send the reminders that are due;
///   a job in flight at SIGTERM gets `daemon.stop_timeout_seconds`.
///
/// Slow work (the jobs) runs on BackgroundWorkers; the watchdog is fed from this loop only
/// while the workers make progress, so systemd restarts a daemon that hangs anywhere.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "base/result.h"
#include "config/config.h"
#include "httpd/server.h"
#include "os/notify.h"
#include "os/plan_watcher.h"
#include "os/signals.h"
#include "os/unique_fd.h"
#include "service/feed_service.h"

namespace plancal {

struct DaemonOptions {
  std::string config_file;
  std::string listen;               ///< overrides feeds.listen when set ("ADDR:PORT")
  std::optional<std::int64_t> now;  ///< publish as if it were this Unix time (tests)
};

/// The work the daemon hands to its background workers, each returning a one-line summary
/// for STATUS=. Empty when the capability is not built in, and for `plancal serve`.
struct DaemonJobs {
  std::function<std::string(const Config&)> sync;       ///< every push target
  std::function<std::string(const Config&)> reminders;  ///< due reminder emails
};

/// What the loop does besides serving: everything for the daemon, nothing for serve.
struct LoopSettings {
  std::string config_file;         ///< re-read on SIGHUP (and on edits, when followed)
  bool follow_plan_edits = false;  ///< watch the config and plan folders (inotify)
  DaemonJobs jobs;
};

class EventLoop {
 public:
  /// Takes SIGHUP/SIGTERM/SIGINT for the loop (call before any thread starts), makes the
  /// eventfd that wakes it and, to follow plan edits, the inotify watch. An error is a
  /// start-up failure.
  [[nodiscard]] static Result<EventLoop> open(LoopSettings settings);

  /// Wakes the loop from another thread (a server thread wants a rebuild, a job finished):
  /// writes the eventfd, which is all it does.
  [[nodiscard]] std::function<void()> waker() const;

  /// Publishes, starts the HTTP server on `listen` and prints "listening on
  /// http://ADDR:PORT" on stdout (for scripts and tests); then handles events until
  /// SIGTERM/SIGINT and stops cleanly. An error only when the server cannot start (address
  /// in use, ...), for the caller to report its own way.
  [[nodiscard]] Status run(FeedService& feeds, const httpd::ServerOptions& listen,
                           SystemdNotifier& notifier);

 private:
  EventLoop(LoopSettings settings, SignalInbox signals, std::optional<PlanWatcher> watcher,
            UniqueFd wake);
  LoopSettings settings_;
  SignalInbox signals_;
  std::optional<PlanWatcher> watcher_;
  UniqueFd wake_;
};

/// `plancal daemon`: the loop with everything. Runs until SIGTERM/SIGINT and returns the exit
/// status: 0 after a clean stop, 1 when it cannot start (invalid config, database refused,
/// address in use), with the reason logged.
int run_daemon(const DaemonOptions& options, const DaemonJobs& jobs);

}  // namespace plancal
