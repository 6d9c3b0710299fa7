#include "service/daemon_loop.h"

#include <fmt/format.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "base/clock.h"
#include "os/background_worker.h"
#include "os/notify.h"
#include "os/plan_watcher.h"
#include "os/signals.h"
#include "os/unique_fd.h"
#include "service/feed_service.h"
#include "store/store.h"

namespace plancal {

namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

/// How often the feeds look for tokens created or revoked by another process.
constexpr milliseconds kTick{2000};
/// Quiet time after the last file event before publishing: one save is several events.
constexpr milliseconds kDebounce{300};
/// How often due reminders are looked for (they are due at whole minutes at the finest).
constexpr std::chrono::minutes kReminderInterval{1};
/// Asked of systemd before opening the database, whose migrations may take a while.
constexpr std::chrono::minutes kStartExtension{5};
/// A sync running longer than this (or the sync interval, if longer) counts as hung.
constexpr std::chrono::minutes kMinimumStallLimit{10};

void write_eventfd(int fd) {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = write(fd, &one, sizeof one);
}

void drain_eventfd(int fd) {
  std::uint64_t count = 0;
  [[maybe_unused]] const auto got = read(fd, &count, sizeof count);
}

/// Loads the config and logs every diagnostic (FILE:LINE:COL) at its severity.
std::optional<Config> load_config_logged(const std::string& file) {
  ConfigLoad load = load_config(file);
  for (const auto& diagnostic : load.diagnostics.all()) {
    if (diagnostic.severity == Severity::Error) {
      spdlog::error("{}", format_diagnostic(diagnostic));
    } else {
      spdlog::warn("{}", format_diagnostic(diagnostic));
    }
  }
  return std::move(load.config);
}

std::string publish_status(const PublishReport& report) {
  std::size_t failed = 0;
  for (const auto& plan : report.plans) failed += plan.published ? 0 : 1;
  std::string status = fmt::format("{} plan(s) published", report.plans.size() - failed);
  if (failed > 0) status += fmt::format(", {} with errors (previous version kept)", failed);
  return status;
}

int start_failure(SystemdNotifier& notifier, const std::string& message) {
  spdlog::critical("{}", message);
  (void)notifier.send("STATUS=" + one_line("cannot start: " + message));
  return 1;
}

/// The daemon's state between events of its loop.
class Daemon {
 public:
  Daemon(const DaemonOptions& options, const DaemonJobs& jobs, SystemdNotifier& notifier,
         SignalInbox& signals, PlanWatcher& watcher, int wake_fd, FeedService& feeds)
      : options_(options),
        notifier_(notifier),
        signals_(signals),
        watcher_(watcher),
        wake_fd_(wake_fd),
        feeds_(feeds) {
    const auto wake = [wake_fd] { write_eventfd(wake_fd); };
    if (jobs.sync)
      sync_worker_ = std::make_unique<BackgroundWorker<Config>>("sync", jobs.sync, wake);
    if (jobs.reminders) {
      reminder_worker_ =
          std::make_unique<BackgroundWorker<Config>>("reminders", jobs.reminders, wake);
    }
  }

  int run(const httpd::ServerOptions& listen) {
    publish();
    auto server = httpd::HttpServer::start(listen, feeds_.handler());
    if (!server) return start_failure(notifier_, server.error().message);
    server_ = std::move(*server);
    fmt::print("listening on {}\n", listen_url(*server_));
    std::fflush(stdout);
    rewatch();
    request_sync();
    request_reminders();
    const auto period = notifier_.watchdog_period();
    if (period) next_ping_ = SteadyClock::now();
    notifier_.ready(status_line());
    spdlog::info("ready: serving on {}; {}", listen_url(*server_), status_line());
    while (!stop_requested_) step();
    return stop();
  }

