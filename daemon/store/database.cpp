#include "store/database.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <map>
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

/// The file's identity, size and modification time: when it differs from the one last
/// checked, the file is new to this process or changed on disk since.
std::string file_version(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return {};
  return fmt::format("{}:{}:{}:{}.{}", info.st_dev, info.st_ino, info.st_size, info.st_mtim.tv_sec,
                     info.st_mtim.tv_nsec);
}

/// The version of each file this process found intact. The integrity check runs only for a
/// file new to the process or changed since: it reads the whole file (a quarter of a second
/// for a few thousand events), and a daemon opens the file again for every background job.
/// Reads that fail in between are caught by the fault count (sqlite::Faults) instead.
class IntactFiles {
 public:
  bool known(const std::string& path, const std::string& version) {
    const std::lock_guard lock(mutex_);
    const auto found = versions_.find(path);
    return !version.empty() && found != versions_.end() && found->second == version;
  }
  void remember(const std::string& path, const std::string& version) {
    const std::lock_guard lock(mutex_);
    versions_[path] = version;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::string> versions_;
};

IntactFiles& intact_files() {
  static IntactFiles files;
  return files;
}

/// What to say about a file whose pages cannot be read as SQLite wrote them.
Error damaged_file(const std::string& path, const std::string& detail) {
  return Error{fmt::format(
      "{} is damaged ({}); plancal will not read or change it, so no feed or calendar gets "
      "a partial copy. Stop plancal and restore the file from a backup, or move it aside "
      "and run `plancal publish` to republish into a new file (feed links must then be "
      "made again with `plancal feed token create`)",
      path, detail)};
}

/// PRAGMA quick_check (see IntactFiles for when): a damaged file is refused before
/// any reader could return part of its contents as if it were all of it (a feed with 1 of
/// 11 events, a sync that deletes the rest). How long it took is logged, as it grows with
/// the file.
Status check_integrity(sqlite::Database& db, const std::string& path) {
  const auto started = std::chrono::steady_clock::now();
  auto intact = db.quick_check();
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  if (!intact) return damaged_file(path, intact.error().message);
  spdlog::info("state store {}: integrity check (PRAGMA quick_check) passed in {} ms", path,
               elapsed.count());
  return Ok{};
}

/// The schema version of an opened file; a file whose header SQLite reads as corrupt is
/// refused as damaged, and the rest of a file new to this process is checked whole.
Result<int> check_file(sqlite::Database& db, const std::string& path) {
  auto version = check_schema(db, path);
  if (!version && db.last_error_code() == SQLITE_CORRUPT) {
    return damaged_file(path, "its header or schema cannot be read");
  }
  if (!version) return version.error();
  if (const auto seen = file_version(path); !intact_files().known(path, seen)) {
    if (auto intact = check_integrity(db, path); !intact) return intact.error();
    intact_files().remember(path, seen);
  }
  return version;
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
  auto version = check_file(*db, path);
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
  auto version = check_file(*db, path);
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

sqlite::Faults StateDatabase::faults() {
  auto session = this->session();
  return session.db().faults();
}

const std::string& StateDatabase::path() const { return connection_->path; }

StateDatabase::Session StateDatabase::session() {
  return Session(connection_->mutex, connection_->db);
}

}  // namespace plancal
