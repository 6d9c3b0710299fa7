#pragma once
/// The state store: what plancal has published, kept in one SQLite file.
///
/// Feeds and push targets must show a calendar client an *update* when the plan changes and
/// *nothing new* when it does not. So the store remembers every event it ever published with
/// a hash of what a subscriber sees, its SEQUENCE, DTSTAMP and LAST-MODIFIED: an unchanged
/// event keeps its revision (and renders byte-identically), a changed one gets SEQUENCE+1.
/// Events that leave the plan are kept as `removed` (history for reminders and push targets).
///
/// It also holds the feed tokens, as SHA-256 hashes only.
///
/// A Store is one connection. Its methods are safe to call from several threads (they take
/// turns); several processes may open the same file (WAL, busy timeout), with one writer at a
/// time.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "expand/event_revision.h"
#include "expand/occurrence.h"
#include "plan/model.h"
#include "store/reminder_state.h"
#include "store/sqlite.h"
#include "store/sync_state.h"

namespace plancal {

/// One published event and its history.
struct StoredEvent {
  Occurrence occurrence;   ///< as last published (for a removed event: its last version)
  EventRevision revision;  ///< `cancelled` is set for removed events
  std::string content_hash;
  bool removed = false;
  std::int64_t removed_at = 0;  ///< Unix seconds; 0 while active
};

/// What one publish did to one plan. An event that comes back after removal counts as added.
struct PublishSummary {
  int added = 0, changed = 0, removed = 0, unchanged = 0;
};

/// A feed token as listed; the secret itself is never stored.
struct FeedToken {
  std::int64_t id;
  std::string plan_id;
  std::string audience;  ///< "all", "team:A", "person:kari", ...
  std::string label;
  std::int64_t created_at;
  std::optional<std::int64_t> revoked_at, last_access_at;
};

/// A token just made: `secret` goes into the feed URL and is shown to the user once.
struct NewFeedToken {
  FeedToken info;
  std::string secret; /* shown once, never stored */
};

/// A plan's calendar-level facts as of its last publish.
struct PublishedPlan {
  std::string plan_id;
  std::string title;
  std::string calendar_name;  ///< X-WR-CALNAME; the title when the plan sets none
  std::string timezone;       ///< X-WR-TIMEZONE
  std::int64_t published_at = 0;
};

class Store {
 public:
  /// Opens or creates the database (and its parent folder), in WAL mode with foreign keys
  /// and a busy timeout, and runs pending migrations. Errors say what to do: the file is not
  /// a plancal database, it is newer than this binary, or it is damaged (PRAGMA quick_check,
  /// run when a process first opens the file or it changed since, logging how long it took).
  static Result<Store> open(const std::string& path);  // movable

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store();

  /// Makes the store match `occurrences` (the whole expansion of `plan`) in ONE transaction:
  /// a crash or an error at any point leaves the previous state. New events get SEQUENCE 0,
  /// changed ones SEQUENCE+1, and both DTSTAMP = LAST-MODIFIED = `now`; unchanged events are
  /// not touched; events of this plan missing from `occurrences` become removed (SEQUENCE+1)
  /// and come back active (SEQUENCE+1) if they reappear. Order does not matter. A new stamp
  /// is never earlier than the event's previous LAST-MODIFIED (clock set back).
  Result<PublishSummary> publish(const Plan& plan, const std::vector<Occurrence>& occurrences,
                                 std::int64_t now);  // ONE transaction

  /// One plan and its whole expansion, for publishing several plans at once.
  struct PlanExpansion {
    const Plan* plan = nullptr;
    const std::vector<Occurrence>* occurrences = nullptr;
  };

  /// Publishes several plans, each as publish() above, in ONE transaction for all of them:
  /// after a crash the store holds every plan's previous state or every plan's new state.
  /// Summaries come in the order of `plans`.
  Result<std::vector<PublishSummary>> publish(const std::vector<PlanExpansion>& plans,
                                              std::int64_t now);

