#pragma once
/// Private to daemon/store: the few helpers every concern class runs its statements with.

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/sqlite.h"

namespace plancal {

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

/// Steps a prepared, bound statement to its end, making a value of every row with `read`
/// (which returns Result<T>); the first failure, of the statement or of a row, is the result.
/// For readers whose callers must tell "none" from "could not read".
template <class T, class Read>
Result<std::vector<T>> read_rows(sqlite::Statement& statement, Read&& read) {
  std::vector<T> rows;
  for (;;) {
    auto row = statement.step();
    if (!row) return row.error();
    if (!*row) return rows;
    auto value = read(statement);
    if (!value) return value.error();
    rows.push_back(std::move(*value));
  }
}

/// Does not bind anything, for query_all without parameters.
inline void no_parameters(sqlite::Statement& /*statement*/) {}

}  // namespace plancal
