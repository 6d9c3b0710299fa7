#include "plan/checks.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "base/text.h"
#include "plan/builder.h"
#include "schema/schema_check.h"

namespace plancal {

namespace {

/// "A, B, C", or the first dozen and how many more: a hint stays one readable line.
std::string list_text(const std::vector<std::string>& items) {
  constexpr std::size_t kShown = 12;
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < kShown; ++i)
    out += (i > 0 ? ", " : "") + shown_text(items[i]);
  if (items.size() > kShown) out += fmt::format(" and {} more", items.size() - kShown);
  return out;
}

/// The names a plan declares in one section (teams, roles, roster), for quick look-ups.
class NameList {
 public:
  void add(const std::string& name) {
    names_.push_back(name);
    known_.insert(name);
  }
  [[nodiscard]] bool contains(const std::string& name) const { return known_.count(name) > 0; }
  [[nodiscard]] bool empty() const { return names_.empty(); }
  [[nodiscard]] const std::vector<std::string>& in_order() const { return names_; }
  /// Sorted without repeats (made once, when the first unknown name needs a hint).
  [[nodiscard]] const std::vector<std::string>& sorted() const {
    if (sorted_.empty() && !names_.empty()) {
      sorted_.assign(known_.begin(), known_.end());
      std::sort(sorted_.begin(), sorted_.end());
    }
    return sorted_;
  }

 private:
  std::vector<std::string> names_;
  std::unordered_set<std::string> known_;
  mutable std::vector<std::string> sorted_;
};

std::string weekday_text(Weekday weekday) {
  return fmt::format("{} ({})", weekday_code(weekday), weekday_name_nb(weekday));
}

/// Collects the checks' findings, locating them through the plan document.
class Checker {
 public:
  Checker(const Plan& plan, const MarkedJson& doc, const CheckScope& scope)
      : plan_(plan), doc_(doc), scope_(scope), roster_inline_(scope.roster_inline) {
    for (const auto& t : plan.teams) teams_.add(t.key);
    for (const auto& r : plan.roles) roles_.add(r.key);
    for (const auto& p : plan.roster) people_.add(p.id);
  }

  Diagnostics run() {
    declarations();
    programme_keys();
    for (std::size_t i = 0; i < plan_.rotations.size(); ++i)
      rotation(plan_.rotations[i], "/rotations/" + std::to_string(i));
    for (std::size_t i = 0; i < plan_.series.size(); ++i)
      series(plan_.series[i], "/series/" + std::to_string(i));
    for (std::size_t i = 0; i < plan_.weekly.size(); ++i)
      weekly(plan_.weekly[i], "/weekly/" + std::to_string(i));
    if (plan_.wheel) wheel(*plan_.wheel, "/wheel");
    return std::move(diagnostics_);
  }

 private:
  SourceLocation at(const std::string& pointer) const { return doc_.where(pointer); }
  void error(SourceLocation where, std::string message, std::string hint = {}) {
    diagnostics_.error(std::move(where), std::move(message), std::move(hint));
  }

  // --- names declared once -------------------------------------------------------------------
  /// Reports keys seen before; `where(i)` locates the i-th key.
  template <class Where>
  void unique(const std::vector<std::string>& keys, const std::string& what, Where where) {
    std::map<std::string, std::size_t> first;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const auto [it, inserted] = first.emplace(keys[i], i);
      if (inserted) continue;
      const SourceLocation before = where(it->second);
      error(where(i), fmt::format("{} {} is declared twice", what, quoted_text(keys[i])),
            fmt::format("the first is at line {}; keys must be unique", before.line));
    }
  }

  void declarations() {
    unique(teams_.in_order(), "team",
           [this](std::size_t i) { return at(fmt::format("/teams/{}/key", i)); });
    unique(roles_.in_order(), "role",
           [this](std::size_t i) { return at(fmt::format("/roles/{}/key", i)); });
    unique(people_.in_order(), "person id", [this](std::size_t i) { return person_at(i, "id"); });
    for (std::size_t i = 0; i < plan_.roster.size(); ++i) person(plan_.roster[i], i);
    reporting_cycles();
  }

