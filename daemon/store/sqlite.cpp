#include "store/sqlite.h"

#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <filesystem>
#include <optional>
#include <string>

#include <fmt/format.h>

namespace plancal::sqlite {

namespace {

/// How many problems a failed quick_check lists (it stops looking after that many).
constexpr int kQuickCheckProblems = 5;

/// "0 bytes", "12.0 KiB", "3.4 GiB".
std::string byte_count(unsigned long long bytes) {
  if (bytes < 1024) return fmt::format("{} bytes", bytes);
  double value = static_cast<double>(bytes) / 1024;
  for (const char* unit : {"KiB", "MiB", "GiB"}) {
    if (value < 1024) return fmt::format("{:.1f} {}", value, unit);
    value /= 1024;
  }
  return fmt::format("{:.1f} TiB", value);
}

/// Bytes free to this user in `folder`, or nullopt when unknown.
std::optional<unsigned long long> space_left_in(const std::filesystem::path& folder) {
  struct statvfs stats {};
  if (statvfs(folder.c_str(), &stats) != 0) return std::nullopt;
  return static_cast<unsigned long long>(stats.f_bavail) * stats.f_frsize;
}

/// The file size limit of this process (ulimit -f, LimitFSIZE=), or nullopt when unlimited.
std::optional<unsigned long long> file_size_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_FSIZE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return std::nullopt;
  return static_cast<unsigned long long>(limit.rlim_cur);
}

/// What to say when the file cannot grow: the disk is full, or a limit stops it; empty when
/// the failure is something else. SQLite says SQLITE_FULL only when a write itself reports
/// ENOSPC; a full disk seen by fsync or the shared-memory file, or a file size limit, comes
/// as SQLITE_IOERR ("disk I/O error"), and by then errno may belong to a later call. So the
/// disk's free space and the process's limits are looked at too.
std::string cannot_grow_message(std::string_view what, int code, int os_error,
                                const std::string& file) {
  const std::filesystem::path folder = std::filesystem::path(file).parent_path();
  const std::string where = file.empty() ? "the database" : file;
  const auto left = space_left_in(folder);
  constexpr unsigned long long kNearlyFull = 1024ULL * 1024ULL;
  if (code == SQLITE_FULL || os_error == ENOSPC || (left && *left < kNearlyFull)) {
    return fmt::format(
        "{}: the disk holding {} is full{} while writing {}; the change was not saved: free "
        "space on that disk (or move the database to a larger one) and run plancal again",
        what, folder.string(), left ? " (" + byte_count(*left) + " free)" : "", where);
  }
  if (os_error == EDQUOT) {
    return fmt::format(
        "{}: the disk quota of the user running plancal is used up in {} while writing {}; "
        "the change was not saved: raise the quota or free space there",
        what, folder.string(), where);
  }
  if (const auto limit = file_size_limit(); limit || os_error == EFBIG) {
    return fmt::format(
        "{}: {} (or its -wal file) reached the largest file size this process may write{} "
        "(ulimit -f, LimitFSIZE=); the change was not saved: raise that limit",
        what, where, limit ? " (" + byte_count(*limit) + ")" : "");
  }
  return {};
}

}  // namespace

void Database::Closer::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

Result<Database> Database::open(const std::string& path) {
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Database db(raw);  // owns the handle even when opening failed
  if (rc != SQLITE_OK) {
    return Error{"cannot open database " + path + ": " +
                 (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc))};
  }
  sqlite3_extended_result_codes(raw, 0);
  return db;
}

Result<Database> Database::open_read_only(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, nullptr);
  Database db(raw);  // owns the handle even when opening failed
  if (rc != SQLITE_OK) {
    return Error{"cannot open database " + path +
                 " for reading: " + (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc))};
  }
  sqlite3_extended_result_codes(raw, 0);
  return db;
}

Status Database::exec(std::string_view sql) {
  const std::string text(sql);
  if (sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return error("database error");
  }
  return Ok{};
}

