#pragma once
/// Shared by the subcommands that work from the daemon config (publish, feed token, and
/// later serve): load the config or stop with its diagnostics, and open its state store.

#include <string>

#include "config/config.h"
#include "store/store.h"

namespace plancal::cli {

/// Loads `path`, prints its diagnostics to stderr, and throws CLI::RuntimeError(1) when it
/// has errors.
Config load_config_or_exit(const std::string& path);

/// Opens the config's database; prints the reason and throws CLI::RuntimeError(1) when it
/// cannot (not a plancal database, newer than this binary, no permission).
Store open_store_or_exit(const Config& config);

}  // namespace plancal::cli