  SourceLocation person_at(std::size_t i, const char* field) const {
    if (roster_inline_) return at(fmt::format("/roster/{}/{}", i, field));
    return plan_.roster[i].where;
  }

  void person(const Person& p, std::size_t i) {
    if (!p.team.empty()) reference(p.team, teams_, "team", person_at(i, "team"), "teams");
    for (std::size_t k = 0; k < p.roles.size(); ++k) {
      const SourceLocation where =
          roster_inline_ ? at(fmt::format("/roster/{}/roles/{}", i, k)) : p.where;
      reference(p.roles[k], roles_, "role", where, "roles");
    }
    if (p.reports_to.empty()) return;
    if (p.reports_to == p.id) {
      error(person_at(i, "reports_to"), fmt::format("{} reports to themselves", shown_text(p.id)),
            "reports_to names the person's leader");
    } else {
      reference(p.reports_to, people_, "person", person_at(i, "reports_to"), "roster");
    }
  }

  /// `name` must be one of `known`; `section` is where it would be declared.
  void reference(const std::string& name, const NameList& known, const std::string& what,
                 SourceLocation where, const std::string& section) {
    if (known.contains(name)) return;
    if ((section == "teams" && !scope_.teams_complete) ||
        (section == "roles" && !scope_.roles_complete) ||
        (section == "roster" && !scope_.roster_complete)) {
      return;  // the list has schema errors: the name may well be declared in the broken entry
    }
    // Comparing with every name costs time on a roster of thousands; suggest among few only.
    constexpr std::size_t kMaxSuggestFrom = 500;
    const std::vector<std::string>& names = known.sorted();
    const std::string suggestion =
        names.size() <= kMaxSuggestFrom ? closest_word(name, names) : std::string();
    std::string hint =
        suggestion.empty()
            ? (known.empty()
                   ? fmt::format("the plan declares no {} (add a {}: list)", section, section)
               : names.size() > 12
                   ? fmt::format("check the spelling, or add it to {}:", section)
                   : fmt::format("known: {}; or add it to {}:", list_text(names), section))
            : fmt::format("did you mean {}?", quoted_text(suggestion));
    error(std::move(where), fmt::format("unknown {} {}", what, quoted_text(name)), std::move(hint));
  }