Status Database::quick_check() {
  // A badly damaged file fails the check itself ("database disk image is malformed"); a
  // less damaged one gives a row per problem. Either way the message starts the same.
  const auto failed = [this](const std::string& problems) {
    Error damaged{"PRAGMA quick_check: " + problems};
    note_fault(damaged);
    return damaged;
  };
  auto check =
      Statement::prepare(*this, fmt::format("PRAGMA quick_check({})", kQuickCheckProblems));
  if (!check) return failed(sqlite3_errmsg(db_.get()));
  std::string problems;
  for (;;) {
    auto row = check->step();
    if (!row) return failed(sqlite3_errmsg(db_.get()));
    if (!*row) break;
    const std::string line = check->text(0);
    if (line == "ok") continue;
    problems += (problems.empty() ? "" : "; ") + line;
  }
  if (problems.empty()) return Ok{};
  return failed(problems);
}

Error Database::error(std::string_view what) const {
  sqlite3* db = db_.get();
  const int code = sqlite3_errcode(db);
  std::string message;
  if (code == SQLITE_IOERR || code == SQLITE_FULL) {
    const char* file = sqlite3_db_filename(db, "main");
    message =
        cannot_grow_message(what, code, sqlite3_system_errno(db), file != nullptr ? file : "");
  }
  if (message.empty()) message = std::string(what) + ": " + sqlite3_errmsg(db);
  Error failure{std::move(message)};
  note_fault(failure);
  return failure;
}

void Database::note_fault(const Error& error) const {
  const std::lock_guard lock(faults_->mutex);
  ++faults_->faults.count;
  faults_->faults.last = error.message;
}

Faults Database::faults() const {
  const std::lock_guard lock(faults_->mutex);
  return faults_->faults;
}

int Database::last_error_code() const { return sqlite3_errcode(db_.get()); }

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_.get()); }

int Database::changes() const { return sqlite3_changes(db_.get()); }

// ---------------------------------------------------------------------------------------------

void Statement::Finalizer::operator()(sqlite3_stmt* statement) const {
  sqlite3_finalize(statement);
}

Result<Statement> Statement::prepare(Database& db, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc =
      sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  Statement statement(db, raw);
  if (rc != SQLITE_OK) return db.error("cannot prepare statement");
  return statement;
}

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(statement_.get(), index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text64(statement_.get(), index, text.data(), text.size(), SQLITE_TRANSIENT,
                      SQLITE_UTF8);
  return *this;
}

Statement& Statement::bind(int index, std::optional<std::int64_t> value) {
  return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(statement_.get(), index);
  return *this;
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(statement_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->error("database error");
}

Status Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return row.error();
    if (!*row) return Ok{};
  }
}

void Statement::reset() {
  sqlite3_reset(statement_.get());
  sqlite3_clear_bindings(statement_.get());
}

std::int64_t Statement::int64(int column) const {
  return sqlite3_column_int64(statement_.get(), column);
}

std::string Statement::text(int column) const {
  const auto* bytes = sqlite3_column_text(statement_.get(), column);
  const int size = sqlite3_column_bytes(statement_.get(), column);
  if (bytes == nullptr) return {};
  return {reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size)};
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(statement_.get(), column) == SQLITE_NULL;
}

std::optional<std::int64_t> Statement::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

// ---------------------------------------------------------------------------------------------

Result<Transaction> Transaction::begin(Database& db) {
  if (auto started = db.exec("BEGIN IMMEDIATE"); !started) return started.error();
  return Transaction(db);
}

Transaction::Transaction(Transaction&& other) noexcept : db_(other.db_), open_(other.open_) {
  other.open_ = false;
}

Transaction::~Transaction() {
  if (open_) sqlite3_exec(db_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

Status Transaction::commit() {
  if (auto done = db_->exec("COMMIT"); !done) return done.error();
  open_ = false;
  return Ok{};
}

}  // namespace plancal::sqlite
