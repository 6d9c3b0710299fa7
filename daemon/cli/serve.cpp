// plancal serve --config FILE [--listen ADDR:PORT]: publishes the config's plans, then serves
// their ICS feeds over HTTP until SIGTERM/SIGINT; SIGHUP publishes again and rebuilds the feeds.
// It is the daemon's event loop (service/daemon_loop.h) without its background jobs (no sync,
// no reminders) and without following plan edits; start-up errors are reported as every
// command reports them.

#include <memory>
#include <string>
#include <utility>

#include "base/clock.h"
#include "cli/commands.h"
#include "cli/config_input.h"
#include "cli/plan_input.h"
#include "service/daemon_loop.h"
#include "service/feed_service.h"

namespace plancal::cli {

namespace {

struct ServeOptions {
  std::string config;
  std::string listen;  ///< overrides feeds.listen when set
};

void run_serve(const ServeOptions& options) {
  LoopSettings settings;  // no background jobs; plan edits are not followed
  settings.config_file = options.config;
  auto loop = EventLoop::open(std::move(settings));
  if (!loop) fail(loop.error().message);

  const SystemClock clock;
  Config config = load_config_or_exit(options.config);
  StateDatabase database = open_database_or_exit(config);
  StateDatabase request_database = open_database_or_exit(config);
  FeedService feeds(std::move(config), std::move(database), std::move(request_database), clock,
                    loop->waker());
  auto listen = listen_options(feeds.config(), options.listen);
  if (!listen) fail(listen.error().message);
  SystemdNotifier notifier = SystemdNotifier::from_environment();
  if (auto done = loop->run(feeds, *listen, notifier); !done) fail(done.error().message);
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
