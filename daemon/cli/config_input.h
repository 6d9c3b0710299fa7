#pragma once
/// Shared by the subcommands that work from the daemon config (publish, feed token, serve,
/// status, sync, reminders): load the config or stop with its diagnostics, and open its state
/// database.

#include <string>

#include "config/config.h"
#include "store/database.h"

namespace plancal::cli {

/// Loads `path`, prints its diagnostics to stderr, and throws CLI::RuntimeError(1) when it
/// has errors.
Config load_config_or_exit(const std::string& path);

/// Opens the config's database; prints the reason and throws CLI::RuntimeError(1) when it
/// cannot (not a plancal database, newer than this binary, no permission).
StateDatabase open_database_or_exit(const Config& config);

/// The same for reading only (StateDatabase::open_read_only): creates nothing, writes nothing.
StateDatabase open_database_read_only_or_exit(const Config& config);

}  // namespace plancal::cli
