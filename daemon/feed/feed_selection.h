#pragma once
/// Which stored events one feed shows, and how: the step between the store's history and a
/// rendered calendar. Kept apart from rendering and serving so the rules (who sees what,
/// how long a removed event stays as "AVLYST", what Last-Modified is) are tested alone.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "expand/occurrence.h"
#include "ical/render.h"
#include "plan/model.h"
#include "store/published_events.h"

namespace plancal::feed {

struct SelectionPolicy {
  /// Removed events stay in feeds as cancelled ("AVLYST: ") for this many days, then go;
  /// nullopt (the default) drops them at once.
  std::optional<int> keep_cancelled_days;
};

/// The events of one feed, ready for render_calendar (pointers into the input events).
struct FeedSelection {
  std::vector<EventToRender> events;
  /// max(last_modified, removed_at) over every event the audience ever saw, removed ones
  /// included, so a removal moves it forward and it never goes back.
  std::int64_t last_modified = 0;
  /// When a kept cancelled event expires and the feed must be rebuilt; nullopt if never.
  std::optional<std::int64_t> changes_at;
};

/// The events of `events` (one plan's, in any order) that the feed for `audience` shows at
/// time `now`, sorted by start and UID so the same input gives the same bytes.
[[nodiscard]] Result<FeedSelection> select_feed_events(const Plan& plan, std::string_view audience,
                                                       const std::vector<StoredEvent>& events,
                                                       const SelectionPolicy& policy,
                                                       std::int64_t now);

}  // namespace plancal::feed
