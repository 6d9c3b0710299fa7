#include "attendance/rule_check.h"

#include <map>
#include <string>

#include <fmt/format.h>

#include "attendance/programme.h"

namespace plancal {

namespace {

/// One person's share of a programme: a rotation's team, a series' row, a weekly slot.
std::string track_of(const Plan& plan, const Occurrence& o) {
  for (const auto& rotation : plan.rotations) {
    if (rotation.key == o.component_key) return occurrence_group_name(plan, o);
  }
  for (const auto& series : plan.series) {
    if (series.key == o.component_key) return occurrence_group_name(plan, o);
  }
  return {};
}

struct Track {
  int minutes = 0;
  std::vector<const Occurrence*> occurrences;
};

/// year -> track -> its meetings.
using Tracks = std::map<int, std::map<std::string, Track>>;

Tracks tracks_of(const Plan& plan, const std::vector<Occurrence>& occurrences,
                 const std::string& component_key) {
  Tracks tracks;
  for (const auto& o : occurrences) {
    if (o.component_key != component_key || !is_registered_meeting(plan, o)) continue;
    Track& track = tracks[o.start.date.year][track_of(plan, o)];
    track.minutes += duration_minutes(o);
    track.occurrences.push_back(&o);
  }
  return tracks;
}

/// "møte 6 lasts 4 hours, the others 3" when the lengths differ; empty when all are equal.
std::string length_note(const Plan& plan, const Track& track) {
  std::map<int, int> count_by_length;
  for (const Occurrence* o : track.occurrences) ++count_by_length[duration_minutes(*o)];
  if (count_by_length.size() < 2) return {};
  int usual = 0;
  int most = 0;
  for (const auto& [length, count] : count_by_length) {
    if (count > most) std::tie(usual, most) = std::tie(length, count);
  }
  std::string note;
  for (const Occurrence* o : track.occurrences) {
    const int length = duration_minutes(*o);
    if (length == usual) continue;
    if (!note.empty()) note += ", ";
    note += fmt::format("{} lasts {} hours", meeting_label_nb(plan, *o), hours_decimal(length));
  }
  return fmt::format(" ({}, the others {})", note, hours_decimal(usual));
}

std::string track_names(const std::map<std::string, Track>& tracks) {
  std::string names;
  for (const auto& [name, track] : tracks) {
    if (name.empty()) continue;
    names += names.empty() ? " for " : ", ";
    names += name;
  }
  return names;
}

void check_year(const Plan& plan, const std::string& what, const AttendanceRule& rule, int year,
                const std::map<std::string, Track>& tracks, Diagnostics& diagnostics) {
  bool all_same = true;
  for (const auto& [name, track] : tracks) {
    all_same = all_same && track.minutes == tracks.begin()->second.minutes;
  }
  const int first = tracks.begin()->second.minutes;
  if (all_same && first == rule.programme_minutes) return;
  const std::string rule_text =
      fmt::format("but its attendance rule says {} hours (programme_hours)",
                  hours_decimal(rule.programme_minutes));
  const std::string hint =
      "each person's hours are counted by the real length of their meetings: make the rule "
      "say what the plan holds, or change the meetings";
  if (all_same) {
    diagnostics.warning(rule.where,
                        fmt::format("the meetings of {} add up to {} hours in {}{}{}, {}", what,
                                    hours_decimal(first), year, track_names(tracks),
                                    length_note(plan, tracks.begin()->second), rule_text),
                        hint);
    return;
  }
  std::string totals;
  for (const auto& [name, track] : tracks) {
    if (!totals.empty()) totals += ", ";
    totals += fmt::format("{} {} hours", name, hours_decimal(track.minutes));
  }
  diagnostics.warning(rule.where,
                      fmt::format("the meetings of {} add up to different hours in {} ({}), {}",
                                  what, year, totals, rule_text),
                      hint);
}

void check_programme(const Plan& plan, const std::vector<Occurrence>& occurrences,
                     const std::string& what, const std::string& key, const AttendanceRule& rule,
                     Diagnostics& diagnostics) {
  if (rule.yearly_minutes && rule.programme_minutes > *rule.yearly_minutes) {
    diagnostics.warning(
        rule.yearly_where,
        fmt::format("{}: programme_hours {} is more than yearly_hours {}", what,
                    hours_decimal(rule.programme_minutes), hours_decimal(*rule.yearly_minutes)),
        "the programme's hours are a part of the yearly hours");
  }
  for (const auto& [year, tracks] : tracks_of(plan, occurrences, key)) {
    check_year(plan, what, rule, year, tracks, diagnostics);
  }
}

}  // namespace

Diagnostics check_attendance_rules(const Plan& plan, const std::vector<Occurrence>& occurrences) {
  Diagnostics diagnostics;
  for (const auto& r : plan.rotations) {
    if (r.attendance)
      check_programme(plan, occurrences, "rotation '" + r.key + "'", r.key, *r.attendance,
                      diagnostics);
  }
  for (const auto& s : plan.series) {
    if (s.attendance)
      check_programme(plan, occurrences, "series '" + s.key + "'", s.key, *s.attendance,
                      diagnostics);
  }
  for (const auto& w : plan.weekly) {
    if (w.attendance)
      check_programme(plan, occurrences, "weekly slot '" + w.key + "'", w.key, *w.attendance,
                      diagnostics);
  }
  return diagnostics;
}

}  // namespace plancal
