#pragma once
/// What plancal has published: every plan's calendar-level facts and every event it ever
/// published, in the state database.
///
/// Feeds and push targets must show a calendar client an *update* when the plan changes and
/// *nothing new* when it does not. So every event is kept with a hash of what a subscriber
/// sees, its SEQUENCE, DTSTAMP and LAST-MODIFIED: an unchanged event keeps its revision (and
/// renders byte-identically), a changed one gets SEQUENCE+1. Events that leave the plan are
/// kept as `removed` (history for reminders, push targets and pages), and an event that
/// changed keeps the version subscribers first got, so a page can say "Flyttet fra …".

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "expand/event_revision.h"
#include "expand/occurrence.h"
#include "plan/model.h"
#include "store/database.h"

namespace plancal {

/// One published event and its history.
struct StoredEvent {
  Occurrence occurrence;   ///< as last published (for a removed event: its last version)
  EventRevision revision;  ///< `cancelled` is set for removed events
  std::string content_hash;
  bool removed = false;
  std::int64_t removed_at = 0;  ///< Unix seconds; 0 while active
  /// The version first published, kept from the event's first change on; nullopt while it
  /// never changed (and for events that changed before the store kept it, schema 4).
  std::optional<Occurrence> first_published;
};

/// What one publish did to one plan. An event that comes back after removal counts as added.
struct PublishSummary {
  int added = 0, changed = 0, removed = 0, unchanged = 0;
};

/// A plan's calendar-level facts as of its last publish.
struct PublishedPlan {
  std::string plan_id;
  std::string title;
  std::string calendar_name;  ///< X-WR-CALNAME; the title when the plan sets none
  std::string timezone;       ///< X-WR-TIMEZONE
  std::int64_t published_at = 0;
};

class PublishedEvents {
 public:
  explicit PublishedEvents(StateDatabase database) : database_(std::move(database)) {}

  /// The connection it writes through, for work that follows a publish in the same process
  /// (the meeting invitations of placed registrations) without opening the file again.
  [[nodiscard]] StateDatabase database() const { return database_; }

  /// Makes the store match `occurrences` (the whole expansion of `plan`) in ONE transaction:
  /// a crash or an error at any point leaves the previous state. New events get SEQUENCE 0,
  /// changed ones SEQUENCE+1, and both DTSTAMP = LAST-MODIFIED = `now`; unchanged events are
  /// not touched; events of this plan missing from `occurrences` become removed (SEQUENCE+1)
  /// and come back active (SEQUENCE+1) if they reappear. Order does not matter. A new stamp
  /// is never earlier than the event's previous LAST-MODIFIED (clock set back).
  Result<PublishSummary> publish(const Plan& plan, const std::vector<Occurrence>& occurrences,
                                 std::int64_t now);

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
  /// What the last publish recorded about the plan (calendar name, zone), so a feed can be
  /// rendered without reading the plan file; nullopt when never published.
  std::optional<PublishedPlan> plan_info(const std::string& plan_id);

  /// Grows with every publish of any plan by any process, one that changed nothing
  /// included; 0 before the first. A server compares it with the value its feeds were
  /// built from to notice a publish made by another process.
  std::int64_t last_publish_id();

 private:
  StateDatabase database_;
};

}  // namespace plancal
