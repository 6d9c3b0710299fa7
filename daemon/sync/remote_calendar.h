#pragma once
/// RemoteCalendar: what the reconcile engine needs from one remote calendar, whatever the
/// protocol. CalDAV (sync/caldav_calendar.h, over daemon/caldav) and Microsoft Graph
/// (sync/graph_calendar.h, over daemon/graph) implement it; the engine (engine.h) decides
/// what to write and keeps the state, the adapters only speak. Both read the answers to
/// their writes through one classification (write_outcome.h).
///
/// Identity: every plancal event has a UID. A remote resource is named by a `ref` (CalDAV
/// href, Graph event id) and has a `version` (ETag, changeKey) that changes whenever the
/// resource changes. The engine stores uid -> (ref, version, hashes) per target.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "expand/occurrence.h"
#include "ical/render.h"

namespace plancal::sync {

/// One event as the plan wants it in the target.
struct DesiredEvent {
  std::string uid;
  /// The adapter's normalised hash of what it would send (RemoteCalendar::content_hash):
  /// equal hashes mean nothing to send.
  std::string hash;
  const Occurrence* occurrence = nullptr;
  EventRevision revision;
};

/// One resource as the target holds it.
struct RemoteEvent {
  std::string ref;
  std::string version;  ///< "" when the server did not say
  std::string uid;      ///< the plancal UID when known (Graph listing, CalDAV after a fetch)
  /// The normalised hash of what the server stores, when the adapter can compute it (CalDAV
  /// after a fetch). nullopt: unknown, so a new version counts as an edit by someone else.
  std::optional<std::string> content_hash;
  /// The hash plancal stamped on the resource with its last write, when the resource carries
  /// one (Graph's plancalHash extended property). It tells which of plancal's writes landed
  /// last, not what the resource says now: an edit in Outlook leaves it as it was. So it
  /// settles plancal's own unbooked writes (a killed run's), never someone else's edit.
  std::optional<std::string> stamped_hash{};
  /// The SEQUENCE the resource holds, when the adapter read it (CalDAV after a fetch).
  std::optional<int> sequence{};
};

/// What changed in the target since the cursor of the last sync.
struct RemoteListing {
  /// true: `changed` is every resource in the calendar (a full listing: first sync, or the
  /// cursor was refused) and anything missing from it is gone.
  bool complete = false;
  std::vector<RemoteEvent> changed;  ///< new or modified resources (all of them when complete)
  std::vector<std::string> removed;  ///< refs deleted since the cursor (incremental only)
  std::string cursor;                ///< save for the next sync
};

enum class OperationKind { Create, Update, Delete };

struct Operation {
  OperationKind kind = OperationKind::Create;
  const DesiredEvent* desired = nullptr;  ///< Create and Update
  RemoteEvent current;                    ///< Update/Delete: ref and the version to match;
                                          ///< Create: ref from ref_for_new (may be "")
  /// Create: which attempt this is (SyncItem::attempt). A retry of the same attempt carries
  /// the same number, so an adapter can make it idempotent (Graph's transactionId); every new
  /// create carries a new one.
  std::int64_t attempt = 0;
  /// Create and Update: the lowest SEQUENCE the written event may carry, one above what the
  /// target holds (RFC 5545 §3.8.7.4); the adapter sends max(revision's, this).
  int min_sequence = 0;
};

/// What an answer to one write means for the engine (write_outcome.h says which answer is
/// which).
enum class Outcome {
  Done,          ///< written; `event` has the ref and the new version (may be "")
  Exists,        ///< create: something already holds this ref / uid (412, no-uid-conflict)
  Conflict,      ///< update/delete: the version no longer matches (someone changed it)
  NotFound,      ///< update/delete: the resource is gone (for a delete: as good as done)
  Rejected,      ///< the server refused this event (4xx, 507, a precondition): report, go on
  Unauthorized,  ///< 401/403: stop the whole target
  Failed,        ///< no answer after retries (network, 5xx, 429): try again next sync
};

struct WriteResult {
  Outcome outcome = Outcome::Failed;
  RemoteEvent event;    ///< Done: the resource now; Exists: its ref when the server named it
  std::string message;  ///< for logs; never contains secrets
};

class RemoteCalendar {
 public:
  virtual ~RemoteCalendar() = default;
  RemoteCalendar() = default;
  RemoteCalendar(const RemoteCalendar&) = delete;
  RemoteCalendar& operator=(const RemoteCalendar&) = delete;

  /// Gets ready to talk to the calendar. `known_collection` is what collection() returned
  /// after the last sync ("" the first time): with it, no discovery request is made, so an
  /// unchanged target costs one request in all.
  [[nodiscard]] virtual Status prepare(const std::string& known_collection) = 0;
  /// The calendar found by prepare(), saved by the engine for the next run.
  [[nodiscard]] virtual std::string collection() const = 0;

  /// Changes since `cursor` ("" for a full listing). An adapter whose cursor is refused
  /// falls back to a full listing itself (complete = true).
  [[nodiscard]] virtual Result<RemoteListing> changes(const std::string& cursor) = 0;

  /// True when changes(cursor) answers with what changed since the cursor rather than with
  /// the whole calendar every time. The engine then asks once more after its writes, so the
  /// cursor it saves is past them (engine.cpp: cursor_after_writes).
  [[nodiscard]] virtual bool incremental() const { return false; }

  /// The current state of these resources (uid, version, content_hash where possible);
  /// refs that no longer exist are left out.
  [[nodiscard]] virtual Result<std::vector<RemoteEvent>> fetch(
      const std::vector<std::string>& refs) = 0;

  /// The normalised hash of what this adapter sends for `event` (ignoring stamps and
  /// anything a server may add), comparable with RemoteEvent::content_hash.
  [[nodiscard]] virtual std::string content_hash(const DesiredEvent& event) const = 0;

  /// Where a new event with this UID goes ("" when the server assigns it, as Graph does).
  [[nodiscard]] virtual std::string ref_for_new(const std::string& uid) const = 0;

  /// Performs the writes, concurrently or batched as the adapter sees fit, and returns one
  /// result per operation in the same order. Never throws for remote errors.
  [[nodiscard]] virtual std::vector<WriteResult> apply(const std::vector<Operation>& ops) = 0;

  /// How many operations apply() should get at once (its concurrency or batch size).
  [[nodiscard]] virtual std::size_t batch_size() const = 0;

  /// HTTP requests made so far (for reports and benchmarks).
  [[nodiscard]] virtual int requests() const = 0;
};

}  // namespace plancal::sync
