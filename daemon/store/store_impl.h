#pragma once
/// Private to daemon/store: the state behind Store, shared by its .cpp files (opening and
/// reading, publishing, tokens).

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/sqlite.h"
#include "store/store.h"

namespace plancal {

struct Store::Impl {
  explicit Impl(sqlite::Database database, std::string file)
      : db(std::move(database)), path(std::move(file)) {}

  sqlite::Database db;
  std::string path;
  /// One connection serves every thread; callers take turns on it.
  std::mutex mutex;
  /// token id -> the last access time written, to write at most once a minute.
  std::unordered_map<std::int64_t, std::int64_t> access_written;
};

/// Logs a database failure in a read that cannot return an error (the API returns plain lists).
void log_store_error(const std::string& what, const Error& error);

/// Runs a statement that changes rows, with `bind` filling its parameters.
template <class Bind>
Status execute(sqlite::Database& db, std::string_view sql, Bind&& bind) {
  auto statement = sqlite::Statement::prepare(db, sql);
  if (!statement) return statement.error();
  bind(*statement);
  return statement->run();
}

/// Reads every row of a query, with `bind` filling its parameters and `read` making a value.
/// A failure is logged as `what` and ends the list early (readers return plain lists).
template <class T, class Bind, class Read>
std::vector<T> query_all(sqlite::Database& db, std::string_view sql, Bind&& bind, Read&& read,
                         const char* what) {
  std::vector<T> rows;
  auto statement = sqlite::Statement::prepare(db, sql);
  if (!statement) {
    log_store_error(what, statement.error());
    return rows;
  }
  bind(*statement);
  for (;;) {
    auto row = statement->step();
    if (!row) {
      log_store_error(what, row.error());
      return rows;
    }
    if (!*row) return rows;
    rows.push_back(read(*statement));
  }
}

}  // namespace plancal
