#include "store/store.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <system_error>

#include "store/occurrence_codec.h"
#include "store/schema.h"
#include "store/store_impl.h"

namespace plancal {

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

StoredEvent read_event(const sqlite::Statement& row, Occurrence occurrence) {
  StoredEvent event;
  event.occurrence = std::move(occurrence);
  event.content_hash = row.text(1);
  event.revision.sequence = static_cast<int>(row.int64(2));
  event.revision.dtstamp = row.int64(3);
  event.revision.last_modified = row.int64(4);
  event.removed = row.text(5) == "removed";
  event.removed_at = row.optional_int64(6).value_or(0);
  event.revision.cancelled = event.removed;
  return event;
}

}  // namespace

void log_store_error(const std::string& what, const Error& error) {
  spdlog::error("state store: {}: {}", what, error.message);
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Result<Store> Store::open(const std::string& path) {
  if (auto made = create_parent_folder(path); !made) return made.error();
  auto db = sqlite::Database::open(path);
  if (!db) return db.error();
  if (auto done = db->exec("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs)); !done) {
    return done.error();
  }
  auto version = check_schema(*db, path);
  if (!version && db->last_error_code() == SQLITE_CORRUPT) {
    return damaged_file(path, "its header or schema cannot be read");
  }
  if (!version) return version.error();
  if (const auto version = file_version(path); !intact_files().known(path, version)) {
    if (auto intact = check_integrity(*db, path); !intact) return intact.error();
    intact_files().remember(path, version);
  }
  if (auto done = configure(*db, path); !done) return done.error();
  if (auto done = migrate_schema(*db, path, *version); !done) return done.error();
  return Store(std::make_unique<Impl>(std::move(*db), path));
}

std::vector<StoredEvent> Store::events(const std::string& plan_id) {
  std::lock_guard lock(impl_->mutex);
  std::vector<StoredEvent> events;
  auto query = sqlite::Statement::prepare(
      impl_->db,
      "SELECT occurrence_json, content_hash, sequence, dtstamp, last_modified, status, "
      "removed_at FROM events WHERE plan_id = ?1 ORDER BY start_local, uid");
  if (!query) {
    log_store_error("reading events", query.error());
    return events;
  }
  query->bind(1, plan_id);
  for (;;) {
    auto row = query->step();
    if (!row) log_store_error("reading events of " + plan_id, row.error());
    if (!row || !*row) break;
    auto occurrence = decode_occurrence(query->text(0));
    if (!occurrence) {
      impl_->db.note_fault(occurrence.error());
      log_store_error("reading an event of " + plan_id, occurrence.error());
      continue;
    }
    events.push_back(read_event(*query, std::move(*occurrence)));
  }
  return events;
}

std::vector<std::string> Store::plan_ids() {
  std::lock_guard lock(impl_->mutex);
  std::vector<std::string> ids;
  auto query = sqlite::Statement::prepare(impl_->db, "SELECT plan_id FROM plans ORDER BY plan_id");
  if (!query) {
    log_store_error("reading plans", query.error());
    return ids;
  }
  for (;;) {
    auto row = query->step();
    if (!row) log_store_error("reading plans", row.error());
    if (!row || !*row) break;
    ids.push_back(query->text(0));
  }
  return ids;
}

std::optional<PublishedPlan> Store::plan_info(const std::string& plan_id) {
  std::lock_guard lock(impl_->mutex);
  auto query = sqlite::Statement::prepare(
      impl_->db,
      "SELECT title, calendar_name, timezone, published_at FROM plans WHERE plan_id = ?1");
  if (!query) {
    log_store_error("reading plan " + plan_id, query.error());
    return std::nullopt;
  }
  query->bind(1, plan_id);
  auto row = query->step();
  if (!row) log_store_error("reading plan " + plan_id, row.error());
  if (!row || !*row) return std::nullopt;
  return PublishedPlan{plan_id, query->text(0), query->text(1), query->text(2), query->int64(3)};
}

sqlite::Faults Store::faults() const { return impl_->db.faults(); }

Status Store::ping() {
  std::lock_guard lock(impl_->mutex);
  auto query = sqlite::Statement::prepare(impl_->db, "SELECT count(*) FROM plans");
  if (!query) return query.error();
  auto row = query->step();
  if (!row) return row.error();
  return Ok{};
}

}  // namespace plancal
