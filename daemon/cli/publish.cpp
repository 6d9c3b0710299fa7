// plancal publish --config FILE [--now UNIX]: applies the config's plans to the state store
// and prints what changed per plan.

#include <fmt/format.h>

#include <cstdio>
#include <optional>
#include <string>

#include "base/clock.h"
#include "cli/commands.h"
#include "cli/config_input.h"
#include "service/publish.h"

namespace plancal::cli {

namespace {

struct PublishOptions {
  std::string config;
  std::optional<std::int64_t> now;
};

void print_result(const PlanPublishResult& result) {
  for (const auto& diagnostic : result.diagnostics.all()) {
    fmt::print(stderr, "{}\n", format_diagnostic(diagnostic));
  }
  if (!result.published) {
    fmt::print(stderr, "{}: not published ({}); its previous state is kept\n", result.plan_file,
               result.error);
    return;
  }
  const auto& s = result.summary;
  fmt::print("{}: {} added, {} changed, {} removed, {} unchanged\n", result.plan_id, s.added,
             s.changed, s.removed, s.unchanged);
}

void run_publish(const PublishOptions& options) {
  const Config config = load_config_or_exit(options.config);
  PublishedEvents published(open_database_or_exit(config));
  const SystemClock system_clock;
  const FixedClock fixed_clock(options.now.value_or(0));
  const Clock& clock = options.now ? static_cast<const Clock&>(fixed_clock) : system_clock;

  const PublishReport report = publish_all(config, published, clock);
  for (const auto& result : report.plans) print_result(result);
  if (!report.all_published()) throw CLI::RuntimeError(1);
}

}  // namespace

void add_publish_command(CLI::App& app) {
  auto options = std::make_shared<PublishOptions>();
  auto* command = app.add_subcommand(
      "publish", "Apply the config's plans to the state store (in one transaction)");
  command->add_option("--config", options->config, "Daemon config file (YAML)")->required();
  command->add_option("--now", options->now,
                      "Publish as if it were this Unix time (DTSTAMP, LAST-MODIFIED)");
  command->callback([options] { run_publish(*options); });
}

}  // namespace plancal::cli
