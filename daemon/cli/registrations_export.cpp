// plancal registrations export --config FILE [--plan ID]: every registration as CSV on
// standard output (RFC 4180, CRLF), for a spreadsheet: one row per registration with its
// state and placed row. Personal data: printed to the organiser who asks, never logged.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <memory>
#include <string>
#include <vector>

#include "cli/config_input.h"
#include "cli/plan_input.h"
#include "cli/registrations_commands.h"
#include "plan/csv.h"
#include "store/registrations.h"

namespace plancal::cli {

namespace {

struct ExportOptions {
  std::string config;
  std::string plan;
};

void run_export(const ExportOptions& options) {
  const Config config = load_config_or_exit(options.config);
  StateDatabase database = open_database_or_exit(config);
  auto registrations = RegistrationStore(database).registrations(options.plan);
  if (!registrations) fail(config.database + ": " + registrations.error().message);
  fmt::print("{}",
             csv_line({"id", "plan", "series", "organisation", "contact", "email", "participants",
                       "preferences", "state", "placed_row", "created_at", "confirmed_at"}));
  for (const auto& r : *registrations) {
    fmt::print("{}", csv_line({std::to_string(r.id), r.plan_id, r.series_key, r.organisation,
                               r.contact_name, r.email, std::to_string(r.participants),
                               fmt::format("{}", fmt::join(r.preferences, " ")), to_string(r.state),
                               r.placed_row.value_or(""), std::to_string(r.created_at),
                               r.confirmed_at ? std::to_string(*r.confirmed_at) : ""}));
  }
}

}  // namespace

void add_registrations_export_command(CLI::App& registrations) {
  auto options = std::make_shared<ExportOptions>();
  auto* command = registrations.add_subcommand("export", "Every registration as CSV");
  command->add_option("--config", options->config, "Daemon config file (YAML)")->required();
  command->add_option("--plan", options->plan, "Only this plan's registrations");
  command->callback([options] { run_export(*options); });
}

}  // namespace plancal::cli
