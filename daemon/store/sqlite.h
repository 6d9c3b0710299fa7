#pragma once
/// A thin RAII layer over the SQLite C API, so that no business code ever closes, finalises
/// or rolls back by hand: a Database closes itself, a Statement finalises itself and a
/// Transaction that is not committed rolls back when it goes out of scope (also on an early
/// `return` with an error), which is what makes `PublishedEvents::publish` all-or-nothing.
///
/// Binding indexes are 1-based and column indexes 0-based, as in SQLite itself.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace plancal::sqlite {

/// The failures seen on one connection. The store's readers return plain lists (a failed
/// read is logged and ends the list early), so a caller that must never act on a list cut
/// short, such as a feed build, compares `count` before and after its reads.
struct Faults {
  std::uint64_t count = 0;  ///< failed statements (and undecodable rows) since opening
  std::string last;         ///< the message of the latest one
};

/// One connection to a database file.
class Database {
 public:
  /// Opens (and creates when missing) the file; does not check what is inside.
  [[nodiscard]] static Result<Database> open(const std::string& path);
  /// Opens an existing file for reading only: never creates it, and every write is refused.
  [[nodiscard]] static Result<Database> open_read_only(const std::string& path);

  /// Runs one or more statements that return no rows (DDL, PRAGMA settings).
  [[nodiscard]] Status exec(std::string_view sql);

  /// Reads the whole file's structure (PRAGMA quick_check): Ok, or an error that lists the
  /// first problems found. Takes time in proportion to the file's size.
  [[nodiscard]] Status quick_check();

  /// The connection's most recent error, prefixed with `what`, and counted as a fault. A
  /// full disk (SQLITE_FULL, or an I/O error while the folder has under 1 MiB free) is said
  /// as such, with the folder and the space left there, and a file size limit as that,
  /// instead of SQLite's "disk I/O error".
  [[nodiscard]] Error error(std::string_view what) const;
  /// Counts a failure found above SQLite (a row that cannot be decoded) as a fault.
  void note_fault(const Error& error) const;
  [[nodiscard]] Faults faults() const;
  /// SQLite's primary result code of the most recent failure (e.g. SQLITE_NOTADB).
  [[nodiscard]] int last_error_code() const;

  [[nodiscard]] std::int64_t last_insert_rowid() const;
  /// Rows changed by the most recent INSERT, UPDATE or DELETE.
  [[nodiscard]] int changes() const;
  [[nodiscard]] sqlite3* handle() const { return db_.get(); }

 private:
  struct Closer {
    void operator()(sqlite3* db) const;
  };
  struct FaultLog {
    std::mutex mutex;
    Faults faults;
  };
  explicit Database(sqlite3* db) : db_(db), faults_(std::make_unique<FaultLog>()) {}
  std::unique_ptr<sqlite3, Closer> db_;
  std::unique_ptr<FaultLog> faults_;  ///< behind a pointer: a Database stays movable
};

/// One prepared statement; reusable after reset().
class Statement {
 public:
  [[nodiscard]] static Result<Statement> prepare(Database& db, std::string_view sql);

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const std::string& text) {
    return bind(index, std::string_view(text));
  }
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, std::optional<std::int64_t> value);
  Statement& bind_null(int index);

  /// Advances to the next row: true when there is one, false when done.
  [[nodiscard]] Result<bool> step();
  /// Steps to completion, for statements that return no rows.
  [[nodiscard]] Status run();
  /// Clears bindings and rewinds, so the statement can run again.
  void reset();

  [[nodiscard]] std::int64_t int64(int column) const;
  [[nodiscard]] std::string text(int column) const;
  [[nodiscard]] bool is_null(int column) const;
  [[nodiscard]] std::optional<std::int64_t> optional_int64(int column) const;

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* statement) const;
  };
  Statement(Database& db, sqlite3_stmt* statement) : db_(&db), statement_(statement) {}
  Database* db_;
  std::unique_ptr<sqlite3_stmt, Finalizer> statement_;
};

/// BEGIN IMMEDIATE ... COMMIT; rolls back in the destructor unless committed. IMMEDIATE takes
/// the write lock up front, so two writers wait on busy_timeout instead of deadlocking.
class Transaction {
 public:
  [[nodiscard]] static Result<Transaction> begin(Database& db);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  [[nodiscard]] Status commit();

 private:
  explicit Transaction(Database& db) : db_(&db) {}
  Database* db_;
  bool open_ = true;
};

}  // namespace plancal::sqlite
