#pragma once
/// The pages' PageSource over what plancal published: the plans in force and the events the
/// state store holds for them (with the version each event was first published in), taken
/// from the same store read the feeds were last built from, so a page never shows what its
/// feed does not. Immutable once built: server threads share one while the next is prepared.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/published_events.h"
#include "web/page_source.h"

namespace plancal::web {

/// Events by plan id, as the store reads them.
using StoredEventsByPlan = std::map<std::string, std::vector<StoredEvent>, std::less<>>;

/// What a page says about a stored event: removed ones are AVLYST, and the first published
/// version is there when the event has changed since.
[[nodiscard]] TrackedEvent tracked_event(const StoredEvent& stored);

class PublishedPageSource final : public PageSource {
 public:
  /// `plans` in the config's order; events of plans not among them are left out. `offers`:
  /// the make-up dates of the people who have some (service/makeup_offers.h).
  PublishedPageSource(std::vector<std::shared_ptr<const Plan>> plans,
                      const StoredEventsByPlan& events_by_plan, MakeupOffers offers = {});

  [[nodiscard]] std::vector<std::shared_ptr<const Plan>> plans() const override { return plans_; }
  [[nodiscard]] const std::vector<TrackedEvent>& events(std::string_view plan_id) const override;
  /// No audience has a link of its own here: links belong to tokens (see ViewerPageSource).
  [[nodiscard]] std::optional<std::string> feed_url(const PageScope& scope) const override;
  [[nodiscard]] const std::vector<MakeupOffer>& makeup_offers(
      std::string_view person_id) const override;

  /// The first moment after `now` at which some event ends (a page built at `now` moves a
  /// meeting from upcoming to past) or a make-up date starts (it is no longer offered): until
  /// then a page reads the same. nullopt when nothing changes after `now`.
  [[nodiscard]] std::optional<std::int64_t> next_change_after(std::int64_t now) const;

 private:
  std::vector<std::shared_ptr<const Plan>> plans_;
  std::map<std::string, std::vector<TrackedEvent>, std::less<>> events_;
  MakeupOffers offers_;
  std::vector<std::int64_t> changes_;  ///< every event's end and offer's start, sorted
};

/// One viewer's PageSource: the published one, plus the feed links the viewer's token grants:
/// its own feed, and for a plan's `all` token each team's feed of that plan below it
/// (`/feeds/<token>/<team>.ics`, feed/request_handler.h). No other link can be made: the
/// store keeps no secret.
class ViewerPageSource final : public PageSource {
 public:
  ViewerPageSource(const PageSource& published, PageScope granted, std::string feed_url)
      : published_(published), granted_(std::move(granted)), feed_url_(std::move(feed_url)) {}

  [[nodiscard]] std::vector<std::shared_ptr<const Plan>> plans() const override {
    return published_.plans();
  }
  [[nodiscard]] const std::vector<TrackedEvent>& events(std::string_view plan_id) const override {
    return published_.events(plan_id);
  }
  [[nodiscard]] std::optional<std::string> feed_url(const PageScope& scope) const override;
  [[nodiscard]] const std::vector<MakeupOffer>& makeup_offers(
      std::string_view person_id) const override {
    return published_.makeup_offers(person_id);
  }

 private:
  const PageSource& published_;
  PageScope granted_;
  std::string feed_url_;
};

}  // namespace plancal::web
