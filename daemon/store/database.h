#pragma once
/// The state database: the ONE SQLite file in which plancal remembers what it did, brought
/// up to date by the ONE list of migrations in store/schema.cpp.
///
/// What is kept there is split by concern, one class each, every one built on a
/// StateDatabase (the files of this folder say which is which):
///
///   published_events.h  what was published: plans, events and their revisions
///   feed_tokens.h       the secrets in feed URLs (as SHA-256 hashes only)
///   sync_state_store.h  what each push target holds, and where its last sync left off
///   reminder_store.h    reminder emails and how far their delivery got
///
/// A StateDatabase is a handle to one connection: copies share it, and it closes with the
/// last copy, so a concern object keeps its connection open for as long as it lives. Calls
/// from several threads take turns on the connection (see session()); several processes may
/// open the same file (WAL, busy timeout), one writer at a time.
///
/// Adding a concern (web sessions, attendance, registrations, outgoing mail, ...):
///   1. append a Migration that creates its tables to the list in store/schema.cpp (never
///      change one that has shipped: databases in the field already ran it);
///   2. write store/<concern>.h/.cpp: a class constructed from a StateDatabase whose methods
///      each hold a session() and use the helpers of store/query.h (feed_tokens.cpp is a
///      small example);
///   3. construct it wherever it is needed, from the StateDatabase the caller already has.
/// Nothing in this file changes.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "base/result.h"
#include "store/sqlite.h"

namespace plancal {

class StateDatabase {
 public:
  /// Opens or creates the database (and its parent folder), in WAL mode with foreign keys
  /// and a busy timeout, and runs pending migrations. Errors say what to do: the file is not
  /// a plancal database, it is newer than this binary, or it is damaged (PRAGMA quick_check,
  /// run when a process first opens the file or it changed since, logging how long it took).
  [[nodiscard]] static Result<StateDatabase> open(const std::string& path);

  /// Opens for reading only, for commands that promise to change nothing (`sync --dry-run`):
  /// no file or folder is created, nothing is migrated, and the connection refuses writes.
  /// A file that does not exist yet reads as an empty database (an in-memory one with the
  /// current schema). A database that needs a migration is refused: reading it with this
  /// binary's queries could fail half-way, and migrating is a write.
  [[nodiscard]] static Result<StateDatabase> open_read_only(const std::string& path);

  /// Whether the database answers a query (for /healthz).
  [[nodiscard]] Status ping();

  /// A number that changes whenever ANOTHER connection commits to the file: another
  /// process, or another connection of this one (SQLite's `PRAGMA data_version`). Commits
  /// through this connection do not change it. Costs a read of the WAL index in shared
  /// memory, no disk access, so a loop may ask several times a second.
  [[nodiscard]] Result<std::int64_t> data_version();

  /// The failures this connection has seen (see sqlite::Faults): a reader whose list was cut
  /// short by one shows as a higher count after the read.
  [[nodiscard]] sqlite::Faults faults();

  /// The file, for messages.
  [[nodiscard]] const std::string& path() const;

  /// Exclusive use of the connection while it lives; what the concern classes run their
  /// statements in. Hold it for one call only: every other thread waits for it.
  class Session {
   public:
    [[nodiscard]] sqlite::Database& db() { return db_; }

   private:
    friend class StateDatabase;
    Session(std::mutex& mutex, sqlite::Database& db) : lock_(mutex), db_(db) {}
    std::unique_lock<std::mutex> lock_;
    sqlite::Database& db_;
  };
  [[nodiscard]] Session session();

 private:
  struct Connection;
  explicit StateDatabase(std::shared_ptr<Connection> connection);
  /// What a database that was never written reads as: the current schema, no rows, in
  /// memory; `path` is kept for messages.
  static Result<StateDatabase> never_written(const std::string& path);
  std::shared_ptr<Connection> connection_;
};

}  // namespace plancal
