#pragma once
/// `daemon:` in the config: the timers of `plancal daemon`. Publishing follows file changes
/// at once; these say how often the daemon repairs remote drift by syncing every target
/// although nothing changed here, and how long a stop waits for work in flight.

#include "base/diagnostic.h"
#include "schema/yaml_json.h"

namespace plancal {

struct DaemonSettings {
  /// `daemon.sync_interval_minutes`: resync every target this often (default 15).
  int sync_interval_minutes = 15;
  /// `daemon.stop_timeout_seconds`: on SIGTERM, how long a sync in flight may take to finish
  /// before the daemon exits anyway (its store is consistent at every step); default 20,
  /// below systemd's default TimeoutStopSec of 90 s.
  int stop_timeout_seconds = 20;
};

namespace config_detail {

/// `daemon:` -> settings; the schema has checked types and ranges.
void read_daemon_settings(const MarkedJson& doc, DaemonSettings& settings,
                          Diagnostics& diagnostics);

}  // namespace config_detail

}  // namespace plancal
