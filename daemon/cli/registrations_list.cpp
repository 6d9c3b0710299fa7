// plancal registrations list --config FILE [--plan ID]: every registration, oldest first,
// with its state, its rows and its history. Printed to the organiser who asks; never logged.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <memory>
#include <string>

#include "base/civil.h"
#include "cli/config_input.h"
#include "cli/plan_input.h"
#include "cli/registrations_commands.h"
#include "store/registrations.h"

namespace plancal::cli {

namespace {

struct ListOptions {
  std::string config;
  std::string plan;
};

void run_list(const ListOptions& options) {
  const Config config = load_config_or_exit(options.config);
  StateDatabase database = open_database_or_exit(config);
  RegistrationStore store(database);
  auto registrations = store.registrations(options.plan);
  if (!registrations) fail(config.database + ": " + registrations.error().message);
  if (registrations->empty()) {
    fmt::print("no registrations{}\n", options.plan.empty() ? "" : " for plan " + options.plan);
    return;
  }
  for (const auto& r : *registrations) {
    fmt::print("#{} {}/{}: {} ({}, <{}>), {} participant(s), rows {}: {}{}\n", r.id, r.plan_id,
               r.series_key, r.organisation, r.contact_name, r.email, r.participants,
               fmt::format("{}", fmt::join(r.preferences, ", ")), to_string(r.state),
               r.placed_row ? " in " + *r.placed_row : "");
    auto history = store.history(r.id);
    if (!history) fail(config.database + ": " + history.error().message);
    for (const auto& event : *history) {
      fmt::print("    {} {}{}\n", event.at, to_string(event.state),
                 event.note.empty() ? "" : ": " + event.note);
    }
  }
}

}  // namespace

void add_registrations_list_command(CLI::App& registrations) {
  auto options = std::make_shared<ListOptions>();
  auto* command =
      registrations.add_subcommand("list", "Every registration with its state and history");
  command->add_option("--config", options->config, "Daemon config file (YAML)")->required();
  command->add_option("--plan", options->plan, "Only this plan's registrations");
  command->callback([options] { run_list(*options); });
}

}  // namespace plancal::cli
