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
#include <string>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "os/background_worker.h"
#include "os/memory.h"
#include "store/database.h"

namespace plancal {

namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

/// How often the feeds look for a change another process made to the database (a publish, a
/// token created or revoked: FeedService::tick, one PRAGMA when nothing changed) and write
/// token access times. Such a change reaches subscribers within this plus one rebuild.
constexpr milliseconds kTick{500};
/// How long after a publish the freed memory goes back to the system: a change that follows
/// at once (a script publishing in a row, an editor saving twice) is then not kept waiting
/// behind malloc_trim, whose madvise calls flush every CPU's TLB, and a burst of changes
/// gives memory back once, after the last.
constexpr milliseconds kReleaseDelay{1000};
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

/// One background job of the daemon: its worker, when it is due again, and the summary of
/// its last run (for STATUS=).
class ScheduledJob {
 public:
  using Interval = std::chrono::minutes (*)(const Config&);
  using Applies = bool (*)(const Config&);

  ScheduledJob(std::string name, std::function<std::string(const Config&)> job, Interval interval,
               Applies applies, std::function<void()> wake)
      : interval_(interval), applies_(applies), worker_(std::move(name), std::move(job), wake) {}

  /// Runs now (when the config asks for it at all) and again after the interval.
  void request(const Config& config) {
    next_ = SteadyClock::now() + interval_(config);
    if (applies_(config)) worker_.request(config);
  }
  [[nodiscard]] SteadyClock::time_point next() const { return next_; }
  /// True when a run finished since the last call; its summary is then summary().
  bool take_summary() {
    auto summary = worker_.take_summary();
    if (summary) summary_ = std::move(*summary);
    return summary.has_value();
  }
  [[nodiscard]] const std::string& summary() const { return summary_; }
  [[nodiscard]] BackgroundWorker<Config>& worker() { return worker_; }

 private:
  Interval interval_;
  Applies applies_;
  BackgroundWorker<Config> worker_;
  SteadyClock::time_point next_ = SteadyClock::time_point::max();
  std::string summary_;
};

/// The daemon's jobs, in STATUS= order; none for `plancal serve`.
std::vector<std::unique_ptr<ScheduledJob>> schedule(const DaemonJobs& jobs,
                                                    const std::function<void()>& wake) {
  std::vector<std::unique_ptr<ScheduledJob>> scheduled;
  if (jobs.sync) {
    scheduled.push_back(std::make_unique<ScheduledJob>(
        "sync", jobs.sync,
        [](const Config& c) { return std::chrono::minutes(c.daemon.sync_interval_minutes); },
        [](const Config& c) { return !c.targets.empty(); }, wake));
  }
  if (jobs.reminders) {
    scheduled.push_back(std::make_unique<ScheduledJob>(
        "reminders", jobs.reminders, [](const Config&) { return kReminderInterval; },
        [](const Config& c) { return c.smtp.has_value(); }, wake));
  }
  return scheduled;
}

/// The loop's state between events.
class Loop {
 public:
  Loop(const LoopSettings& settings, SystemdNotifier& notifier, SignalInbox& signals,
       PlanWatcher* watcher, int wake_fd, FeedService& feeds)
      : settings_(settings),
        notifier_(notifier),
        signals_(signals),
        watcher_(watcher),
        wake_fd_(wake_fd),
        feeds_(feeds),
        jobs_(schedule(settings.jobs, [wake_fd] { write_eventfd(wake_fd); })) {}

  Status run(const httpd::ServerOptions& listen) {
    publish();
    auto server = httpd::HttpServer::start(listen, feeds_.handler());
    if (!server) return server.error();
    server_ = std::move(*server);
    fmt::print("listening on {}\n", listen_url(*server_));
    std::fflush(stdout);
    rewatch();
    request_jobs();
    const auto period = notifier_.watchdog_period();
    if (period) next_ping_ = SteadyClock::now();
    notifier_.ready(status_line());
    spdlog::info("ready: serving on {}; {}", listen_url(*server_), status_line());
    while (!stop_requested_) step();
    stop();
    return Ok{};
  }

