// SyncStateStore: push-target state (sync_state.h). Every write is committed before the call
// returns, so the engine's intent rows reach the disk before the remote writes they announce.

#include "store/sync_state_store.h"

#include <array>
#include <optional>
#include <utility>

#include "store/query.h"

namespace plancal {

namespace {

constexpr std::array<std::pair<SyncItemState, const char*>, 5> kSyncStateNames = {{
    {SyncItemState::Synced, "synced"},
    {SyncItemState::Creating, "creating"},
    {SyncItemState::Updating, "updating"},
    {SyncItemState::Deleting, "deleting"},
    {SyncItemState::Kept, "kept"},
}};

SyncItem read_item(const sqlite::Statement& row) {
  SyncItem item;
  item.uid = row.text(0);
  item.ref = row.text(1);
  item.version = row.text(2);
  item.sent_hash = row.text(3);
  item.remote_hash = row.text(4);
  item.state = sync_item_state_from(row.text(5));
  item.updated_at = row.int64(6);
  item.sequence = static_cast<int>(row.int64(7));
  item.attempt = row.int64(8);
  return item;
}

SyncRun read_run(const sqlite::Statement& row) {
  SyncRun run;
  run.target = row.text(0);
  run.started_at = row.int64(1);
  run.finished_at = row.int64(2);
  run.result = row.text(3);
  run.created = static_cast<int>(row.int64(4));
  run.updated = static_cast<int>(row.int64(5));
  run.deleted = static_cast<int>(row.int64(6));
  run.restored = static_cast<int>(row.int64(7));
  run.adopted = static_cast<int>(row.int64(8));
  run.conflicts = static_cast<int>(row.int64(9));
  run.failed = static_cast<int>(row.int64(10));
  run.requests = static_cast<int>(row.int64(11));
  run.message = row.text(12);
  return run;
}

}  // namespace

const char* to_string(SyncItemState state) {
  for (const auto& [value, name] : kSyncStateNames) {
    if (value == state) return name;
  }
  return "synced";
}

SyncItemState sync_item_state_from(std::string_view text) {
  for (const auto& [value, name] : kSyncStateNames) {
    if (text == name) return value;
  }
  return SyncItemState::Synced;
}

std::vector<SyncItem> SyncStateStore::sync_items(const std::string& target) {
  auto session = database_.session();
  return query_all<SyncItem>(
      session.db(),
      "SELECT uid, ref, version, sent_hash, remote_hash, state, updated_at, sequence, attempt "
      "FROM sync_items WHERE target = ?1 ORDER BY uid",
      [&](sqlite::Statement& s) { s.bind(1, target); }, read_item, "reading sync items");
}

Status SyncStateStore::put_sync_item(const std::string& target, const SyncItem& item) {
  return put_sync_items(target, {item});
}

Status SyncStateStore::put_sync_items(const std::string& target,
                                      const std::vector<SyncItem>& items) {
  if (items.empty()) return Ok{};
  auto session = database_.session();
  std::optional<sqlite::Transaction> transaction;  // one row commits on its own
  if (items.size() > 1) {
    auto begun = sqlite::Transaction::begin(session.db());
    if (!begun) return begun.error();
    transaction.emplace(std::move(*begun));
  }
  auto statement = sqlite::Statement::prepare(
      session.db(),
      "INSERT OR REPLACE INTO sync_items (target, uid, ref, version, sent_hash, remote_hash, "
      "state, updated_at, sequence, attempt) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  if (!statement) return statement.error();
  for (const SyncItem& item : items) {
    statement->reset();
    statement->bind(1, target).bind(2, item.uid).bind(3, item.ref).bind(4, item.version);
    statement->bind(5, item.sent_hash).bind(6, item.remote_hash);
    statement->bind(7, to_string(item.state)).bind(8, item.updated_at);
    statement->bind(9, item.sequence).bind(10, item.attempt);
    if (auto done = statement->run(); !done) return done.error();
  }
  return transaction ? transaction->commit() : Status(Ok{});
}

Status SyncStateStore::delete_sync_item(const std::string& target, const std::string& uid) {
  auto session = database_.session();
  return execute(session.db(), "DELETE FROM sync_items WHERE target = ?1 AND uid = ?2",
                 [&](sqlite::Statement& s) { s.bind(1, target).bind(2, uid); });
}

std::optional<TargetSyncState> SyncStateStore::target_state(const std::string& target) {
  auto session = database_.session();
  auto rows = query_all<TargetSyncState>(
      session.db(),
      "SELECT target, endpoint, collection, cursor, account, last_attempt FROM sync_targets "
      "WHERE target = ?1",
      [&](sqlite::Statement& s) { s.bind(1, target); },
      [](const sqlite::Statement& row) {
        return TargetSyncState{row.text(0), row.text(1), row.text(2),
                               row.text(3), row.text(4), row.int64(5)};
      },
      "reading target state");
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

Status SyncStateStore::save_target_state(const TargetSyncState& state) {
  auto session = database_.session();
  return execute(session.db(),
                 "INSERT OR REPLACE INTO sync_targets "
                 "(target, endpoint, collection, cursor, account, last_attempt) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                 [&](sqlite::Statement& s) {
                   s.bind(1, state.target).bind(2, state.endpoint);
                   s.bind(3, state.collection).bind(4, state.cursor);
                   s.bind(5, state.account).bind(6, state.last_attempt);
                 });
}

Status SyncStateStore::reset_target(const std::string& target) {
  auto session = database_.session();
  auto transaction = sqlite::Transaction::begin(session.db());
  if (!transaction) return transaction.error();
  for (std::string_view sql :
       {"DELETE FROM sync_items WHERE target = ?1", "DELETE FROM sync_targets WHERE target = ?1"}) {
    auto done = execute(session.db(), sql, [&](sqlite::Statement& s) { s.bind(1, target); });
    if (!done) return done.error();
  }
  return transaction->commit();
}

Status SyncStateStore::record_sync_run(const SyncRun& run) {
  auto session = database_.session();
  return execute(session.db(),
                 "INSERT INTO sync_runs (target, started_at, finished_at, result, created, "
                 "updated, deleted, restored, adopted, conflicts, failed, requests, message) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                 [&](sqlite::Statement& s) {
                   s.bind(1, run.target).bind(2, run.started_at).bind(3, run.finished_at);
                   s.bind(4, run.result).bind(5, run.created).bind(6, run.updated);
                   s.bind(7, run.deleted).bind(8, run.restored).bind(9, run.adopted);
                   s.bind(10, run.conflicts).bind(11, run.failed).bind(12, run.requests);
                   s.bind(13, run.message);
                 });
}

std::vector<SyncRun> SyncStateStore::last_sync_runs() {
  auto session = database_.session();
  return query_all<SyncRun>(
      session.db(),
      "SELECT target, started_at, finished_at, result, created, updated, deleted, restored, "
      "adopted, conflicts, failed, requests, message FROM sync_runs "
      "WHERE id IN (SELECT max(id) FROM sync_runs GROUP BY target) ORDER BY target",
      no_parameters, read_run, "reading sync runs");
}

}  // namespace plancal
