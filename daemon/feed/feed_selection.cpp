#include "feed/feed_selection.h"

#include <algorithm>

#include "expand/audience.h"
#include "expand/expander.h"

namespace plancal::feed {

namespace {

constexpr std::int64_t kDaySeconds = 86400;

bool before_in_feed(const EventToRender& a, const EventToRender& b) {
  const Occurrence& x = *a.occurrence;
  const Occurrence& y = *b.occurrence;
  if (x.start != y.start) return x.start < y.start;
  return x.uid < y.uid;
}

/// Adds one event the viewer sees, as it should appear at `now`.
void take_event(const StoredEvent& event, const SelectionPolicy& policy, std::int64_t now,
                FeedSelection& selection) {
  selection.last_modified = std::max(selection.last_modified, event.revision.last_modified);
  if (!event.removed) {
    EventRevision active = event.revision;
    active.cancelled = false;
    selection.events.push_back({&event.occurrence, active});
    return;
  }
  selection.last_modified = std::max(selection.last_modified, event.removed_at);
  if (!policy.keep_cancelled_days) return;
  const std::int64_t expires = event.removed_at + *policy.keep_cancelled_days * kDaySeconds;
  if (now >= expires) return;
  EventRevision cancelled = event.revision;
  cancelled.cancelled = true;
  selection.events.push_back({&event.occurrence, cancelled});
  selection.changes_at = std::min(selection.changes_at.value_or(expires), expires);
}

}  // namespace

Result<FeedSelection> select_feed_events(const Plan& plan, std::string_view audience,
                                         const std::vector<StoredEvent>& events,
                                         const SelectionPolicy& policy, std::int64_t now) {
  const auto parsed = parse_audience(audience, plan);
  if (!parsed) return parsed.error();
  const AudienceView view(plan, *parsed);
  FeedSelection selection;
  for (const auto& event : events) {
    if (event.occurrence.plan_id != plan.id) continue;
    if (!view.sees(event.occurrence.audience)) continue;
    take_event(event, policy, now, selection);
  }
  std::sort(selection.events.begin(), selection.events.end(), before_in_feed);
  return selection;
}

}  // namespace plancal::feed
