#pragma once
/// A thin RAII layer over the SQLite C API, so that no business code ever closes, finalises
/// or rolls back by hand: a Database closes itself, a Statement finalises itself and a
/// Transaction that is not committed rolls back when it goes out of scope (also on an early
/// `return` with an error), which is what makes `PublishedEvents::publish` all-or-nothing.
///
/// Binding indexes are 1-based and column indexes 0-based, as in SQLite itself.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace plancal::sqlite {

/// One connection to a database file.
class Database {
 public:
  /// Opens (and creates when missing) the file; does not check what is inside.
  [[nodiscard]] static Result<Database> open(const std::string& path);
  /// Opens an existing file for reading only: never creates it, and every write is refused.
  [[nodiscard]] static Result<Database> open_read_only(const std::string& path);

  /// Runs one or more statements that return no rows (DDL, PRAGMA settings).
  [[nodiscard]] Status exec(std::string_view sql);

  /// The connection's most recent error, prefixed with `what`.
  [[nodiscard]] Error error(std::string_view what) const;
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
  explicit Database(sqlite3* db) : db_(db) {}
  std::unique_ptr<sqlite3, Closer> db_;
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