 private:
  void step() {
    const auto now = SteadyClock::now();
    const auto timeout = std::chrono::duration_cast<milliseconds>(next_deadline() - now);
    std::array<pollfd, 3> fds{pollfd{signals_.fd(), POLLIN, 0},
                              pollfd{watcher_ != nullptr ? watcher_->fd() : -1, POLLIN, 0},
                              pollfd{wake_fd_, POLLIN, 0}};
    const int ready =
        poll(fds.data(), fds.size(),
             static_cast<int>(std::max<long long>(0, static_cast<long long>(timeout.count()))));
    bool reload_wanted = false;
    if (ready > 0 && (fds[0].revents & POLLIN) != 0) reload_wanted = read_signals();
    if (ready > 0 && (fds[1].revents & POLLIN) != 0 && watcher_->drain()) {
      change_due_ = SteadyClock::now() + kDebounce;
    }
    if (ready > 0 && (fds[2].revents & POLLIN) != 0) {
      drain_eventfd(wake_fd_);
      collect_summaries();
      feeds_.tick();
      if (feeds_.take_publish_request()) {
        spdlog::info("a make-up move was made on the attendance pages: publishing");
        publish();
        request_jobs();
      }
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
    if (release_due_ && now >= *release_due_) {
      release_due_.reset();
      release_free_memory();
    }
    if (now >= next_tick_) {
      feeds_.tick();
      next_tick_ = now + kTick;
    }
    for (auto& job : jobs_) {
      if (now >= job->next()) job->request(feeds_.config());
    }
    if (next_ping_ && now >= *next_ping_) {
      feed_watchdog();
      next_ping_ = now + *notifier_.watchdog_period();
    }
  }

  [[nodiscard]] SteadyClock::time_point next_deadline() const {
    auto next = next_tick_;
    for (const auto& deadline : {change_due_, next_ping_, release_due_}) {
      if (deadline) next = std::min(next, *deadline);
    }
    for (const auto& job : jobs_) next = std::min(next, job->next());
    return next;
  }

  /// The plans are loaded, expanded and rendered, then only the feeds are kept: what the rest
  /// took goes back to the system (os/memory.h) a moment later (kReleaseDelay).
  void publish() {
    publish_status_ = publish_status(feeds_.publish_and_rebuild());
    release_due_ = SteadyClock::now() + kReleaseDelay;
  }

  /// Re-reads the config (kept when invalid), publishes and syncs. From SIGHUP, systemd is
  /// told RELOADING=1 before and READY=1 after.
  void reload(bool from_signal) {
    if (from_signal) {
      notifier_.reloading();
      spdlog::info("SIGHUP: reloading the config and the plans");
    } else {
      spdlog::info("plan files changed: publishing");
    }
    if (auto next = load_config_logged(settings_.config_file)) {
      feeds_.adopt_config(std::move(*next));
    } else {
      spdlog::error("{}: config has errors; the previous config stays in force",
                    settings_.config_file);
    }
    publish();
    rewatch();
    request_jobs();
    if (from_signal) {
      notifier_.ready(status_line());
    } else {
      notifier_.status(status_line());
    }
  }

  void rewatch() {
    if (watcher_ == nullptr) return;
    std::vector<std::string> files = feeds_.config().plan_files;
    files.push_back(settings_.config_file);
    std::vector<std::string> dirs;
    if (!feeds_.config().plan_dir.empty()) dirs.push_back(feeds_.config().plan_dir);
    watcher_->watch(files, dirs);
  }

  /// After a publish: every job runs now (sync the targets, send what became due).
  void request_jobs() {
    for (auto& job : jobs_) job->request(feeds_.config());
  }

  void collect_summaries() {
    bool changed = false;
    for (auto& job : jobs_) changed = job->take_summary() || changed;
    if (!changed) return;
    // A job's run (a sync's HTTP client and XML, the reminders' mail) is over: what its
    // thread's arena took goes back to the system before the daemon rests.
    release_free_memory();
    notifier_.status(status_line());
  }

  /// WATCHDOG=1 only while the workers make progress: a hung sync stops the pings.
  void feed_watchdog() {
    const auto interval = std::chrono::minutes(feeds_.config().daemon.sync_interval_minutes);
    const auto stall_limit = std::max<SteadyClock::duration>(kMinimumStallLimit, interval);
    for (auto& job : jobs_) {
      if (job->worker().making_progress(stall_limit)) continue;
      if (!watchdog_withheld_) {
        spdlog::error("{} makes no progress; not feeding the watchdog", job->worker().name());
      }
      watchdog_withheld_ = true;
      return;
    }
    watchdog_withheld_ = false;
    notifier_.watchdog_ping();
  }

  [[nodiscard]] std::string status_line() const {
    std::string line = publish_status_;
    for (const auto& job : jobs_) {
      if (!job->summary().empty()) line += "; " + job->summary();
    }
    return line;
  }

  void stop() {
    notifier_.stopping();
    server_.reset();  // waits for the requests in flight
    feeds_.shutdown();
    const auto timeout = std::chrono::seconds(feeds_.config().daemon.stop_timeout_seconds);
    const auto deadline = SteadyClock::now() + timeout;
    for (auto& job : jobs_) {
      if (!job->worker().finish(deadline)) {
        spdlog::warn(
            "{} was still running after {} s; exiting anyway (the database is consistent at "
            "every step; the next start resumes)",
            job->worker().name(), timeout.count());
        spdlog::default_logger()->flush();
        std::fflush(stdout);
        std::_Exit(0);
      }
    }
    spdlog::info("stopped");
  }

  const LoopSettings& settings_;
  SystemdNotifier& notifier_;
  SignalInbox& signals_;
  PlanWatcher* watcher_;  ///< null when plan edits are not followed
  int wake_fd_;
  FeedService& feeds_;
  std::vector<std::unique_ptr<ScheduledJob>> jobs_;
  std::unique_ptr<httpd::HttpServer> server_;
  SteadyClock::time_point next_tick_ = SteadyClock::now() + kTick;
  std::optional<SteadyClock::time_point> change_due_, next_ping_;
  std::optional<SteadyClock::time_point> release_due_;  ///< give freed memory back then
  std::string publish_status_;
  bool stop_requested_ = false;
  bool watchdog_withheld_ = false;
};

}  // namespace

EventLoop::EventLoop(LoopSettings settings, SignalInbox signals, std::optional<PlanWatcher> watcher,
                     UniqueFd wake)
    : settings_(std::move(settings)),
      signals_(std::move(signals)),
      watcher_(std::move(watcher)),
      wake_(std::move(wake)) {}

Result<EventLoop> EventLoop::open(LoopSettings settings) {
  auto signals = SignalInbox::open();
  if (!signals) return signals.error();
  std::optional<PlanWatcher> watcher;
  if (settings.follow_plan_edits) {
    auto opened = PlanWatcher::open();
    if (!opened) return opened.error();
    watcher.emplace(std::move(*opened));
  }
  UniqueFd wake(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake.valid()) return Error{"cannot create an eventfd"};
  return EventLoop(std::move(settings), std::move(*signals), std::move(watcher), std::move(wake));
}

std::function<void()> EventLoop::waker() const {
  const int fd = wake_.get();
  return [fd] { write_eventfd(fd); };
}

Status EventLoop::run(FeedService& feeds, const httpd::ServerOptions& listen,
                      SystemdNotifier& notifier) {
  PlanWatcher* watcher = watcher_ ? &*watcher_ : nullptr;
  Loop loop(settings_, notifier, signals_, watcher, wake_.get(), feeds);
  return loop.run(listen);
}

int run_daemon(const DaemonOptions& options, const DaemonJobs& jobs) {
  SystemdNotifier notifier = SystemdNotifier::from_environment();
  auto loop = EventLoop::open(
      LoopSettings{.config_file = options.config_file, .follow_plan_edits = true, .jobs = jobs});
  if (!loop) return start_failure(notifier, loop.error().message);

  auto config = load_config_logged(options.config_file);
  if (!config) return start_failure(notifier, options.config_file + ": config has errors");
  auto listen = listen_options(*config, options.listen);
  if (!listen) return start_failure(notifier, listen.error().message);
  notifier.extend_timeout(kStartExtension);
  auto database = StateDatabase::open(config->database);
  if (!database) return start_failure(notifier, database.error().message);
  auto request_database = StateDatabase::open(config->database);
  if (!request_database) return start_failure(notifier, request_database.error().message);

  const SystemClock system_clock;
  const FixedClock fixed_clock(options.now.value_or(0));
  const Clock& clock = options.now ? static_cast<const Clock&>(fixed_clock) : system_clock;
  FeedService feeds(std::move(*config), std::move(*database), std::move(*request_database), clock,
                    loop->waker());
  if (auto done = loop->run(feeds, *listen, notifier); !done) {
    return start_failure(notifier, done.error().message);
  }
  return 0;
}

}  // namespace plancal
