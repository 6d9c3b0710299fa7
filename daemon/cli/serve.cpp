// plancal serve --config FILE [--listen ADDR:PORT]: publishes the config's plans, then serves
// their ICS feeds over HTTP until SIGTERM/SIGINT; SIGHUP publishes again and rebuilds the feeds.

#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "base/clock.h"
#include "cli/commands.h"
#include "cli/config_input.h"
#include "cli/plan_input.h"
#include "httpd/server.h"
#include "os/signals.h"
#include "os/unique_fd.h"
#include "service/feed_service.h"

namespace plancal::cli {

namespace {

struct ServeOptions {
  std::string config;
  std::string listen;  ///< overrides feeds.listen when set
};

/// How often the loop looks for tokens created or revoked by another process, and writes
/// token access times.
constexpr int kTickMilliseconds = 2000;

void notify(int fd) {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = write(fd, &one, sizeof one);
}

/// SIGHUP: the config may list other plans now (the listen address stays as it is).
void reload(FeedService& feeds, const std::string& config_file) {
  ConfigLoad load = load_config(config_file);
  if (load.config) {
    feeds.adopt_config(std::move(*load.config));
  } else {
    spdlog::warn("{}: config has errors; publishing with the previous one", config_file);
  }
  (void)feeds.publish_and_rebuild();
}

/// What woke the loop up.
enum class Event { Tick, Reload, Stop, Wake };

Event wait_for_event(SignalInbox& signals, int wake_fd) {
  std::array<pollfd, 2> fds{pollfd{signals.fd(), POLLIN, 0}, pollfd{wake_fd, POLLIN, 0}};
  if (poll(fds.data(), fds.size(), kTickMilliseconds) <= 0) return Event::Tick;
  if ((fds[0].revents & POLLIN) != 0) {
    const auto signal_number = signals.next();
    if (!signal_number) return Event::Tick;
    return *signal_number == SIGHUP ? Event::Reload : Event::Stop;
  }
  std::uint64_t count = 0;
  [[maybe_unused]] const auto got = read(wake_fd, &count, sizeof count);
  return Event::Wake;
}

void run_serve(const ServeOptions& options) {
  auto signals = SignalInbox::open();
  if (!signals) fail(signals.error().message);
  const UniqueFd wake_fd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake_fd.valid()) fail("cannot create an eventfd");

  const SystemClock clock;
  Config config = load_config_or_exit(options.config);
  Store store = open_store_or_exit(config);
  Store request_store = open_store_or_exit(config);
  const int wake = wake_fd.get();
  FeedService feeds(std::move(config), std::move(store), std::move(request_store), clock,
                    [wake] { notify(wake); });
  auto listen = listen_options(feeds.config(), options.listen);
  if (!listen) fail(listen.error().message);
  (void)feeds.publish_and_rebuild();
  auto server = httpd::HttpServer::start(*listen, feeds.handler());
  if (!server) fail(server.error().message);
  fmt::print("listening on {}\n", listen_url(**server));
  std::fflush(stdout);

  for (;;) {
    const Event event = wait_for_event(*signals, wake_fd.get());
    if (event == Event::Stop) break;
    if (event == Event::Reload) {
      spdlog::info("SIGHUP: publishing and rebuilding feeds");
      reload(feeds, options.config);
    } else {
      feeds.tick();
    }
  }
  spdlog::info("stopping");
  server->reset();  // waits for requests in flight
  feeds.shutdown();
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
