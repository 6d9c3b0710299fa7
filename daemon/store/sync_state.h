#pragma once
/// What the store remembers about push targets: which remote resource holds each plancal
/// event, and where each target's last sync left off.
///
/// The reconcile engine writes an item *before* each remote write (state creating, updating
/// or deleting: the intent) and finalises it after the server answered, each in its own
/// short transaction. A sync killed at any point thus leaves rows that say exactly which
/// writes may or may not have happened, and the next run settles them against the server.

#include <cstdint>
#include <string>

namespace plancal {

enum class SyncItemState {
  Synced,    ///< the remote resource holds what `sent_hash` says
  Creating,  ///< a create was about to be sent to `ref` (it may exist now)
  Updating,  ///< an update to `sent_hash` was about to be sent
  Deleting,  ///< a delete was about to be sent
  Kept,      ///< a remote edit or deletion kept by policy; left alone until the plan changes
};

[[nodiscard]] const char* to_string(SyncItemState state);
[[nodiscard]] SyncItemState sync_item_state_from(std::string_view text);

/// One plancal event in one target.
struct SyncItem {
  std::string uid;
  std::string ref;          ///< CalDAV href or Graph event id ("" before a Graph create)
  std::string version;      ///< ETag or changeKey as last seen; "" when unknown
  std::string sent_hash;    ///< normalised hash of what plancal last sent
  std::string remote_hash;  ///< normalised hash of what the server stores ("" = unknown)
  SyncItemState state = SyncItemState::Synced;
  std::int64_t updated_at = 0;
  /// The SEQUENCE the resource held when plancal last wrote or read it (CalDAV; 0 when
  /// unknown): a write over it must send a greater one.
  int sequence = 0;
  /// The create attempt that made the resource, or that a Creating row announces: a retry of
  /// that create carries it again, every new create a new one (Graph's transactionId follows
  /// it). 0: none recorded.
  std::int64_t attempt = 0;
};

/// Where a target's last sync left off.
struct TargetSyncState {
  std::string target;
  std::string endpoint;    ///< the configured URL/mailbox; when it changes, the state is reset
  std::string collection;  ///< the discovered calendar (CalDAV href, Graph calendar id)
  std::string cursor;      ///< sync-token / ctag / delta link for the cheap no-op check
  /// The account `collection` was discovered with ("" when not recorded): another account
  /// may not use it, so a new one discovers again.
  std::string account{};
  /// The last create attempt number handed out for this target (SyncItem::attempt); it only
  /// grows, also when the target's endpoint changes.
  std::int64_t last_attempt = 0;
};

/// One finished sync run, for `plancal status`.
struct SyncRun {
  std::string target;
  std::int64_t started_at = 0;
  std::int64_t finished_at = 0;
  std::string result;  ///< "ok", "failed", "stopped" (mass-delete rail), "partial"
  int created = 0, updated = 0, deleted = 0, restored = 0, adopted = 0, conflicts = 0, failed = 0,
      requests = 0;
  std::string message;  ///< the first error, free of secrets
};

}  // namespace plancal
