#include "cli/config_input.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/plan_input.h"

namespace plancal::cli {

Config load_config_or_exit(const std::string& path) {
  ConfigLoad load = load_config(path);
  for (const auto& diagnostic : load.diagnostics.all()) {
    fmt::print(stderr, "{}\n", format_diagnostic(diagnostic));
  }
  if (!load.config) {
    fmt::print(stderr, "{}: {} error(s); nothing was done\n", path, load.diagnostics.error_count());
    throw CLI::RuntimeError(1);
  }
  return std::move(*load.config);
}

StateDatabase open_database_or_exit(const Config& config) {
  auto database = StateDatabase::open(config.database);
  if (!database) fail(database.error().message);
  return std::move(*database);
}

StateDatabase open_database_read_only_or_exit(const Config& config) {
  auto database = StateDatabase::open_read_only(config.database);
  if (!database) fail(database.error().message);
  return std::move(*database);
}

}  // namespace plancal::cli
