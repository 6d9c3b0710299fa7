#include "config/daemon_settings.h"

namespace plancal::config_detail {

void read_daemon_settings(const MarkedJson& doc, DaemonSettings& settings,
                          Diagnostics& /*diagnostics*/) {
  const nlohmann::json section = doc.json.value("daemon", nlohmann::json::object());
  settings.sync_interval_minutes =
      section.value("sync_interval_minutes", settings.sync_interval_minutes);
  settings.stop_timeout_seconds =
      section.value("stop_timeout_seconds", settings.stop_timeout_seconds);
}

}  // namespace plancal::config_detail
