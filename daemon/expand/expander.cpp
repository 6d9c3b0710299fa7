#include "expand/expander.h"

#include <algorithm>
#include <functional>
#include <tuple>

#include <fmt/format.h>

#include "expand/audience.h"
#include "expand/content.h"
#include "expand/holidays.h"
#include "expand/stream.h"

namespace plancal {

namespace {

/// Where a programme's generator hands each occurrence it makes, in the order it makes them.
using Emit = std::function<void(Occurrence&&)>;

/// The parts every programme kind fills in before the common fields are derived.
struct Draft {
  std::string component;
  std::string meeting;
  std::string occurrence;
  std::string audience;  ///< '+'-joined list
  std::string summary;
  std::string category;
  MeetingContent content;
  DescriptionExtras extras;
  const std::string* shared_description = nullptr;  ///< already rendered for this content
  bool cancelled = false;
  SourceLocation where;
};

Draft make_draft(std::string component, std::string meeting, std::string occurrence,
                 std::string audience, MeetingContent content, SourceLocation where) {
  Draft draft;
  draft.component = std::move(component);
  draft.meeting = std::move(meeting);
  draft.occurrence = std::move(occurrence);
  draft.audience = std::move(audience);
  draft.content = std::move(content);
  draft.where = std::move(where);
  return draft;
}

Occurrence from_draft(const Plan& plan, Draft draft) {
  Occurrence o;
  o.uid = fmt::format("{}.{}.{}.{}.{}@plancal", plan.id, draft.component, draft.meeting,
                      audience_slug(draft.audience), draft.occurrence);
  o.plan_id = plan.id;
  o.component_key = std::move(draft.component);
  o.meeting_key = std::move(draft.meeting);
  o.occurrence_key = std::move(draft.occurrence);
  o.audience = std::move(draft.audience);
  o.status = draft.cancelled ? OccurrenceStatus::Cancelled : OccurrenceStatus::Confirmed;
  o.summary = std::move(draft.summary);
  o.description = draft.shared_description != nullptr ? *draft.shared_description
                                                      : describe(draft.content, draft.extras);
  o.location = location_text(draft.content);
  o.url = online_url(draft.content);
  if (!draft.category.empty()) o.categories.push_back(std::move(draft.category));
  o.timezone = plan.timezone;
  o.content = std::move(draft.content);
  o.where = std::move(draft.where);
  return o;
}

Occurrence timed(const Plan& plan, Draft draft, Date date, TimeSpan time,
                 const OccurrenceOverride* change) {
  if (change != nullptr) {
    time.start = change->start.value_or(time.start);
    time.end = change->end.value_or(time.end);
  }
  Occurrence o = from_draft(plan, std::move(draft));
  o.start = LocalDateTime{date, time.start};
  o.end = LocalDateTime{date, time.end};
  return o;
}

Occurrence all_day(const Plan& plan, Draft draft, Date date) {
  Occurrence o = from_draft(plan, std::move(draft));
  o.kind = OccurrenceKind::Deadline;
  o.all_day = true;
  o.start = LocalDateTime{date, {}};
  o.end = LocalDateTime{add_days(date, 1), {}};
  return o;
}

/// True when an override changes what the description says (not just the time or status).
bool changes_text(const OccurrenceOverride& change) {
  return change.topic || change.speaker || change.location || !change.note.empty();
}

/// Applies an override's content and status to a draft.
void apply_change(Draft& draft, const OccurrenceOverride& change) {
  apply_override(draft.content, change);
  draft.cancelled = draft.cancelled || change.cancelled;
  draft.extras.change_note = change.note;
}

Date first_on_or_after(Date date, Weekday weekday) {
  const int shift = (static_cast<int>(weekday) - static_cast<int>(weekday_of(date)) + 7) % 7;
  return add_days(date, shift);
}

// ---------------------------------------------------------------------------------------------
// Rotation

void expand_rotation(const Plan& plan, const Rotation& rotation, const Emit& out) {
  for (const auto& meeting : rotation.meetings) {
    const MeetingContent content = merge_content(rotation.content, meeting.content);
    const TimeSpan time = meeting.time.value_or(rotation.time);
    const std::string description = describe(content, {});  // shared by unchanged team dates
    for (const auto& team_date : meeting.dates) {
      Draft draft = make_draft(rotation.key,
                               meeting.key.empty() ? std::to_string(meeting.number) : meeting.key,
                               team_date.team, "team:" + team_date.team, content,
                               team_date.where.line > 0 ? team_date.where : meeting.where);
      draft.category = rotation.title;
      if (!changes_text(team_date.change)) draft.shared_description = &description;
      apply_change(draft, team_date.change);
      draft.summary =
          draft.content.topic.empty()
              ? fmt::format("{} {}", rotation.title, meeting.number)
              : fmt::format("{} {}: {}", rotation.title, meeting.number, draft.content.topic);
      out(timed(plan, std::move(draft), team_date.date, time, &team_date.change));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Series

std::vector<Date> row_dates(const Series& series, const SeriesRow& row) {
  const int step = 7 * std::max(series.interval_weeks, 1);
  std::vector<Date> dates;
  if (row.count || !row.until) {
    const int count = row.count.value_or(static_cast<int>(series.sessions.size()));
    for (int i = 0; i < count; ++i) dates.push_back(add_days(row.first, i * step));
    return dates;
  }
  for (Date date = row.first; date <= *row.until; date = add_days(date, step))
    dates.push_back(date);
  return dates;
}

const OccurrenceOverride* change_for(const SeriesRow& row, int index) {
  for (const auto& [number, change] : row.changes) {
    if (number == index) return &change;
  }
  return nullptr;
}

std::string series_summary(const Series& series, const SeriesRow& row, int index, int count,
                           const std::string& topic) {
  std::string summary = fmt::format("{} {}/{}", series.title, index, count);
  if (!topic.empty()) summary += ": " + topic;
  if (series.rows.size() > 1) summary += fmt::format(" ({})", row.name);
  return summary;
}

void expand_series_row(const Plan& plan, const Series& series, const SeriesRow& row,
                       const Emit& out) {
  const auto dates = row_dates(series, row);
  const int count = static_cast<int>(dates.size());
  const auto& audience = row.audience.empty() ? series.audience : row.audience;
  for (int index = 1; index <= count; ++index) {
    const auto session = static_cast<std::size_t>(index - 1);
    Draft draft = make_draft(series.key, row.key, std::to_string(index), join_audiences(audience),
                             session < series.sessions.size()
                                 ? merge_content(series.content, series.sessions[session].content)
                                 : series.content,
                             row.where);
    draft.category = series.title;
    draft.extras.capacity = capacity_text(row.capacity, row.full);
    Date date = dates[session];
    const OccurrenceOverride* change = change_for(row, index);
    if (change != nullptr) {
      apply_change(draft, *change);
      date = change->date.value_or(date);  // `changes: {"2": {date: ...}}` moves it
    }
    draft.summary = series_summary(series, row, index, count, draft.content.topic);
    out(timed(plan, std::move(draft), date, series.time, change));
  }
}

// ---------------------------------------------------------------------------------------------
// Weekly slot

bool in_blackout(const WeeklySlot& slot, Date date) {
  return std::any_of(slot.blackouts.begin(), slot.blackouts.end(),
                     [&](const Blackout& b) { return b.from <= date && date <= b.to; });
}

bool slot_held_on(const WeeklySlot& slot, Date date) {
  if (slot.skip_holidays && norwegian_holiday(date)) return false;
  if (std::find(slot.except.begin(), slot.except.end(), date) != slot.except.end()) return false;
  return !in_blackout(slot, date);
}

void expand_weekly(const Plan& plan, const WeeklySlot& slot, const Emit& out) {
  int index = 0;
  for (Date date = first_on_or_after(slot.from, slot.weekday); date <= slot.until;
       date = add_days(date, 7)) {
    if (!slot_held_on(slot, date)) continue;
    Draft draft = make_draft(slot.key, slot.key, std::to_string(++index),
                             join_audiences(slot.audience), slot.content, slot.where);
    draft.summary = slot.title;
    draft.category = slot.title;
    out(timed(plan, std::move(draft), date, slot.time, nullptr));
  }
}

// ---------------------------------------------------------------------------------------------
// Annual wheel

/// The item's date in `year`; 29 February becomes the 28th in common years.
Date wheel_date(const WheelItem& item, int year) {
  return Date{year, item.month, std::min(item.day, days_in_month(year, item.month))};
}

void expand_wheel(const Plan& plan, const Wheel& wheel, const Emit& out) {
  for (int year = wheel.first_year; year <= wheel.last_year; ++year) {
    for (const auto& item : wheel.items) {
      const bool deadline = item.kind == WheelItemKind::Deadline || !item.time;
      Draft draft = make_draft("wheel", item.key, std::to_string(year),
                               join_audiences(item.responsible), item.content, item.where);
      draft.summary = item.kind == WheelItemKind::Deadline ? "Frist: " + item.title : item.title;
      draft.category = "Årshjul";
      const Date date = wheel_date(item, year);
      out(deadline ? all_day(plan, std::move(draft), date)
                   : timed(plan, std::move(draft), date, *item.time, nullptr));
    }
  }
}

/// Sorts by (start, uid) through an index, so each (large) occurrence moves only once; the
/// order they were made in decides between equal keys (two occurrences with one UID at one
/// time, which `validate` reports), as in OccurrenceStream (expand/stream.h).
std::vector<Occurrence> sorted_by_start_and_uid(std::vector<Occurrence> occurrences) {
  std::vector<std::size_t> order(occurrences.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(occurrences[a].start, occurrences[a].uid, a) <
           std::tie(occurrences[b].start, occurrences[b].uid, b);
  });
  std::vector<Occurrence> sorted;
  sorted.reserve(occurrences.size());
  for (const std::size_t index : order) sorted.push_back(std::move(occurrences[index]));
  return sorted;
}

}  // namespace

void expand_plan_unordered(const Plan& plan, const std::function<void(Occurrence&&)>& out) {
  for (const auto& rotation : plan.rotations) expand_rotation(plan, rotation, out);
  for (const auto& series : plan.series) {
    for (const auto& row : series.rows) expand_series_row(plan, series, row, out);
  }
  for (const auto& slot : plan.weekly) expand_weekly(plan, slot, out);
  if (plan.wheel) expand_wheel(plan, *plan.wheel, out);
}

std::vector<Occurrence> expand_plan(const Plan& plan) {
  std::vector<Occurrence> occurrences;
  expand_plan_unordered(plan,
                        [&occurrences](Occurrence&& o) { occurrences.push_back(std::move(o)); });
  return sorted_by_start_and_uid(std::move(occurrences));
}

}  // namespace plancal
