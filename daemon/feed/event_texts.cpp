#include "feed/event_texts.h"

#include <algorithm>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "base/parallel.h"
#include "feed/programme_label.h"

namespace plancal::feed {

SharedText TextPool::find(std::string_view bytes) const {
  const std::lock_guard lock(mutex_);
  const auto found = texts_.find(bytes);
  return found == texts_.end() ? nullptr : found->second;
}

SharedText TextPool::intern(std::string text, const TextPool* previous) {
  if (auto kept = find(text)) return kept;
  SharedText shared = previous != nullptr ? previous->find(text) : nullptr;
  if (!shared) shared = make_text(std::move(text));  // its digest, once per new text
  const std::lock_guard lock(mutex_);
  // Another thread may have kept the same bytes meanwhile: the first one stays.
  return texts_.try_emplace(std::string_view(shared->bytes), shared).first->second;
}

std::size_t TextPool::size() const {
  const std::lock_guard lock(mutex_);
  return texts_.size();
}

EventTexts::KeyView EventTexts::key_of(const EventToRender& event, const std::string& programme,
                                       const CalendarOptions& options) {
  const Occurrence& o = *event.occurrence;
  return {&o, event.revision.cancelled, programme,
          o.timezone.empty() ? options.timezone : o.timezone};
}

void EventTexts::want(const EventToRender& event, const std::string& programme,
                      const CalendarOptions& options) {
  if (event.occurrence == nullptr) return;
  const KeyView key = key_of(event, programme, options);
  if (entries_.find(key) != entries_.end()) return;
  Entry& entry = entries_[Key(std::get<0>(key), std::get<1>(key), std::string(std::get<2>(key)),
                              std::string(std::get<3>(key)))];
  entry.event = event;
  if (!programme.empty()) {
    entry.labelled = labelled_with_programme(*event.occurrence, programme);
    entry.event.occurrence = &entry.labelled;  // map nodes stay put: the pointer holds
  }
  entry.options.timezone = options.timezone;
  entry.options.preparation_alarm = options.preparation_alarm;
}

void EventTexts::render(unsigned threads, TextPool& pool, const TextPool* previous) {
  std::vector<Entry*> pending;
  for (auto& [key, entry] : entries_) {
    if (!entry.text) pending.push_back(&entry);
  }
  parallel_for(pending.size(), std::max(1U, threads), [&](std::size_t i) {
    Entry& entry = *pending[i];
    try {
      entry.text = pool.intern(render_event(entry.options, entry.event), previous);
    } catch (const std::exception& error) {  // a bug: the feeds showing it are not served
      spdlog::error("event {}: rendering failed: {}", entry.event.occurrence->uid, error.what());
    }
  });
}

const SharedText& EventTexts::text(const EventToRender& event, const std::string& programme,
                                   const CalendarOptions& options) const {
  const auto found = entries_.find(key_of(event, programme, options));
  if (found == entries_.end() || !found->second.text) {
    throw std::logic_error("EventTexts::text: an event that was not wanted and rendered");
  }
  return found->second.text;
}

}  // namespace plancal::feed
