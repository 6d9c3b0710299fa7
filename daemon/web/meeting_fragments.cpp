#include "web/meeting_fragments.h"

#include "web/templates.h"

namespace plancal::web {

namespace {

TemplateData meeting_data(const MeetingView& m) {
  TemplateData data;
  data.set("date_text", m.date_text);
  data.set("date_iso", m.date_iso);
  data.set("day", m.day);
  data.set("month", m.month);
  data.set("time_text", m.time_text);
  data.set("title", m.title);
  data.set("programme", m.programme);
  set_text(data, "place", m.place);
  set_text(data, "online_url", m.online_url);
  set_text(data, "topic", m.topic);
  set_text(data, "speaker_label", m.speaker_label);
  set_text(data, "speaker", m.speaker);
  data.set("preparation", text_list(m.preparation));
  data.set("has_preparation", flag(!m.preparation.empty()));
  TemplateData agenda(TemplateData::type::list);
  for (const auto& line : m.agenda) {
    TemplateData item;
    item.set("time", line.time);
    item.set("item", line.item);
    set_text(item, "note", line.note);
    agenda.push_back(item);
  }
  data.set("agenda", agenda);
  data.set("has_agenda", flag(!m.agenda.empty()));
  set_text(data, "notes", m.notes);
  data.set("changes", text_list(m.changes));
  data.set("has_changes", flag(!m.changes.empty()));
  data.set("cancelled", flag(m.cancelled));
  data.set("past", flag(m.past));
  return data;
}

}  // namespace

std::string render_meeting(const MeetingView& meeting, bool agenda_open) {
  TemplateData data = meeting_data(meeting);
  data.set("agenda_open", flag(agenda_open));
  return render_template("meeting", data);
}

std::shared_ptr<const std::string> MeetingFragments::html(const MeetingView& meeting,
                                                          bool agenda_open) {
  if (meeting.event == nullptr) {
    return std::make_shared<const std::string>(render_meeting(meeting, agenda_open));
  }
  Key key{meeting.event, meeting.programme, meeting.past, agenda_open};
  {
    const std::lock_guard lock(mutex_);
    if (const auto found = kept_.find(key); found != kept_.end()) return found->second;
  }
  // Rendered outside the lock: two threads may render the same meeting at once, to the
  // same bytes; the first one kept wins.
  auto html = std::make_shared<const std::string>(render_meeting(meeting, agenda_open));
  const std::lock_guard lock(mutex_);
  return kept_.try_emplace(std::move(key), std::move(html)).first->second;
}

std::shared_ptr<const std::string> MeetingFragments::list_html(
    const std::vector<std::shared_ptr<const MeetingView>>& meetings, bool open_first_agenda) {
  ListKey key{meetings, open_first_agenda};
  {
    const std::lock_guard lock(mutex_);
    if (const auto found = lists_.find(key); found != lists_.end()) return found->second;
  }
  std::vector<std::shared_ptr<const std::string>> articles;
  std::size_t size = 0;
  for (std::size_t i = 0; i < meetings.size(); ++i) {
    articles.push_back(html(*meetings[i], open_first_agenda && i == 0));
    size += articles.back()->size() + 1;
  }
  auto joined = std::make_shared<std::string>();
  joined->reserve(size);
  for (const auto& article : articles) {
    if (!joined->empty()) *joined += '\n';
    *joined += *article;
  }
  const std::lock_guard lock(mutex_);
  return lists_.try_emplace(std::move(key), std::move(joined)).first->second;
}

std::size_t MeetingFragments::size() const {
  const std::lock_guard lock(mutex_);
  return kept_.size();
}

}  // namespace plancal::web
