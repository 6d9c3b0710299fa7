#include "web/meeting_view.h"

#include <array>

#include "base/norwegian_text.h"
#include "ical/timezone.h"
#include "web/change_lines.h"
#include "web/subscribe_links.h"

namespace plancal::web {

namespace {

std::string short_month_nb(int month) {
  static constexpr std::array<const char*, 12> kShort = {"jan.", "feb.", "mars", "april",
                                                         "mai",  "juni", "juli", "aug.",
                                                         "sep.", "okt.", "nov.", "des."};
  if (month < 1 || month > 12) return "?";
  return kShort.at(static_cast<std::size_t>(month - 1));
}

void fill_content(const Occurrence& o, MeetingView& view) {
  const MeetingContent& c = o.content;
  if (!c.topic.empty() && o.summary.find(c.topic) == std::string::npos) view.topic = c.topic;
  if (!c.speaker.empty()) {
    view.speaker = c.speaker;
    view.speaker_label = c.speaker_label.empty() ? "Foreleser" : c.speaker_label;
  }
  view.preparation = c.preparation;
  for (const auto& item : c.agenda) {
    view.agenda.push_back({time_text_nb(item.time), item.item, item.note});
  }
  view.notes = c.notes;
}

}  // namespace

std::optional<std::int64_t> ends_at(const Occurrence& occurrence) {
  LocalDateTime end = occurrence.end;
  if (occurrence.all_day) end = {occurrence.end.date, {0, 0}};
  const auto end_unix = to_unix_seconds(occurrence.timezone, end);
  if (!end_unix.ok()) return std::nullopt;
  return *end_unix;
}

bool has_ended(const Occurrence& occurrence, std::int64_t now) {
  const auto end = ends_at(occurrence);
  return end && *end <= now;
}

MeetingView meeting_view(const TrackedEvent& event, const std::string& programme,
                         std::int64_t now) {
  const Occurrence& o = event.current;
  MeetingView view;
  view.date_text = date_text_nb(o.start.date);
  view.date_iso = format_date(o.start.date);
  view.day = std::to_string(o.start.date.day);
  view.month = short_month_nb(o.start.date.month);
  view.time_text = o.all_day ? "Frist" : time_span_text_nb(o.start.time, o.end.time);
  view.title = o.summary;
  view.programme = programme;
  view.place = o.location;
  view.online_url = web_link_or_empty(o.url);
  fill_content(o, view);
  if (event.first_published) view.changes = change_lines(*event.first_published, o);
  view.cancelled = event.removed || o.status == OccurrenceStatus::Cancelled;
  view.past = has_ended(o, now);
  view.event = &event;
  return view;
}

bool MeetingViews::ended(const TrackedEvent& event, std::int64_t now) {
  auto found = ends_.find(&event);
  if (found == ends_.end()) found = ends_.emplace(&event, ends_at(event.current)).first;
  return found->second && *found->second <= now;
}

std::shared_ptr<const MeetingView> MeetingViews::view(const TrackedEvent& event,
                                                      const std::string& programme,
                                                      std::int64_t now) {
  bool past = false;
  {
    const std::lock_guard lock(mutex_);
    past = ended(event, now);
    const auto found = views_.find(KeyView{&event, programme, past});
    if (found != views_.end()) return found->second;
  }
  // Made outside the lock: two threads may make the same view at once; the first kept wins.
  auto made = std::make_shared<const MeetingView>(meeting_view(event, programme, now));
  const std::lock_guard lock(mutex_);
  return views_.try_emplace(Key{&event, programme, past}, std::move(made)).first->second;
}

}  // namespace plancal::web
