#pragma once
/// EventCache: each occurrence's Graph event (graph/event_json.h) built once and shared by
/// every mailbox of a target.
///
/// A per-person target sends the same few events to thousands of mailboxes: only the mailbox,
/// the extended properties and the transactionId differ. Building the JSON and its two SHA-256
/// hashes again for every mailbox, and three times per create (the engine's content hash, the
/// request, the booking), was most of plancal's own CPU time in a push, time the CPUs could
/// give Graph (or its emulator) instead.
///
/// Entries are keyed by the occurrence's address, so the occurrences must stay alive and
/// unchanged while the cache lives. One sync of a plan guarantees that: the plans are loaded
/// before the targets are made and outlive them (service/sync.cpp), and the cache lives in the
/// targets' connection. Callers without such a guarantee use no cache.

#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "base/result.h"
#include "expand/occurrence.h"
#include "graph/event_json.h"
#include "ical/preparation_alarm.h"

namespace plancal::graph {

/// A built event, or why it could not be built; shared read-only between threads.
using SharedEvent = std::shared_ptr<const Result<GraphEvent>>;

/// to_graph_event for one occurrence, not cached.
[[nodiscard]] SharedEvent build_event(const Occurrence& occurrence,
                                      const std::optional<PreparationAlarm>& alarm);

class EventCache {
 public:
  /// `alarm`: the preparation alarm setting every event of the cache is built with.
  explicit EventCache(std::optional<PreparationAlarm> alarm) : alarm_(std::move(alarm)) {}
  EventCache(const EventCache&) = delete;
  EventCache& operator=(const EventCache&) = delete;

  /// The event of `occurrence`, built on first use; safe to call from several threads.
  [[nodiscard]] SharedEvent event(const Occurrence& occurrence);

  /// Events built so far (for tests).
  [[nodiscard]] std::size_t size();

 private:
  std::optional<PreparationAlarm> alarm_;
  std::mutex mutex_;
  std::unordered_map<const Occurrence*, SharedEvent> events_;
};

}  // namespace plancal::graph
