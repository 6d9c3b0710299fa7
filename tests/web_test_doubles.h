#pragma once
/// Test doubles for the web pages: an in-memory PageSource, filled from real plan files (loaded
/// and expanded as plancal does) or from hand-made plans, with the history a test wants.

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "expand/expander.h"
#include "plan/loader.h"
#include "test_support.h"
#include "web/page_source.h"

namespace plancal::testing {

class FakePageSource final : public web::PageSource {
 public:
  /// Adds a plan and publishes its expansion: every event active, none changed yet.
  void add_plan(Plan plan) {
    auto shared = std::make_shared<const Plan>(std::move(plan));
    auto& events = events_[shared->id];
    for (auto& occurrence : expand_plan(*shared)) {
      web::TrackedEvent event;
      event.current = std::move(occurrence);
      events.push_back(std::move(event));
    }
    plans_.push_back(std::move(shared));
  }

  /// Loads config/plans/NAME (or any path) and adds it; throws with the diagnostics on error.
  void add_plan_file(const std::string& path) {
    PlanLoad load = load_plan_file(path);
    if (!load.plan) throw std::runtime_error(diagnostics_text(load.diagnostics));
    add_plan(std::move(*load.plan));
  }

  /// The event with this UID, to give it a history or mark it removed; throws if none.
  web::TrackedEvent& event(const std::string& uid) {
    for (auto& [plan, events] : events_) {
      for (auto& e : events) {
        if (e.current.uid == uid) return e;
      }
    }
    throw std::runtime_error("no event " + uid);
  }

  /// The first event whose UID starts with `prefix` (UIDs are "<plan>.<component>.…").
  web::TrackedEvent& event_starting(const std::string& prefix) {
    for (auto& [plan, events] : events_) {
      for (auto& e : events) {
        if (e.current.uid.rfind(prefix, 0) == 0) return e;
      }
    }
    throw std::runtime_error("no event starting with " + prefix);
  }

  /// Simulates a plan edit after publishing: `edit` changes the current version, and the
  /// version before it becomes the first published one (as the store would remember it).
  template <class Edit>
  void change(const std::string& uid, Edit edit) {
    web::TrackedEvent& e = event(uid);
    if (!e.first_published) e.first_published = e.current;
    edit(e.current);
    e.revision.sequence += 1;
  }

  void set_feed_url(const std::string& plan_id, const std::string& audience, std::string url) {
    feed_urls_[plan_id + "|" + audience] = std::move(url);
  }

  /// The make-up dates offered to the person with this id (read from registers in the server).
  void set_makeup_offers(const std::string& person_id, std::vector<web::MakeupOffer> offers) {
    offers_[person_id] = std::move(offers);
  }

  [[nodiscard]] const std::vector<web::MakeupOffer>& makeup_offers(
      std::string_view person_id) const override {
    const auto found = offers_.find(person_id);
    return found == offers_.end() ? web::PageSource::makeup_offers(person_id) : found->second;
  }

  [[nodiscard]] std::vector<std::shared_ptr<const Plan>> plans() const override { return plans_; }

  [[nodiscard]] const std::vector<web::TrackedEvent>& events(
      std::string_view plan_id) const override {
    static const std::vector<web::TrackedEvent> kNone;
    const auto found = events_.find(std::string(plan_id));
    return found == events_.end() ? kNone : found->second;
  }

  [[nodiscard]] std::optional<std::string> feed_url(const web::PageScope& scope) const override {
    const auto found = feed_urls_.find(scope.plan_id + "|" + scope.audience);
    if (found == feed_urls_.end()) return std::nullopt;
    return found->second;
  }

 private:
  std::vector<std::shared_ptr<const Plan>> plans_;
  std::map<std::string, std::vector<web::TrackedEvent>> events_;
  std::map<std::string, std::string> feed_urls_;
  web::MakeupOffers offers_;
};

}  // namespace plancal::testing
