#include "web/year_overview.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "base/norwegian_text.h"
#include "expand/audience.h"
#include "expand/content.h"
#include "expand/expander.h"
#include "web/meeting_view.h"
#include "web/page_layout.h"
#include "web/signup_page.h"

namespace plancal::web {

namespace {

/// Published events by (component, meeting, occurrence) key, the identity UIDs are made of.
using EventKey = std::tuple<std::string, std::string, std::string>;
using EventIndex = std::map<EventKey, const TrackedEvent*>;

EventIndex index_events(const std::vector<TrackedEvent>& events) {
  EventIndex index;
  for (const auto& event : events) {
    const Occurrence& o = event.current;
    if (is_makeup_copy(o)) continue;  // its plan date is the one the overview shows
    index[{o.component_key, o.meeting_key, o.occurrence_key}] = &event;
  }
  return index;
}

OverviewDate overview_date(const TrackedEvent& event, std::string text, std::int64_t now) {
  const Occurrence& o = event.current;
  OverviewDate date;
  date.text = std::move(text);
  date.full_text = date_text_nb(o.start.date);
  date.iso = format_date(o.start.date);
  date.cancelled = event.removed || o.status == OccurrenceStatus::Cancelled;
  date.moved = event.first_published && event.first_published->start.date != o.start.date;
  date.past = has_ended(o, now);
  return date;
}

std::string day_month_numeric(Date d) { return fmt::format("{:02}.{:02}", d.day, d.month); }
std::string day_month_words(Date d) { return fmt::format("{}. {}", d.day, month_name_nb(d.month)); }

/// The team the viewer belongs to in `plan`, or empty.
std::string viewer_team(const Plan& plan, const Audience& audience) {
  if (audience.kind == Audience::Kind::Team) return audience.key;
  if (audience.kind == Audience::Kind::Person) {
    if (const Person* person = find_person(plan, audience.key)) return person->team;
  }
  return {};
}

std::string team_name(const Plan& plan, const std::string& key) {
  for (const auto& team : plan.teams) {
    if (team.key == key) return team.name.empty() ? team.key : team.name;
  }
  return key;
}

RotationRowView rotation_row(const Rotation& rotation, const RotationMeeting& meeting,
                             const EventIndex& index, std::int64_t now) {
  RotationRowView row;
  row.number = std::to_string(meeting.number);
  const TrackedEvent* first_found = nullptr;
  for (const auto& team : rotation.teams) {
    const std::string meeting_key =
        meeting.key.empty() ? std::to_string(meeting.number) : meeting.key;
    const auto found = index.find({rotation.key, meeting_key, team});
    if (found == index.end()) {
      row.dates.push_back({});
      continue;
    }
    const TrackedEvent& event = *found->second;
    if (!first_found) first_found = &event;
    row.dates.push_back(overview_date(event, day_month_numeric(event.current.start.date), now));
  }
  if (!first_found) return row;
  const Occurrence& o = first_found->current;
  row.topic = o.content.topic;
  row.speaker = o.content.speaker;
  row.speaker_label = o.content.speaker_label.empty() ? "Foreleser" : o.content.speaker_label;
  const bool usual_time = o.start.time == rotation.time.start && o.end.time == rotation.time.end;
  if (!usual_time) row.time_note = time_span_text_nb(o.start.time, o.end.time);
  return row;
}

RotationView rotation_view(const Plan& plan, const Rotation& rotation, const EventIndex& index,
                           const std::string& mine, std::int64_t now) {
  RotationView view;
  view.title = rotation.title;
  view.time_text = time_span_text_nb(rotation.time.start, rotation.time.end);
  view.place = location_text(rotation.content);
  for (const auto& team : rotation.teams)
    view.teams.push_back({team_name(plan, team), team == mine});
  for (const auto& meeting : rotation.meetings) {
    view.rows.push_back(rotation_row(rotation, meeting, index, now));
  }
  return view;
}

SeriesView series_view(const Series& series, const std::vector<TrackedEvent>& events,
                       std::int64_t now) {
  SeriesView view;
  view.title = series.title;
  view.time_text = time_span_text_nb(series.time.start, series.time.end);
  view.place = location_text(series.content);
  view.notes = series.content.notes;
  if (series.registration_deadline) {
    view.deadline_text = "Påmeldingsfrist: " + date_text_nb(*series.registration_deadline);
  }
  for (const auto& row : series.rows) {
    SeriesRowView row_view;
    row_view.name = row.name.empty() ? row.key : row.name;
    row_view.places = capacity_text(row.capacity, /*full=*/false);  // FULLT is its own badge
    row_view.full = row.full;
    std::vector<const TrackedEvent*> dated;
    for (const auto& event : events) {
      const Occurrence& o = event.current;
      if (o.component_key == series.key && o.meeting_key == row.key && !is_makeup_copy(o)) {
        dated.push_back(&event);
      }
    }
    std::sort(dated.begin(), dated.end(), [](const TrackedEvent* a, const TrackedEvent* b) {
      return a->current.start < b->current.start;
    });
    for (const TrackedEvent* event : dated) {
      row_view.dates.push_back(
          overview_date(*event, day_month_words(event->current.start.date), now));
    }
    view.rows.push_back(std::move(row_view));
  }
  return view;
}

std::vector<DatedItem> other_dates(const Plan& plan, const std::vector<TrackedEvent>& events,
                                   std::int64_t now) {
  std::set<std::string> programme_keys;
  for (const auto& rotation : plan.rotations) programme_keys.insert(rotation.key);
  for (const auto& series : plan.series) programme_keys.insert(series.key);
  std::vector<const TrackedEvent*> rest;
  for (const auto& event : events) {
    if (!programme_keys.contains(event.current.component_key) && !is_makeup_copy(event.current)) {
      rest.push_back(&event);
    }
  }
  std::sort(rest.begin(), rest.end(), [](const TrackedEvent* a, const TrackedEvent* b) {
    return std::tie(a->current.start, a->current.uid) < std::tie(b->current.start, b->current.uid);
  });
  std::vector<DatedItem> items;
  for (const TrackedEvent* event : rest) {
    const Occurrence& o = event->current;
    items.push_back({overview_date(*event, date_text_nb(o.start.date), now),
                     o.all_day ? "Frist" : time_span_text_nb(o.start.time, o.end.time), o.summary});
  }
  return items;
}

std::vector<SubscribeBox> subscribe_boxes(const PageSource& source, const Plan& plan) {
  std::vector<std::pair<std::string, std::string>> audiences;  // (audience, heading)
  for (const auto& team : plan.teams)
    audiences.emplace_back("team:" + team.key, team_name(plan, team.key));
  audiences.emplace_back("all", audiences.empty() ? "Hele programmet" : "Alle team");
  std::vector<SubscribeBox> boxes;
  for (const auto& [audience, heading] : audiences) {
    const auto url = source.feed_url({audience, plan.id});
    if (!url) continue;
    boxes.push_back(subscribe_box(heading, *url, calendar_name_for(plan, audience)));
  }
  return boxes;
}

}  // namespace

Result<YearOverview> build_year_overview(const PageSource& source, const PageRequest& request,
                                         const std::string& plan_id) {
  const std::string& wanted = request.scope.plan_id.empty() ? plan_id : request.scope.plan_id;
  std::shared_ptr<const Plan> plan;
  for (auto& candidate : source.plans()) {
    if (candidate->id == wanted) plan = std::move(candidate);
  }
  if (!plan) return Error{"no plan " + wanted + " in the config"};
  const auto audience = parse_audience(request.scope.audience, *plan);
  if (!audience.ok()) {
    return Error{"the audience " + request.scope.audience + " does not appear in plan " + wanted};
  }
  const std::vector<TrackedEvent> events = source.events(plan->id);
  const EventIndex index = index_events(events);
  const std::string mine = viewer_team(*plan, audience.value());

  YearOverview overview;
  overview.heading = plan->title;
  overview.organisation = plan->organizer;
  if (!mine.empty() && !plan->rotations.empty()) {
    overview.viewer_note = "Datoene for " + team_name(*plan, mine) + " er uthevet.";
  }
  for (const auto& rotation : plan->rotations) {
    overview.rotations.push_back(rotation_view(*plan, rotation, index, mine, request.now));
  }
  for (const auto& series : plan->series) {
    overview.series.push_back(series_view(series, events, request.now));
    if (series.registration_deadline) {
      overview.series.back().signup_path = signup_page_path(plan->id, series.key);
    }
  }
  overview.other_dates = other_dates(*plan, events, request.now);
  overview.subscribe = subscribe_boxes(source, *plan);
  overview.back_path = request.page_path;
  return overview;
}

}  // namespace plancal::web