 private:
  void step() {
    const auto now = SteadyClock::now();
    const auto timeout = std::chrono::duration_cast<milliseconds>(next_deadline() - now);
    std::array<pollfd, 3> fds{pollfd{signals_.fd(), POLLIN, 0}, pollfd{watcher_.fd(), POLLIN, 0},
                              pollfd{wake_fd_, POLLIN, 0}};
    const int ready =
        poll(fds.data(), fds.size(),
             static_cast<int>(std::max<long long>(0, static_cast<long long>(timeout.count()))));
    bool reload_wanted = false;
    if (ready > 0 && (fds[0].revents & POLLIN) != 0) reload_wanted = read_signals();
    if (ready > 0 && (fds[1].revents & POLLIN) != 0 && watcher_.drain()) {
      change_due_ = SteadyClock::now() + kDebounce;
    }
    if (ready > 0 && (fds[2].revents & POLLIN) != 0) {
      drain_eventfd(wake_fd_);
      collect_summaries();
      feeds_.tick();
    }
    if (stop_requested_) return;
    if (reload_wanted) reload(true);
    run_due_timers();
  }

  /// True when a SIGHUP arrived; SIGTERM/SIGINT set stop_requested_.
  bool read_signals() {
    bool reload_wanted = false;
    while (const auto signal_number = signals_.next()) {
      if (*signal_number == SIGHUP) {
        reload_wanted = true;
      } else {
        spdlog::info("{}: stopping", *signal_number == SIGINT ? "SIGINT" : "SIGTERM");
        stop_requested_ = true;
      }
    }
    return reload_wanted;
  }

  void run_due_timers() {
    const auto now = SteadyClock::now();
    if (change_due_ && now >= *change_due_) {
      change_due_.reset();
      reload(false);
    }
    if (now >= next_tick_) {
      feeds_.tick();
      next_tick_ = now + kTick;
    }
    if (next_sync_ && now >= *next_sync_) request_sync();
    if (next_reminders_ && now >= *next_reminders_) request_reminders();
    if (next_ping_ && now >= *next_ping_) {
      feed_watchdog();
      next_ping_ = now + *notifier_.watchdog_period();
    }
  }

  [[nodiscard]] SteadyClock::time_point next_deadline() const {
    auto next = next_tick_;
    for (const auto& deadline : {change_due_, next_sync_, next_reminders_, next_ping_}) {
      if (deadline) next = std::min(next, *deadline);
    }
    return next;
  }

  void publish() { publish_status_ = publish_status(feeds_.publish_and_rebuild()); }

  /// Re-reads the config (kept when invalid), publishes and syncs. From SIGHUP, systemd is
  /// told RELOADING=1 before and READY=1 after.
  void reload(bool from_signal) {
    if (from_signal) {
      notifier_.reloading();
      spdlog::info("SIGHUP: reloading the config and the plans");
    } else {
      spdlog::info("plan files changed: publishing");
    }
    if (auto next = load_config_logged(options_.config_file)) {
      feeds_.adopt_config(std::move(*next));
    } else {
      spdlog::error("{}: config has errors; the previous config stays in force",
                    options_.config_file);
    }
    publish();
    rewatch();
    request_sync();
    request_reminders();
    if (from_signal) {
      notifier_.ready(status_line());
    } else {
      notifier_.status(status_line());
    }
  }

  void rewatch() {
    std::vector<std::string> files = feeds_.config().plan_files;
    files.push_back(options_.config_file);
    std::vector<std::string> dirs;
    if (!feeds_.config().plan_dir.empty()) dirs.push_back(feeds_.config().plan_dir);
    watcher_.watch(files, dirs);
  }

  void request_sync() {
    const auto& config = feeds_.config();
    next_sync_ = SteadyClock::now() + std::chrono::minutes(config.daemon.sync_interval_minutes);
    if (sync_worker_ && !config.targets.empty()) sync_worker_->request(config);
  }

  void request_reminders() {
    const auto& config = feeds_.config();
    next_reminders_ = SteadyClock::now() + kReminderInterval;
    if (reminder_worker_ && config.smtp) reminder_worker_->request(config);
  }

  void collect_summaries() {
    bool changed = false;
    if (auto summary = sync_worker_ ? sync_worker_->take_summary() : std::nullopt) {
      sync_status_ = std::move(*summary);
      changed = true;
    }
    if (auto summary = reminder_worker_ ? reminder_worker_->take_summary() : std::nullopt) {
      reminder_status_ = std::move(*summary);
      changed = true;
    }
    if (changed) notifier_.status(status_line());
  }

