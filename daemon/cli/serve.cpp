// plancal serve --config FILE [--listen ADDR:PORT]: publishes the config's plans, then serves
// their ICS feeds over HTTP until SIGTERM/SIGINT; SIGHUP publishes again and rebuilds the feeds.

#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "base/clock.h"
#include "cli/commands.h"
#include "cli/config_input.h"
#include "cli/plan_input.h"
#include "feed/feed_runtime.h"
#include "feed/server.h"
#include "plan/loader.h"
#include "service/publish.h"

namespace plancal::cli {

namespace {

struct ServeOptions {
  std::string config;
  std::string listen;  ///< overrides feeds.listen when set
};

/// How often the loop looks for tokens created or revoked by another process, and writes
/// token access times.
constexpr int kTickMilliseconds = 2000;

/// A file descriptor closed on every path.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
};

/// Blocks the daemon's signals in every thread (the server's threads inherit the mask) and
/// delivers them through a signalfd to the main loop, so no work happens in a handler.
int block_signals_into_fd() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  if (pthread_sigmask(SIG_BLOCK, &signals, nullptr) != 0) fail("cannot block signals");
  std::signal(SIGPIPE, SIG_IGN);
  const int fd = signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd < 0) fail("cannot create a signalfd");
  return fd;
}

/// The plans the feeds are built from, by id. A plan that fails to load keeps its previous
/// version, as publishing keeps its previous state.
class PlanSet {
 public:
  void reload(const Config& config) {
    for (const auto& file : config.plan_files) {
      PlanLoad load = load_plan_file(file);
      if (!load.plan) {
        spdlog::warn("{}: not loaded; feeds keep its previous version", file);
        continue;
      }
      plans_.insert_or_assign(load.plan->id, std::move(*load.plan));
    }
  }
  [[nodiscard]] std::vector<const Plan*> all() const {
    std::vector<const Plan*> plans;
    for (const auto& [id, plan] : plans_) plans.push_back(&plan);
    return plans;
  }

 private:
  std::map<std::string, Plan> plans_;
};

feed::CatalogSettings catalog_settings(const FeedConfig& feeds) {
  feed::CatalogSettings settings;
  settings.refresh_minutes = feeds.refresh_minutes;
  if (feeds.keep_cancelled_days > 0)
    settings.selection.keep_cancelled_days = feeds.keep_cancelled_days;
  return settings;
}

feed::ServerOptions server_options(const Config& config, const std::string& listen_override) {
  const std::string listen = listen_override.empty() ? config.feeds.listen : listen_override;
  auto options = feed::parse_listen_address(listen);
  if (!options) fail(options.error().message);
  return *options;
}

/// The daemon's state between events of the loop.
class Daemon {
 public:
  Daemon(const ServeOptions& options, int wake_fd)
      : options_(options),
        config_(load_config_or_exit(options.config)),
        store_(open_store_or_exit(config_)),
        request_store_(open_store_or_exit(config_)),
        runtime_(store_, request_store_, catalog_settings(config_.feeds),
                 [wake_fd] { notify(wake_fd); }) {}

  /// Publishes the plans and rebuilds every feed that changed.
  void publish_and_rebuild() {
    const PublishReport report = publish_all(config_, store_, clock_);
    log_publish_report(report);
    plans_.reload(config_);
    rebuild();
  }

  void rebuild() { (void)runtime_.rebuild(plans_.all(), clock_.now_unix()); }

  /// Periodic work: token changes from other processes, expiring cancellations, access times.
  void tick() {
    runtime_.flush_access();
    const auto change = runtime_.next_change();
    if (runtime_.take_rebuild_request() || runtime_.tokens_changed() ||
        (change && clock_.now_unix() >= *change)) {
      rebuild();
    }
  }

  /// SIGHUP: the config may list other plans now (the listen address stays as it is).
  void reload() {
    ConfigLoad load = load_config(options_.config);
    if (load.config) {
      config_.plan_files = load.config->plan_files;
    } else {
      spdlog::warn("{}: config has errors; publishing with the previous one", options_.config);
    }
    publish_and_rebuild();
  }

  void shutdown() { runtime_.flush_access(); }

  [[nodiscard]] const Config& config() const { return config_; }
  [[nodiscard]] const feed::HttpHandler& handler() const { return runtime_.handler(); }

 private:
  static void notify(int fd) {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = write(fd, &one, sizeof one);
  }

  const ServeOptions& options_;
  SystemClock clock_;
  Config config_;
  Store store_;
  Store request_store_;
  PlanSet plans_;
  feed::FeedRuntime runtime_;
};

/// What woke the loop up.
enum class Event { Tick, Reload, Stop, Wake };

Event wait_for_event(int signal_fd, int wake_fd) {
  std::array<pollfd, 2> fds{pollfd{signal_fd, POLLIN, 0}, pollfd{wake_fd, POLLIN, 0}};
  if (poll(fds.data(), fds.size(), kTickMilliseconds) <= 0) return Event::Tick;
  if ((fds[0].revents & POLLIN) != 0) {
    signalfd_siginfo info{};
    if (read(signal_fd, &info, sizeof info) != static_cast<ssize_t>(sizeof info))
      return Event::Tick;
    return info.ssi_signo == SIGHUP ? Event::Reload : Event::Stop;
  }
  std::uint64_t count = 0;
  [[maybe_unused]] const auto got = read(wake_fd, &count, sizeof count);
  return Event::Wake;
}

/// Logs go to stderr: stdout carries only the "listening on" line that scripts wait for.
void log_to_stderr() {
  auto logger = spdlog::stderr_color_mt("plancal-serve");
  spdlog::set_default_logger(std::move(logger));
}

void run_serve(const ServeOptions& options) {
  log_to_stderr();
  const FileDescriptor signal_fd(block_signals_into_fd());
  const FileDescriptor wake_fd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (wake_fd.get() < 0) fail("cannot create an eventfd");

  Daemon daemon(options, wake_fd.get());
  const feed::ServerOptions listen = server_options(daemon.config(), options.listen);
  daemon.publish_and_rebuild();
  auto server = feed::HttpServer::start(listen, daemon.handler());
  if (!server) fail(server.error().message);
  const std::string host =
      listen.address.find(':') != std::string::npos ? "[" + listen.address + "]" : listen.address;
  fmt::print("listening on http://{}:{}\n", host, (*server)->port());
  std::fflush(stdout);

  for (;;) {
    const Event event = wait_for_event(signal_fd.get(), wake_fd.get());
    if (event == Event::Stop) break;
    if (event == Event::Reload) {
      spdlog::info("SIGHUP: publishing and rebuilding feeds");
      daemon.reload();
    } else {
      daemon.tick();
    }
  }
  spdlog::info("stopping");
  server->reset();  // waits for requests in flight
  daemon.shutdown();
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto options = std::make_shared<ServeOptions>();
  auto* command = app.add_subcommand(
      "serve", "Publish the plans and serve their ICS feeds over HTTP (SIGHUP: publish again)");
  command->add_option("--config", options->config, "Daemon config file (YAML)")->required();
  command->add_option("--listen", options->listen,
                      "ADDRESS:PORT to listen on (default feeds.listen; port 0 = any free port)");
  command->callback([options] { run_serve(*options); });
}

}  // namespace plancal::cli
