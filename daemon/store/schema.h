#pragma once
/// The store's file format: how a plancal database is recognised and brought up to date.
///
/// `PRAGMA application_id` marks the file as plancal's (so pointing `database:` at another
/// program's SQLite file is refused instead of altered), and `PRAGMA user_version` counts the
/// migrations applied. Migrations only go forward; each runs in its own transaction together
/// with the version bump, so a crash during an upgrade leaves the previous version intact.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/sqlite.h"

namespace plancal {

/// "PLNC" in ASCII.
inline constexpr std::int32_t kPlancalApplicationId = 0x504C4E43;

struct Migration {
  int version;               ///< user_version after this step
  std::string_view purpose;  ///< one line, for the log
  std::string_view sql;
};

/// Every migration, oldest first; the last one's version is what this binary supports.
[[nodiscard]] const std::vector<Migration>& schema_migrations();
[[nodiscard]] int supported_schema_version();

/// The schema version of the open database (0 for a new, empty file), or an error when it is
/// not a plancal database or newer than this binary. Reads only: another program's file is
/// refused before anything in it is changed. `path` is used in messages only.
[[nodiscard]] Result<int> check_schema(sqlite::Database& db, const std::string& path);

/// Applies the migrations after `from_version`, each in its own transaction.
[[nodiscard]] Status migrate_schema(sqlite::Database& db, const std::string& path,
                                    int from_version);

}  // namespace plancal
