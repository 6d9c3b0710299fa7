#include "feed/event_texts.h"

#include <algorithm>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "base/parallel.h"
#include "feed/programme_label.h"

namespace plancal::feed {

EventTexts::Key EventTexts::key_of(const EventToRender& event, const std::string& programme,
                                   const CalendarOptions& options) {
  const Occurrence& o = *event.occurrence;
  return {&o, event.revision.cancelled, programme,
          o.timezone.empty() ? options.timezone : o.timezone};
}

void EventTexts::want(const EventToRender& event, const std::string& programme,
                      const CalendarOptions& options) {
  if (event.occurrence == nullptr) return;
  auto [slot, added] = entries_.try_emplace(key_of(event, programme, options));
  if (!added) return;
  Entry& entry = slot->second;
  entry.event = event;
  if (!programme.empty()) {
    entry.labelled = labelled_with_programme(*event.occurrence, programme);
    entry.event.occurrence = &entry.labelled;  // map nodes stay put: the pointer holds
  }
  entry.options.timezone = options.timezone;
  entry.options.preparation_alarm = options.preparation_alarm;
}

void EventTexts::render(unsigned threads) {
  std::vector<Entry*> pending;
  for (auto& [key, entry] : entries_) {
    if (!entry.text) pending.push_back(&entry);
  }
  parallel_for(pending.size(), std::max(1U, threads), [&](std::size_t i) {
    Entry& entry = *pending[i];
    try {
      entry.text = std::make_shared<const std::string>(render_event(entry.options, entry.event));
    } catch (const std::exception& error) {  // a bug: the feeds showing it are not served
      spdlog::error("event {}: rendering failed: {}", entry.event.occurrence->uid, error.what());
    }
  });
}

const std::shared_ptr<const std::string>& EventTexts::text(const EventToRender& event,
                                                           const std::string& programme,
                                                           const CalendarOptions& options) const {
  const auto found = entries_.find(key_of(event, programme, options));
  if (found == entries_.end() || !found->second.text) {
    throw std::logic_error("EventTexts::text: an event that was not wanted and rendered");
  }
  return found->second.text;
}

}  // namespace plancal::feed
