// plancal registrations allocate --config FILE [--plan ID] [--dry-run] [--now TIME]: places
// the confirmed registrations of every series with a registration deadline in its rows
// (signup/allocation.h: as many placed as the rows allow, earlier confirmations winning their
// preferences), the rest on the waiting list, and prints one Norwegian line per organisation
// ("Datorekke 1: Tirsdager: plassert som nr. 1 i køen"). --dry-run prints the same and
// writes nothing. Withdrawn and unconfirmed registrations take no part.

#include <fmt/format.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/config_input.h"
#include "cli/now_option.h"
#include "cli/plan_input.h"
#include "cli/registrations_commands.h"
#include "plan/row_places.h"
#include "signup/allocation.h"
#include "store/registrations.h"

namespace plancal::cli {

namespace {

struct AllocateOptions {
  std::string config;
  std::string plan;
  bool dry_run = false;
  std::string now;
};

std::vector<signup::RowPlaces> row_places(const Series& series) {
  std::vector<signup::RowPlaces> rows;
  for (const auto& row : series.rows) {
    rows.push_back({row.key, row.name.empty() ? row.key : row.name, row_places_offered(row)});
  }
  return rows;
}

bool takes_part(const RegistrationRecord& r) {
  return r.state == RegistrationState::Confirmed || r.state == RegistrationState::Placed ||
         r.state == RegistrationState::Waiting;
}

/// Allocates one series; prints its lines and returns what to store.
std::vector<RegistrationPlacement> allocate_series(const Plan& plan, const Series& series,
                                                   const std::vector<RegistrationRecord>& all) {
  std::vector<signup::Registration> registrations;
  std::map<std::string, const RegistrationRecord*> by_id;
  for (const auto& r : all) {
    if (r.series_key != series.key || !takes_part(r)) continue;
    registrations.push_back({std::to_string(r.id), r.organisation,
                             r.confirmed_at.value_or(r.created_at), r.preferences});
    by_id[std::to_string(r.id)] = &r;
  }
  fmt::print("{} / {}: {} confirmed registration(s)\n", plan.id, series.title,
             registrations.size());
  std::vector<RegistrationPlacement> placements;
  for (const auto& p : signup::allocate(row_places(series), registrations)) {
    const RegistrationRecord& r = *by_id.at(p.registration_id);
    fmt::print("  {}: {}\n", r.organisation, p.explanation);
    placements.push_back({r.id, p.row, p.explanation});
  }
  return placements;
}

void run_allocate(const AllocateOptions& options) {
  const Config config = load_config_or_exit(options.config);
  const auto clock = make_clock(options.now);
  StateDatabase database = open_database_or_exit(config);
  RegistrationStore store(database);
  int series_count = 0;
  for (const auto& file : config.plan_files) {
    const Plan plan = load_plan_or_exit(file);
    if (!options.plan.empty() && plan.id != options.plan) continue;
    auto registrations = store.registrations(plan.id);
    if (!registrations) fail(config.database + ": " + registrations.error().message);
    for (const auto& series : plan.series) {
      if (!series.registration_deadline) continue;
      ++series_count;
      const auto placements = allocate_series(plan, series, *registrations);
      if (options.dry_run || placements.empty()) continue;
      if (auto done = store.apply_placements(placements, clock->now_unix()); !done) {
        fail(config.database + ": the allocation was not stored: " + done.error().message);
      }
    }
  }
  if (series_count == 0) {
    fail("no series with a registration_deadline" + (options.plan.empty()
                                                         ? std::string(" in the config's plans")
                                                         : " in plan " + options.plan));
  }
  fmt::print("{}\n",
             options.dry_run ? "dry run: nothing stored, nothing sent" : "allocation stored");
}

}  // namespace

void add_registrations_allocate_command(CLI::App& registrations) {
  auto options = std::make_shared<AllocateOptions>();
  auto* command = registrations.add_subcommand(
      "allocate", "Place the confirmed registrations in the rows; the rest on the waiting list");
  command->add_option("--config", options->config, "Daemon config file (YAML)")->required();
  command->add_option("--plan", options->plan, "Only this plan's series");
  command->add_flag("--dry-run", options->dry_run, "Show the allocation; store and send nothing");
  add_now_option(*command, options->now);
  command->callback([options] { run_allocate(*options); });
}

}  // namespace plancal::cli