  /// WATCHDOG=1 only while the workers make progress: a hung sync stops the pings.
  void feed_watchdog() {
    const auto interval = std::chrono::minutes(feeds_.config().daemon.sync_interval_minutes);
    const auto stall_limit = std::max<SteadyClock::duration>(kMinimumStallLimit, interval);
    for (const auto* worker : {sync_worker_.get(), reminder_worker_.get()}) {
      if (worker == nullptr || worker->making_progress(stall_limit)) continue;
      if (!watchdog_withheld_) {
        spdlog::error("{} makes no progress; not feeding the watchdog", worker->name());
      }
      watchdog_withheld_ = true;
      return;
    }
    watchdog_withheld_ = false;
    notifier_.watchdog_ping();
  }

  [[nodiscard]] std::string status_line() const {
    std::string line = publish_status_;
    for (const auto* part : {&sync_status_, &reminder_status_}) {
      if (!part->empty()) line += "; " + *part;
    }
    return line;
  }

  int stop() {
    notifier_.stopping();
    server_.reset();  // waits for the requests in flight
    feeds_.shutdown();
    const auto timeout = std::chrono::seconds(feeds_.config().daemon.stop_timeout_seconds);
    const auto deadline = SteadyClock::now() + timeout;
    for (auto* worker : {sync_worker_.get(), reminder_worker_.get()}) {
      if (worker != nullptr && !worker->finish(deadline)) {
        spdlog::warn(
            "{} was still running after {} s; exiting anyway (the database is consistent at "
            "every step; the next start resumes)",
            worker->name(), timeout.count());
        spdlog::default_logger()->flush();
        std::fflush(stdout);
        std::_Exit(0);
      }
    }
    spdlog::info("stopped");
    return 0;
  }

  const DaemonOptions& options_;
  SystemdNotifier& notifier_;
  SignalInbox& signals_;
  PlanWatcher& watcher_;
  int wake_fd_;
  FeedService& feeds_;
  std::unique_ptr<BackgroundWorker<Config>> sync_worker_;
  std::unique_ptr<BackgroundWorker<Config>> reminder_worker_;
  std::unique_ptr<httpd::HttpServer> server_;
  SteadyClock::time_point next_tick_ = SteadyClock::now() + kTick;
  std::optional<SteadyClock::time_point> change_due_, next_sync_, next_reminders_, next_ping_;
  std::string publish_status_, sync_status_, reminder_status_;
  bool stop_requested_ = false;
  bool watchdog_withheld_ = false;
};

}  // namespace

int run_daemon(const DaemonOptions& options, const DaemonJobs& jobs) {
  SystemdNotifier notifier = SystemdNotifier::from_environment();
  auto signals = SignalInbox::open();
  if (!signals) return start_failure(notifier, signals.error().message);
  auto watcher = PlanWatcher::open();
  if (!watcher) return start_failure(notifier, watcher.error().message);
  const UniqueFd wake(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake.valid()) return start_failure(notifier, "cannot create an eventfd");

  auto config = load_config_logged(options.config_file);
  if (!config) return start_failure(notifier, options.config_file + ": config has errors");
  auto listen = listen_options(*config, options.listen);
  if (!listen) return start_failure(notifier, listen.error().message);
  notifier.extend_timeout(kStartExtension);
  auto store = Store::open(config->database);
  if (!store) return start_failure(notifier, store.error().message);
  auto request_store = Store::open(config->database);
  if (!request_store) return start_failure(notifier, request_store.error().message);

  const SystemClock system_clock;
  const FixedClock fixed_clock(options.now.value_or(0));
  const Clock& clock = options.now ? static_cast<const Clock&>(fixed_clock) : system_clock;
  const int wake_fd = wake.get();
  FeedService feeds(std::move(*config), std::move(*store), std::move(*request_store), clock,
                    [wake_fd] { write_eventfd(wake_fd); });
  Daemon daemon(options, jobs, notifier, *signals, *watcher, wake_fd, feeds);
  return daemon.run(*listen);
}

}  // namespace plancal