  /// reports_to chains that come back to where they started (a self-report is reported by
  /// person()): each circle once, at the reports_to of its first person in the roster, naming
  /// everyone in it. Every person has one reports_to, so following them is linear.
  void reporting_cycles() {
    const auto& roster = plan_.roster;
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < roster.size(); ++i) index.emplace(roster[i].id, i);
    const auto leader_of = [&](std::size_t i) -> std::optional<std::size_t> {
      const auto it = index.find(roster[i].reports_to);
      if (roster[i].reports_to.empty() || it == index.end() || it->second == i) return std::nullopt;
      return it->second;
    };
    enum class State { Unseen, OnPath, Done };
    std::vector<State> state(roster.size(), State::Unseen);
    for (std::size_t start = 0; start < roster.size(); ++start) {
      std::vector<std::size_t> path;
      std::optional<std::size_t> at = start;
      while (at && state[*at] == State::Unseen) {
        state[*at] = State::OnPath;
        path.push_back(*at);
        at = leader_of(*at);
      }
      if (at && state[*at] == State::OnPath) {
        const auto first = std::find(path.begin(), path.end(), *at);
        report_cycle(std::vector<std::size_t>(first, path.end()));
      }
      for (const std::size_t i : path) state[i] = State::Done;
    }
  }

  void report_cycle(std::vector<std::size_t> cycle) {
    std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
    constexpr std::size_t kShownLinks = 10;
    std::string links;
    for (std::size_t k = 0; k < cycle.size() && k < kShownLinks; ++k) {
      const Person& p = plan_.roster[cycle[k]];
      links += fmt::format("{}{} reports to {}", k > 0 ? ", " : "", shown_text(p.id),
                           shown_text(p.reports_to));
    }
    if (cycle.size() > kShownLinks) links += fmt::format(", and so on ({} people)", cycle.size());
    error(person_at(cycle.front(), "reports_to"),
          fmt::format("reports_to goes round in a circle: {}", links),
          "someone in the circle must report to a leader outside it, or to nobody");
  }

  void audiences(const std::vector<std::string>& list, const std::string& pointer) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string& a = list[i];
      const SourceLocation where = at(pointer + "/" + std::to_string(i));
      const auto colon = a.find(':');
      if (colon == std::string::npos) continue;  // "all"
      const std::string kind = a.substr(0, colon);
      const std::string name = a.substr(colon + 1);
      if (kind == "team") reference(name, teams_, "team", where, "teams");
      if (kind == "role") reference(name, roles_, "role", where, "roles");
      if (kind == "person") reference(name, people_, "person", where, "roster");
    }
  }

  void programme_keys() {
    std::vector<std::string> keys;
    std::vector<std::string> pointers;
    const auto add = [&](const std::string& key, const std::string& pointer) {
      keys.push_back(key);
      pointers.push_back(pointer + "/key");
    };
    for (std::size_t i = 0; i < plan_.rotations.size(); ++i)
      add(plan_.rotations[i].key, fmt::format("/rotations/{}", i));
    for (std::size_t i = 0; i < plan_.series.size(); ++i)
      add(plan_.series[i].key, fmt::format("/series/{}", i));
    for (std::size_t i = 0; i < plan_.weekly.size(); ++i)
      add(plan_.weekly[i].key, fmt::format("/weekly/{}", i));
    unique(keys, "programme key", [&](std::size_t i) { return at(pointers[i]); });
  }

  // --- times ---------------------------------------------------------------------------------
  void span(const TimeSpan& t, const std::string& pointer) {
    if (t.end > t.start) return;
    error(at(pointer + "/end"),
          fmt::format("the meeting ends at {} but starts at {}: the end must come after the start",
                      format_time(t.end), format_time(t.start)),
          "times are HH:MM on the 24-hour clock, e.g. start: \"09:00\", end: \"12:00\"");
  }

  /// A one-off change's start/end against the time it changes.
  void changed_span(const OccurrenceOverride& c, const TimeSpan& base, const std::string& pointer) {
    if (!c.start && !c.end) return;
    const TimeSpan t{c.start.value_or(base.start), c.end.value_or(base.end)};
    if (t.end > t.start) return;
    error(at(pointer + (c.end ? "/end" : "/start")),
          fmt::format("with this change the meeting ends at {} but starts at {}",
                      format_time(t.end), format_time(t.start)),
          "the end must come after the start");
  }

  /// A period of more than ten years is almost always a typo in a year (2204 for 2024).
  void period_length(Date from, Date until, const std::string& pointer, const std::string& what) {
    if (from.year == 0 || until.year == 0 || days_from_civil(until) - days_from_civil(from) <= 3653)
      return;
    error(at(pointer),
          fmt::format("{} runs from {} to {}: more than ten years", what, format_date(from),
                      format_date(until)),
          "check the year; make a new plan for each period instead");
  }

  // --- rotations -----------------------------------------------------------------------------
  void rotation(const Rotation& r, const std::string& p) {
    span(r.time, p + "/time");
    for (std::size_t i = 0; i < r.teams.size(); ++i)
      reference(r.teams[i], teams_, "team", at(fmt::format("{}/teams/{}", p, i)), "teams");
    unique(r.teams, "team", [&](std::size_t i) { return at(fmt::format("{}/teams/{}", p, i)); });
    std::vector<std::string> numbers;
    std::vector<std::string> keys;
    for (const auto& m : r.meetings) {
      numbers.push_back(std::to_string(m.number));
      keys.push_back(m.key);
    }
    unique(numbers, fmt::format("in rotation {}, meeting number", quoted_text(r.key)),
           [&](std::size_t i) { return at(fmt::format("{}/meetings/{}/number", p, i)); });
    if (numbers != keys) {
      unique(keys, fmt::format("in rotation {}, meeting key", quoted_text(r.key)),
             [&](std::size_t i) { return at(fmt::format("{}/meetings/{}", p, i)); });
    }
    for (std::size_t i = 0; i < r.meetings.size(); ++i)
      meeting(r, r.meetings[i], fmt::format("{}/meetings/{}", p, i));
  }

  void meeting(const Rotation& r, const RotationMeeting& m, const std::string& p) {
    if (m.time) span(*m.time, p + "/time");
    const TimeSpan base = m.time.value_or(r.time);
    const std::unordered_set<std::string> rotation_teams(r.teams.begin(), r.teams.end());
    std::unordered_set<std::string> dated_teams;
    for (const auto& d : m.dates) {
      dated_teams.insert(d.team);
      const std::string e = pointer_append(p + "/dates", d.team);
      const bool is_object = doc_.json.contains(nlohmann::json::json_pointer(e)) &&
                             doc_.json.at(nlohmann::json::json_pointer(e)).is_object();
      const std::string date_pointer = is_object ? e + "/date" : e;
      if (rotation_teams.count(d.team) == 0) {
        error(d.where,
              fmt::format("team {} is not a team of rotation {}", quoted_text(d.team),
                          quoted_text(r.key)),
              fmt::format("the rotation's teams are {}", list_text(r.teams)));
      }
      if (d.date.year != 0 && weekday_of(d.date) != r.weekday) {
        error(at(date_pointer),
              fmt::format("meeting {}: the date for team {} ({}) is not a {}", m.number,
                          shown_text(d.team), format_date(d.date), weekday_text(r.weekday)),
              fmt::format("{} falls on {}; rotation {} meets on {}", format_date(d.date),
                          weekday_text(weekday_of(d.date)), quoted_text(r.key),
                          weekday_text(r.weekday)));
      }
      changed_span(d.change, base, e);
    }
    for (const auto& team : r.teams) {
      if (dated_teams.count(team) == 0) {
        error(doc_.key_where(p + "/dates"),
              fmt::format("meeting {} has no date for team {}", m.number, shown_text(team)),
              fmt::format("every meeting gives one date for each team of the rotation ({})",
                          list_text(r.teams)));
      }
    }
  }

  // --- series --------------------------------------------------------------------------------
  void series(const Series& s, const std::string& p) {
    span(s.time, p + "/time");
    audiences(s.audience, p + "/audience");
    std::vector<std::string> keys;
    for (const auto& row : s.rows) keys.push_back(row.key);
    unique(keys, fmt::format("in series {}, row key", quoted_text(s.key)),
           [&](std::size_t i) { return at(fmt::format("{}/rows/{}/key", p, i)); });
    for (std::size_t i = 0; i < s.rows.size(); ++i)
      row(s, s.rows[i], fmt::format("{}/rows/{}", p, i));
    if (s.participants_min > s.participants_max) {
      diagnostics_.error(at(p + "/participants/min"),
                         fmt::format("participants.min {} is more than participants.max {}",
                                     s.participants_min, s.participants_max),
                         "no registration could be accepted; swap the two numbers");
    }
    for (const auto& r : s.rows) {
      if (!s.registration_deadline || r.first.year == 0 || *s.registration_deadline < r.first)
        continue;
      diagnostics_.warning(
          at(p + "/registration_deadline"),
          fmt::format("the registration deadline {} is not before row {} starts ({})",
                      format_date(*s.registration_deadline), quoted_text(r.key),
                      format_date(r.first)),
          "people must register before the first meeting");
      break;
    }
  }

  void row(const Series& s, const SeriesRow& r, const std::string& p) {
    audiences(r.audience, p + "/audience");
    if (r.first.year != 0 && weekday_of(r.first) != r.weekday) {
      error(at(p + "/from"),
            fmt::format("row {} starts on {}, which is not a {}", quoted_text(r.key),
                        format_date(r.first), weekday_text(r.weekday)),
            fmt::format("{} falls on {}; the row's weekday is {}", format_date(r.first),
                        weekday_text(weekday_of(r.first)), weekday_text(r.weekday)));
    }
    if (r.count && r.until) {
      error(at(p + "/until"), fmt::format("row {} gives both count and until", quoted_text(r.key)),
            "keep one of them");
    } else if (!r.count && !r.until && s.sessions.empty()) {
      error(
          at(p), fmt::format("row {} needs count or until", quoted_text(r.key)),
          "count: how many meetings; until: the last possible date; or list the series' sessions");
    }
    if (r.until && r.until->year != 0 && r.first.year != 0 && *r.until < r.first) {
      error(at(p + "/until"),
            fmt::format("row {} ends ({}) before it starts ({})", quoted_text(r.key),
                        format_date(*r.until), format_date(r.first)));
    }
    if (r.until)
      period_length(r.first, *r.until, p + "/until", fmt::format("row {}", quoted_text(r.key)));
    const std::optional<int> count = r.count ? r.count
                                     : (!r.until && !s.sessions.empty())
                                         ? std::optional<int>(static_cast<int>(s.sessions.size()))
                                         : std::nullopt;
    changes(r, count, s.time, p);
  }

  /// `changes` keys are meeting numbers within the row, 1-based; r.changes follows the
  /// document's (sorted) key order.
  void changes(const SeriesRow& r, std::optional<int> count, const TimeSpan& base,
               const std::string& row_pointer) {
    const nlohmann::json::json_pointer where(row_pointer + "/changes");
    if (!doc_.json.contains(where) || !doc_.json.at(where).is_object()) return;
    std::size_t k = 0;
    for (const auto& [name, unused] : doc_.json.at(where).items()) {
      if (k >= r.changes.size()) return;
      const auto& [number, c] = r.changes[k++];
      const std::string p = pointer_append(row_pointer + "/changes", name);
      if (number < 1 || name != std::to_string(number)) {
        error(doc_.key_where(p), fmt::format("{} is not a meeting number", quoted_text(name)),
              "write the meeting's number in the row, 1 for the first: \"2\": {...}");
      } else if (count && number > *count) {
        // GCC 12 -O2 says *count "may be used uninitialized" in the format call below, though it is
        // read only when engaged: the std::optional false positive of GCC bug 80635.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
        error(doc_.key_where(p),
              fmt::format("row {} has {} meetings, so there is no meeting {} to change",
                          quoted_text(r.key), *count, number),
              "changes are numbered from 1 in date order");
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
      }
      changed_span(c, base, p);
    }
  }

  // --- weekly slots --------------------------------------------------------------------------
  void weekly(const WeeklySlot& w, const std::string& p) {
    span(w.time, p + "/time");
    audiences(w.audience, p + "/audience");
    if (w.until.year != 0 && w.from.year != 0 && w.until < w.from) {
      error(at(p + "/until"),
            fmt::format("weekly slot {} ends ({}) before it starts ({})", quoted_text(w.key),
                        format_date(w.until), format_date(w.from)));
    }
    period_length(w.from, w.until, p + "/until", fmt::format("weekly slot {}", quoted_text(w.key)));
    for (std::size_t i = 0; i < w.except.size(); ++i) {
      const Date day = w.except[i];
      if (day.year == 0 || weekday_of(day) == w.weekday) continue;
      diagnostics_.warning(
          at(fmt::format("{}/except/{}", p, i)),
          fmt::format("except date {} falls on {}, but the slot is on {}, so it changes nothing",
                      format_date(day), weekday_text(weekday_of(day)), weekday_text(w.weekday)),
          "check the date");
    }
    for (std::size_t i = 0; i < w.blackouts.size(); ++i) {
      const Blackout& b = w.blackouts[i];
      if (b.to.year != 0 && b.from.year != 0 && b.to < b.from) {
        error(at(fmt::format("{}/blackouts/{}/to", p, i)),
              fmt::format("the blackout ends ({}) before it starts ({})", format_date(b.to),
                          format_date(b.from)));
      }
    }
  }

  // --- annual wheel --------------------------------------------------------------------------
  void wheel(const Wheel& w, const std::string& p) {
    if (w.last_year < w.first_year) {
      error(at(p + "/years/to"),
            fmt::format("the wheel ends ({}) before it starts ({})", w.last_year, w.first_year));
    } else if (w.last_year - w.first_year >= 50) {
      error(at(p + "/years/to"),
            fmt::format("the wheel covers {} years ({} to {})", w.last_year - w.first_year + 1,
                        w.first_year, w.last_year),
            "check the years; a wheel covers a plan period of a few years");
    }
    std::vector<std::string> keys;
    for (const auto& item : w.items) keys.push_back(item.key);
    unique(keys, "wheel item",
           [&](std::size_t i) { return at(fmt::format("{}/items/{}/key", p, i)); });
    for (std::size_t i = 0; i < w.items.size(); ++i)
      wheel_item(w, w.items[i], fmt::format("{}/items/{}", p, i));
  }

  void wheel_item(const Wheel& w, const WheelItem& item, const std::string& p) {
    audiences(item.responsible, p + "/responsible");
    if (item.kind == WheelItemKind::Meeting && !item.time) {
      error(at(p), fmt::format("wheel meeting {} has no time", quoted_text(item.key)),
            "add time: {start: \"10:00\", end: \"12:00\"}, or make it kind: deadline");
    }
    if (item.kind == WheelItemKind::Deadline && item.time) {
      error(at(p + "/time"), fmt::format("deadline {} has a time", quoted_text(item.key)),
            "deadlines are all-day; remove time, or make it kind: meeting");
    }
    if (item.time) span(*item.time, p + "/time");
    day_of_year(w, item, p + "/on");
  }

  void day_of_year(const Wheel& w, const WheelItem& item, const std::string& p) {
    const std::string on = fmt::format("{:02}-{:02}", item.month, item.day);
    if (item.month < 1 || item.month > 12) {
      error(at(p),
            fmt::format("\"{}\" is not a day of the year: there is no month {}", on, item.month),
            "write MM-DD, e.g. \"10-15\"");
      return;
    }
    // Whether a day exists depends only on whether the year is a leap year, so one year of
    // each kind is enough, however many years the wheel covers.
    bool seen_leap = false;
    bool seen_common = false;
    for (int year = w.first_year; year <= w.last_year && !(seen_leap && seen_common); ++year) {
      const bool leap = days_in_month(year, 2) == 29;
      if ((leap && seen_leap) || (!leap && seen_common)) continue;
      (leap ? seen_leap : seen_common) = true;
      const std::string problem = date_problem(fmt::format("{:04}-{}", year, on));
      if (problem.empty()) continue;
      if (item.month == 2 && item.day == 29) {
        diagnostics_.warning(at(p),
                             fmt::format("\"{}\" does not exist in {}: {}", on, year, problem),
                             "the item falls on 28 February in common years");
      } else {
        error(at(p), fmt::format("\"{}\" is not a date in {}: {}", on, year, problem),
              "write MM-DD of a day that exists every year of the wheel");
      }
      return;
    }
  }

  const Plan& plan_;
  const MarkedJson& doc_;
  CheckScope scope_;
  bool roster_inline_;
  NameList teams_;
  NameList roles_;
  NameList people_;
  Diagnostics diagnostics_;
};

}  // namespace

Diagnostics check_plan(const Plan& plan, const MarkedJson& doc, const CheckScope& scope) {
  return Checker(plan, doc, scope).run();
}

}  // namespace plancal
