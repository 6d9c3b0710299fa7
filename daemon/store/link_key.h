#pragma once
/// The link key: 32 random bytes in a file beside the state database (`<database>.linkkey`,
/// mode 0600), from which invitation links are derived (store/secrets.h,
/// derive_token_secret). It lives outside the database on purpose: a copy of the database —
/// a backup, a support bundle — then holds no usable link, yet plancal can make the same link
/// again when an invitation must be resent after a crash.

#include <string>

#include "base/result.h"
#include "base/secret.h"

namespace plancal {

/// `<database>.linkkey`.
[[nodiscard]] std::string link_key_path(const std::string& database_path);

/// Reads the key, creating it (0600, never overwriting) when there is none yet. Errors name
/// the file and what to do (permissions, a damaged file), never the content.
[[nodiscard]] Result<Secret> load_or_create_link_key(const std::string& database_path);

/// Reads the key without creating it (for --dry-run); an error when it does not exist.
[[nodiscard]] Result<Secret> load_link_key(const std::string& database_path);

}  // namespace plancal
