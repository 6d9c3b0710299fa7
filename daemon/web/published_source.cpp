#include "web/published_source.h"

#include <algorithm>

#include "web/meeting_view.h"

namespace plancal::web {

TrackedEvent tracked_event(const StoredEvent& stored) {
  TrackedEvent event;
  event.current = stored.occurrence;
  event.revision = stored.revision;
  event.removed = stored.removed;
  event.first_published = stored.first_published;
  return event;
}

const std::vector<MakeupOffer>& PageSource::makeup_offers(std::string_view /*person_id*/) const {
  static const std::vector<MakeupOffer> kNone;
  return kNone;
}

PublishedPageSource::PublishedPageSource(std::vector<std::shared_ptr<const Plan>> plans,
                                         const StoredEventsByPlan& events_by_plan,
                                         MakeupOffers offers)
    : plans_(std::move(plans)), offers_(std::move(offers)) {
  for (const auto& plan : plans_) {
    const auto found = events_by_plan.find(plan->id);
    if (found == events_by_plan.end()) continue;
    auto& events = events_[plan->id];
    events.reserve(found->second.size());
    for (const auto& stored : found->second) {
      events.push_back(tracked_event(stored));
      if (const auto end = ends_at(stored.occurrence)) changes_.push_back(*end);
    }
  }
  for (const auto& [person, offers] : offers_) {
    for (const auto& offer : offers) changes_.push_back(offer.starts_at);
  }
  std::sort(changes_.begin(), changes_.end());
}

const std::vector<TrackedEvent>& PublishedPageSource::events(std::string_view plan_id) const {
  static const std::vector<TrackedEvent> kNone;
  const auto found = events_.find(plan_id);
  return found == events_.end() ? kNone : found->second;
}

std::optional<std::string> PublishedPageSource::feed_url(const PageScope& /*scope*/) const {
  return std::nullopt;
}

const std::vector<MakeupOffer>& PublishedPageSource::makeup_offers(
    std::string_view person_id) const {
  const auto found = offers_.find(person_id);
  return found == offers_.end() ? PageSource::makeup_offers(person_id) : found->second;
}

std::optional<std::int64_t> PublishedPageSource::next_change_after(std::int64_t now) const {
  const auto next = std::upper_bound(changes_.begin(), changes_.end(), now);
  if (next == changes_.end()) return std::nullopt;
  return *next;
}

std::optional<std::string> ViewerPageSource::feed_url(const PageScope& scope) const {
  if (granted_.plan_id.empty() || feed_url_.empty()) return std::nullopt;
  if (scope.plan_id != granted_.plan_id) return std::nullopt;
  if (scope.audience == granted_.audience) return feed_url_;
  constexpr std::string_view kTeam = "team:";
  constexpr std::string_view kSuffix = ".ics";
  if (granted_.audience != "all" || !scope.audience.starts_with(kTeam) ||
      !feed_url_.ends_with(kSuffix)) {
    return std::nullopt;
  }
  return feed_url_.substr(0, feed_url_.size() - kSuffix.size()) + "/" +
         scope.audience.substr(kTeam.size()) + std::string(kSuffix);
}

}  // namespace plancal::web