  /// Every event of the plan, active and removed, sorted by (start, uid).
  std::vector<StoredEvent> events(const std::string& plan_id);
  /// Plans that have been published at least once, sorted.
  std::vector<std::string> plan_ids();

  /// Makes a token for a published plan. `audience` is "all", "team:K", "person:K" or "role:K"
  /// (whether K exists in the plan is the caller's check: the store does not keep rosters).
  Result<NewFeedToken> create_token(const std::string& plan_id, const std::string& audience,
                                    const std::string& label, std::int64_t now);
  /// All tokens, revoked ones included, by id.
  std::vector<FeedToken> tokens();
  /// Revokes for good; revoking a revoked token again is not an error and keeps the first time.
  Status revoke_token(std::int64_t id, std::int64_t now);
  /// The live (not revoked) token whose secret this is; looked up by hash.
  std::optional<FeedToken> find_token(std::string_view secret);  // by hash, not revoked
  /// Notes that the token was used. Written at most once a minute per token, so serving a
  /// feed does not turn every request into a database write.
  void record_access(std::int64_t token_id, std::int64_t now);

  // --- push targets (store_sync.cpp); each call is its own short transaction ---

  /// Every item of the target, by uid.
  std::vector<SyncItem> sync_items(const std::string& target);
  /// Inserts or replaces the item (target, item.uid).
  Status put_sync_item(const std::string& target, const SyncItem& item);
  Status delete_sync_item(const std::string& target, const std::string& uid);
  /// nullopt before the first sync of the target.
  std::optional<TargetSyncState> target_state(const std::string& target);
  Status save_target_state(const TargetSyncState& state);
  /// Forgets a target's items and state (its endpoint changed: a different calendar).
  Status reset_target(const std::string& target);
  Status record_sync_run(const SyncRun& run);
  /// The newest run of each target, by target name.
  std::vector<SyncRun> last_sync_runs();

  // --- reminders (store_reminders.cpp; see reminder_state.h for the exactly-once protocol) ---

  /// Makes the unsent reminders of `plan_ids` match `planned` in ONE transaction: new ones
  /// are added (unless already more than `window` seconds past due: counted, not stored),
  /// planned and cancelled ones take the new due time and text, planned ones no longer
  /// asked for are cancelled. Sending, sent, late and failed rows are never changed.
  Result<ReminderSyncSummary> sync_reminders(const std::vector<std::string>& plan_ids,
                                             const std::vector<ReminderRecord>& planned,
                                             std::int64_t now, std::int64_t window);
  /// Every reminder, by (due_at, id).
  std::vector<ReminderRecord> reminders();
  /// Planned and sending reminders with due_at <= now and next_attempt_at <= now.
  std::vector<ReminderRecord> due_reminders(std::int64_t now);
  /// The intent: committed before the mail server is contacted; counts an attempt.
  Status mark_reminder_sending(const std::string& id, std::int64_t now);
  /// The server accepted the message.
  Status mark_reminder_sent(const std::string& id, std::int64_t now);
  /// A temporary failure: back to planned, next try at `next_attempt_at`.
  Status mark_reminder_retry(const std::string& id, std::int64_t next_attempt_at,
                             const std::string& error, std::int64_t now);
  /// Final states: failed (refused for good) or late (past the send window).
  Status mark_reminder_failed(const std::string& id, const std::string& error, std::int64_t now);
  Status mark_reminder_late(const std::string& id, std::int64_t now);

  /// Whether the database answers a query (for /healthz).
  Status ping();
  /// The failures this connection has seen (see sqlite::Faults): a reader whose list was cut
  /// short by one shows as a higher count after the read.
  [[nodiscard]] sqlite::Faults faults() const;

  /// What the last publish recorded about the plan (calendar name, zone), so a feed can be
  /// rendered without reading the plan file; nullopt when never published.
  std::optional<PublishedPlan> plan_info(const std::string& plan_id);

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace plancal
