#pragma once
/// Private to daemon/config: helpers every config section reader shares (paths, secrets,
/// TLS), and the readers of the sections kept in their own files.

#include <filesystem>
#include <optional>
#include <string>

#include "base/diagnostic.h"
#include "base/secret_file.h"
#include "config/config.h"
#include "config/targets.h"
#include "schema/yaml_json.h"

namespace plancal::config_detail {

/// A path from the config, relative to the config file's folder unless absolute.
[[nodiscard]] std::string resolve_path(const std::filesystem::path& base_dir,
                                       const std::string& path);

/// The secret source at `pointer` ({file} or {credential}); nullopt when absent. The schema
/// has checked its shape; a file path is resolved against the config's folder.
[[nodiscard]] std::optional<SecretSource> read_secret_source(const nlohmann::json& section,
                                                             const std::string& key,
                                                             const std::filesystem::path& base_dir);

/// `tls:` of a section (absent: system CAs).
[[nodiscard]] TlsConfig read_tls(const nlohmann::json& section,
                                 const std::filesystem::path& base_dir);

/// `targets:` -> config.targets, checking names are unique.
void read_targets(const MarkedJson& doc, const std::filesystem::path& base_dir, Config& config,
                  Diagnostics& diagnostics);

/// `smtp:` and `reminders:` (mail.cpp) -> config.smtp, config.reminders.
void read_mail(const MarkedJson& doc, const std::filesystem::path& base_dir, Config& config,
               Diagnostics& diagnostics);

}  // namespace plancal::config_detail
