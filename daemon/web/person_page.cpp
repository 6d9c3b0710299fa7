#include "web/person_page.h"

#include <algorithm>

#include "expand/audience.h"
#include "expand/expander.h"
#include "web/page_layout.h"

namespace plancal::web {

namespace {

/// The plans the scope covers, each with the view of who sees what in it.
struct CoveredPlan {
  std::shared_ptr<const Plan> plan;
  Audience audience;
};

std::vector<CoveredPlan> covered_plans(const PageSource& source, const PageScope& scope) {
  std::vector<CoveredPlan> covered;
  for (auto& plan : source.plans()) {
    if (!scope.plan_id.empty() && plan->id != scope.plan_id) continue;
    auto audience = parse_audience(scope.audience, *plan);
    if (!audience.ok()) continue;  // the audience does not appear in this plan
    covered.push_back({std::move(plan), std::move(audience.value())});
  }
  return covered;
}

bool starts_before(const MeetingView& a, const MeetingView& b) {
  if (a.date_iso != b.date_iso) return a.date_iso < b.date_iso;
  return a.time_text < b.time_text;
}

/// What the feed behind the subscribe buttons calls itself (X-WR-CALNAME), so the calendar
/// is added under the same name.
std::string feed_calendar_name(const std::vector<CoveredPlan>& covered, const PageScope& scope) {
  if (!scope.plan_id.empty() && covered.size() == 1) {
    return calendar_name_for(*covered.front().plan, scope.audience);
  }
  std::vector<const Plan*> plans;
  for (const auto& c : covered) plans.push_back(c.plan.get());
  return cross_plan_calendar_name(plans, scope.audience);
}

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

/// The next meeting shows its agenda; the others keep it folded (a phone scrolls less).
TemplateData meetings_data(const std::vector<MeetingView>& meetings, bool open_first_agenda) {
  TemplateData list(TemplateData::type::list);
  for (std::size_t i = 0; i < meetings.size(); ++i) {
    TemplateData meeting = meeting_data(meetings[i]);
    meeting.set("agenda_open", flag(open_first_agenda && i == 0));
    list.push_back(meeting);
  }
  return list;
}

}  // namespace

std::optional<std::string> audience_name(const Plan& plan, const std::string& audience) {
  return audience_display_name(plan, audience);
}

Result<PersonPage> build_person_page(const PageSource& source, const PageRequest& request) {
  const auto covered = covered_plans(source, request.scope);
  if (covered.empty()) {
    return Error{"no plan has the audience " + request.scope.audience +
                 (request.scope.plan_id.empty() ? "" : " (plan " + request.scope.plan_id + ")")};
  }
  PersonPage page;
  const std::string name =
      audience_name(*covered.front().plan, request.scope.audience).value_or("");
  page.heading = "Kalender for " + name;  // per-plan tokens too: the page is the person's
  page.organisation = covered.front().plan->organizer;
  for (const auto& [plan, audience] : covered) {
    page.programmes.push_back(
        {plan->calendar_name, overview_path_for(request.page_path, request.scope, plan->id)});
    const AudienceView view(*plan, audience);
    for (const auto& event : source.events(plan->id)) {
      if (event.current.plan_id != plan->id || !view.sees(event.current.audience)) continue;
      MeetingView meeting = meeting_view(event, plan->calendar_name, request.now);
      (meeting.past ? page.past : page.upcoming).push_back(std::move(meeting));
    }
  }
  std::sort(page.upcoming.begin(), page.upcoming.end(), starts_before);
  std::sort(page.past.begin(), page.past.end(),
            [](const MeetingView& a, const MeetingView& b) { return starts_before(b, a); });
  if (!request.feed_url.empty()) {
    page.subscribe =
        subscribe_box("", request.feed_url, feed_calendar_name(covered, request.scope));
  }
  return page;
}

std::string render_person_page(const PersonPage& page) {
  TemplateData data = layout_data(page.heading, page.organisation);
  data.set("heading", page.heading);
  TemplateData programmes(TemplateData::type::list);
  for (const auto& programme : page.programmes) {
    TemplateData p;
    p.set("name", programme.name);
    set_text(p, "overview_path", programme.overview_path);
    programmes.push_back(p);
  }
  data.set("programmes", programmes);
  if (page.subscribe) data.set("subscribe", subscribe_data(*page.subscribe, "abonner"));
  data.set("upcoming_meetings", meetings_data(page.upcoming, true));
  data.set("upcoming_count", std::to_string(page.upcoming.size()));
  data.set("has_upcoming", flag(!page.upcoming.empty()));
  data.set("past_meetings", meetings_data(page.past, false));
  data.set("has_past", flag(!page.past.empty()));
  return render_template("person", data);
}

}  // namespace plancal::web
