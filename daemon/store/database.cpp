#include "store/database.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <system_error>
#include <utility>

#include "store/query.h"
#include "store/schema.h"

namespace plancal {

struct StateDatabase::Connection {
  Connection(sqlite::Database database, std::string file)
      : db(std::move(database)), path(std::move(file)) {}

  sqlite::Database db;
  std::string path;
  /// One connection serves every thread; callers take turns on it.
  std::mutex mutex;
};

namespace {

constexpr int kBusyTimeoutMs = 5000;

Status create_parent_folder(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return Ok{};
  std::error_code error;
  std::filesystem::create_directories(parent, error);
  if (error) return Error{"cannot create folder " + parent.string() + ": " + error.message()};
  return Ok{};
}

Status set_busy_timeout(sqlite::Database& db) {
  return db.exec("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs));
}

/// Per-connection settings; WAL is stored in the file, so it is set only once the file is
/// known to be ours.
///
/// synchronous = NORMAL: in WAL mode a commit is then safe against a killed process but not
/// against a power cut, which may roll back the last commits. Nothing is lost by that: a
/// sync whose intent rows were rolled back finds its events on the server and adopts them,
/// publishing runs again at start, and a reminder whose "sent" was rolled back goes out once
/// more with the same Message-ID. FULL would fsync every intent row, which made a
/// push of a few thousand events wait on the disk rather than on the server.
Status configure(sqlite::Database& db, const std::string& path) {
  if (auto done = db.exec(
          "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
      !done) {
    return Error{path + ": " + done.error().message};
  }
  return Ok{};
}

Result<std::int64_t> read_integer(sqlite::Database& db, std::string_view sql) {
  auto query = sqlite::Statement::prepare(db, sql);
  if (!query) return query.error();
  auto row = query->step();
  if (!row) return row.error();
  if (!*row) return Error{"no row from " + std::string(sql)};
  return query->int64(0);
}

}  // namespace

void log_store_error(const std::string& what, const Error& error) {
  spdlog::error("state store: {}: {}", what, error.message);
}

StateDatabase::StateDatabase(std::shared_ptr<Connection> connection)
    : connection_(std::move(connection)) {}

Result<StateDatabase> StateDatabase::open(const std::string& path) {
  if (auto made = create_parent_folder(path); !made) return made.error();
  auto db = sqlite::Database::open(path);
  if (!db) return db.error();
  if (auto done = set_busy_timeout(*db); !done) return done.error();
  auto version = check_schema(*db, path);
  if (!version) return version.error();
  if (auto done = configure(*db, path); !done) return done.error();
  if (auto done = migrate_schema(*db, path, *version); !done) return done.error();
  return StateDatabase(std::make_shared<Connection>(std::move(*db), path));
}

Result<StateDatabase> StateDatabase::open_read_only(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return never_written(path);
  auto db = sqlite::Database::open_read_only(path);
  if (!db) return db.error();
  if (auto done = set_busy_timeout(*db); !done) return done.error();
  auto version = check_schema(*db, path);
  if (!version) return version.error();
  if (*version == 0) return never_written(path);
  if (*version < supported_schema_version()) {
    return Error{path + ": database schema version " + std::to_string(*version) +
                 " is older than this plancal (" + std::to_string(supported_schema_version()) +
                 "): run `plancal publish` once to upgrade it, then run this command again"};
  }
  return StateDatabase(std::make_shared<Connection>(std::move(*db), path));
}

Result<StateDatabase> StateDatabase::never_written(const std::string& path) {
  auto db = sqlite::Database::open(":memory:");
  if (!db) return db.error();
  if (auto done = migrate_schema(*db, path, 0); !done) return done.error();
  return StateDatabase(std::make_shared<Connection>(std::move(*db), path));
}

Status StateDatabase::ping() {
  auto session = this->session();
  auto count = read_integer(session.db(), "SELECT count(*) FROM plans");
  if (!count) return count.error();
  return Ok{};
}

Result<std::int64_t> StateDatabase::data_version() {
  auto session = this->session();
  return read_integer(session.db(), "PRAGMA data_version");
}

const std::string& StateDatabase::path() const { return connection_->path; }

StateDatabase::Session StateDatabase::session() {
  return Session(connection_->mutex, connection_->db);
}

}  // namespace plancal