namespace plancal::web {

namespace {

TemplateData date_data(const OverviewDate& date, bool mine) {
  TemplateData data;
  data.set("text", date.text);
  data.set("full_text", date.full_text);
  set_text(data, "iso", date.iso);
  data.set("cancelled", flag(date.cancelled));
  data.set("moved", flag(date.moved && !date.cancelled));
  data.set("past", flag(date.past));
  data.set("mine", flag(mine));
  return data;
}

TemplateData rotation_data(const RotationView& rotation, std::size_t index) {
  TemplateData data;
  data.set("index", std::to_string(index + 1));
  data.set("title", rotation.title);
  data.set("time_text", rotation.time_text);
  set_text(data, "place", rotation.place);
  TemplateData teams(TemplateData::type::list);
  for (const auto& team : rotation.teams) {
    TemplateData t;
    t.set("name", team.name);
    t.set("mine", flag(team.mine));
    teams.push_back(t);
  }
  data.set("teams", teams);
  data.set("team_count", std::to_string(rotation.teams.size()));
  TemplateData rows(TemplateData::type::list);
  for (const auto& row : rotation.rows) {
    TemplateData r;
    r.set("number", row.number);
    TemplateData cells(TemplateData::type::list);
    for (std::size_t i = 0; i < row.dates.size(); ++i) {
      const bool mine = i < rotation.teams.size() && rotation.teams[i].mine;
      cells.push_back(date_data(row.dates[i], mine));
    }
    r.set("cells", cells);
    r.set("topic", row.topic);
    set_text(r, "speaker", row.speaker);
    r.set("speaker_label", row.speaker_label);
    set_text(r, "time_note", row.time_note);
    rows.push_back(r);
  }
  data.set("rows", rows);
  return data;
}

TemplateData series_data(const SeriesView& series, std::size_t index) {
  TemplateData data;
  data.set("index", std::to_string(index + 1));
  data.set("title", series.title);
  data.set("time_text", series.time_text);
  set_text(data, "place", series.place);
  set_text(data, "deadline_text", series.deadline_text);
  set_text(data, "signup_path", series.signup_path);
  set_text(data, "notes", series.notes);
  TemplateData rows(TemplateData::type::list);
  for (std::size_t i = 0; i < series.rows.size(); ++i) {
    const SeriesRowView& row = series.rows[i];
    TemplateData r;
    r.set("index", std::to_string(i + 1));
    r.set("series_index", std::to_string(index + 1));
    r.set("name", row.name);
    r.set("full", flag(row.full));
    set_text(r, "places", row.places);
    TemplateData dates(TemplateData::type::list);
    for (const auto& date : row.dates) dates.push_back(date_data(date, false));
    r.set("dates", dates);
    rows.push_back(r);
  }
  data.set("rows", rows);
  return data;
}

}  // namespace

std::string render_year_overview(const YearOverview& overview) {
  TemplateData data = layout_data(overview.heading, overview.organisation);
  data.set("heading", overview.heading);
  set_text(data, "viewer_note", overview.viewer_note);
  set_text(data, "back_path", overview.back_path);
  TemplateData rotations(TemplateData::type::list);
  for (std::size_t i = 0; i < overview.rotations.size(); ++i) {
    rotations.push_back(rotation_data(overview.rotations[i], i));
  }
  data.set("rotations", rotations);
  TemplateData series(TemplateData::type::list);
  for (std::size_t i = 0; i < overview.series.size(); ++i) {
    series.push_back(series_data(overview.series[i], i));
  }
  data.set("series", series);
  TemplateData others(TemplateData::type::list);
  for (const auto& item : overview.other_dates) {
    TemplateData o = date_data(item.date, false);
    o.set("time_text", item.time_text);
    o.set("title", item.title);
    others.push_back(o);
  }
  data.set("other_dates", others);
  data.set("has_other_dates", flag(!overview.other_dates.empty()));
  TemplateData boxes(TemplateData::type::list);
  for (std::size_t i = 0; i < overview.subscribe.size(); ++i) {
    boxes.push_back(subscribe_data(overview.subscribe[i], "abonner-" + std::to_string(i + 1)));
  }
  data.set("subscribe", boxes);
  data.set("has_subscribe", flag(!overview.subscribe.empty()));
  data.set("single_box", flag(overview.subscribe.size() == 1));
  data.set("has_teams", flag(!overview.rotations.empty()));
  return render_template("overview", data);
}

}  // namespace plancal::web
