#pragma once
/// Private to daemon/store: the state behind Store, shared by its .cpp files (opening and
/// reading, publishing, tokens).

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

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

}  // namespace plancal
