#include "plan/builder.h"

#include "plan/attendance_rule.h"

#include <array>
#include <charconv>
#include <optional>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "base/text.h"

namespace plancal {

namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 12> kMonthNames{
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

int to_int(std::string_view digits) {
  int value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// Month and day of an annual-wheel `on: "MM-DD"`; nullopt when it is not written so.
std::optional<std::pair<int, int>> parse_month_day(std::string_view text) {
  if (text.size() != 5 || text[2] != '-' || !is_digit(text[0]) || !is_digit(text[1]) ||
      !is_digit(text[3]) || !is_digit(text[4]))
    return std::nullopt;
  return std::pair{to_int(text.substr(0, 2)), to_int(text.substr(3, 2))};
}

/// Reads values at JSON pointers of a schema-valid document, reporting values that are
/// well-formed but not real (30 February, 25:00).
class Builder {
 public:
  Builder(const MarkedJson& doc, const std::string& file, Diagnostics& diagnostics)
      : doc_(doc), file_(file), diagnostics_(diagnostics) {}

  Plan plan() {
    Plan plan;
    plan.source_file = file_;
    plan.id = text("/plan");
    plan.title = text("/title");
    plan.calendar_name = has("/calendar_name") ? text("/calendar_name") : plan.title;
    if (has("/timezone")) plan.timezone = text("/timezone");
    if (has("/language")) plan.language = text("/language");
    plan.organizer = text("/organizer");
    for (const auto& p : items("/teams"))
      plan.teams.push_back({text(p + "/key"), text(p + "/name"), where(p)});
    for (const auto& p : items("/roles"))
      plan.roles.push_back({text(p + "/key"), text(p + "/name"), where(p)});
    if (value("/roster") && value("/roster")->is_array()) {
      for (const auto& p : items("/roster")) plan.roster.push_back(build_person(doc_, p));
    }
    for (const auto& p : items("/rotations")) plan.rotations.push_back(rotation(p));
    for (const auto& p : items("/series")) plan.series.push_back(series(p));
    for (const auto& p : items("/weekly")) plan.weekly.push_back(weekly(p));
    if (has("/wheel")) plan.wheel = wheel("/wheel");
    return plan;
  }

 private:
  // --- access --------------------------------------------------------------------------------
  const json* value(const std::string& pointer) const {
    try {
      return &doc_.json.at(json::json_pointer(pointer));
    } catch (const json::exception&) {
      return nullptr;
    }
  }
  bool has(const std::string& pointer) const { return value(pointer) != nullptr; }
  SourceLocation where(const std::string& pointer) const { return doc_.where(pointer); }

  std::string text(const std::string& pointer) const {
    const json* v = value(pointer);
    return v && v->is_string() ? v->get<std::string>() : std::string();
  }
  std::optional<std::string> optional_text(const std::string& pointer) const {
    if (!has(pointer)) return std::nullopt;
    return text(pointer);
  }
  int integer(const std::string& pointer, int fallback) const {
    const json* v = value(pointer);
    return v && v->is_number_integer() ? v->get<int>() : fallback;
  }
  bool boolean(const std::string& pointer, bool fallback) const {
    const json* v = value(pointer);
    return v && v->is_boolean() ? v->get<bool>() : fallback;
  }
  std::vector<std::string> items(const std::string& pointer) const {
    std::vector<std::string> out;
    const json* v = value(pointer);
    if (v && v->is_array()) {
      for (std::size_t i = 0; i < v->size(); ++i) out.push_back(pointer_append(pointer, i));
    }
    return out;
  }
  std::vector<std::string> texts(const std::string& pointer) const {
    std::vector<std::string> out;
    for (const auto& p : items(pointer)) out.push_back(text(p));
    return out;
  }
  std::vector<std::string> audience(const std::string& pointer, bool default_all) const {
    if (!has(pointer))
      return default_all ? std::vector<std::string>{"all"} : std::vector<std::string>{};
    return texts(pointer);
  }

  // --- values --------------------------------------------------------------------------------
  Date date(const std::string& pointer) {
    const std::string t = text(pointer);
    if (const auto d = parse_date(t)) return *d;
    diagnostics_.error(where(pointer),
                       fmt::format("{} is not a date: {}", shown_text(t), date_problem(t)),
                       "write a real calendar date YYYY-MM-DD");
    return Date{};
  }
  std::optional<Date> optional_date(const std::string& pointer) {
    if (!has(pointer)) return std::nullopt;
    return date(pointer);
  }
  TimeOfDay time(const std::string& pointer) {
    if (const auto t = parse_time_of_day(text(pointer))) return *t;
    diagnostics_.error(where(pointer),
                       fmt::format("{} is not a time of day", quoted_text(text(pointer))),
                       "write HH:MM, e.g. \"09:00\"");
    return TimeOfDay{};
  }
  std::optional<TimeOfDay> optional_time(const std::string& pointer) {
    if (!has(pointer)) return std::nullopt;
    return time(pointer);
  }
  TimeSpan span(const std::string& pointer) {
    return TimeSpan{time(pointer + "/start"), time(pointer + "/end")};
  }
  std::optional<TimeSpan> optional_span(const std::string& pointer) {
    if (!has(pointer)) return std::nullopt;
    return span(pointer);
  }
  Weekday weekday(const std::string& pointer) {
    return parse_weekday(text(pointer)).value_or(Weekday::Monday);
  }

  MeetingContent content(const std::string& p) {
    MeetingContent c;
    c.topic = text(p + "/topic");
    c.speaker = text(p + "/speaker");
    c.speaker_label = text(p + "/speaker_label");
    c.location = text(p + "/location");
    if (has(p + "/online"))
      c.online = OnlineMeeting{text(p + "/online/provider"), text(p + "/online/url")};
    for (const auto& a : items(p + "/agenda"))
      c.agenda.push_back({time(a + "/time"), text(a + "/item"), text(a + "/note")});
    c.preparation = texts(p + "/preparation");
    c.notes = text(p + "/notes");
    return c;
  }

  OccurrenceOverride change(const std::string& p) {
    OccurrenceOverride o;
    o.start = optional_time(p + "/start");
    o.end = optional_time(p + "/end");
    o.topic = optional_text(p + "/topic");
    o.speaker = optional_text(p + "/speaker");
    o.location = optional_text(p + "/location");
    o.cancelled = boolean(p + "/cancelled", false);
    o.note = text(p + "/note");
    return o;
  }

  // --- programmes ----------------------------------------------------------------------------
  Rotation rotation(const std::string& p) {
    Rotation r;
    r.key = text(p + "/key");
    r.title = text(p + "/title");
    r.weekday = weekday(p + "/weekday");
    r.teams = texts(p + "/teams");
    r.time = span(p + "/time");
    r.content = content(p);
    r.attendance = build_attendance_rule(doc_, p + "/attendance", diagnostics_);
    r.where = where(p);
    for (const auto& m : items(p + "/meetings")) r.meetings.push_back(meeting(m));
    return r;
  }

  RotationMeeting meeting(const std::string& p) {
    RotationMeeting m;
    m.number = integer(p + "/number", 0);
    m.key = has(p + "/key") ? text(p + "/key") : std::to_string(m.number);
    m.content = content(p);
    m.time = optional_span(p + "/time");
    m.where = where(p);
    const json* dates = value(p + "/dates");
    if (!dates || !dates->is_object()) return m;
    for (const auto& [team, entry] : dates->items()) {
      const std::string e = pointer_append(p + "/dates", team);
      TeamDate td;
      td.team = team;
      td.where = doc_.key_where(e);
      if (entry.is_object()) {
        td.date = date(e + "/date");
        td.change = change(e);
      } else {
        td.date = date(e);
      }
      m.dates.push_back(std::move(td));
    }
    return m;
  }

  Series series(const std::string& p) {
    Series s;
    s.key = text(p + "/key");
    s.title = text(p + "/title");
    s.interval_weeks = integer(p + "/interval_weeks", 1);
    s.time = span(p + "/time");
    s.content = content(p);
    s.audience = audience(p + "/audience", true);
    s.registration_deadline = optional_date(p + "/registration_deadline");
    s.participants_min = integer(p + "/participants/min", 1);
    s.participants_max = integer(p + "/participants/max", 100);
    s.attendance = build_attendance_rule(doc_, p + "/attendance", diagnostics_);
    s.where = where(p);
    for (const auto& x : items(p + "/sessions")) s.sessions.push_back({content(x), where(x)});
    for (const auto& x : items(p + "/rows")) s.rows.push_back(row(x));
    return s;
  }

  SeriesRow row(const std::string& p) {
    SeriesRow r;
    r.key = text(p + "/key");
    r.name = text(p + "/name");
    r.weekday = weekday(p + "/weekday");
    r.first = date(p + "/from");
    if (has(p + "/count")) r.count = integer(p + "/count", 1);
    r.until = optional_date(p + "/until");
    r.capacity = integer(p + "/capacity", 0);
    r.full = boolean(p + "/full", false);
    r.audience = audience(p + "/audience", false);
    r.where = where(p);
    const json* changes = value(p + "/changes");
    if (changes && changes->is_object()) {
      for (const auto& [index, unused] : changes->items()) {
        int number = 0;
        const auto [end, error] =
            std::from_chars(index.data(), index.data() + index.size(), number);
        if (error != std::errc{} || end != index.data() + index.size())
          number = 0;  // reported by checks
        const std::string c = pointer_append(p + "/changes", index);
        OccurrenceOverride o = change(c);
        o.date = optional_date(c + "/date");
        r.changes.emplace_back(number, std::move(o));
      }
    }
    return r;
  }

  WeeklySlot weekly(const std::string& p) {
    WeeklySlot w;
    w.key = text(p + "/key");
    w.title = text(p + "/title");
    w.weekday = weekday(p + "/weekday");
    w.time = span(p + "/time");
    w.from = date(p + "/from");
    w.until = date(p + "/until");
    w.skip_holidays = boolean(p + "/skip_holidays", true);
    for (const auto& x : items(p + "/except")) w.except.push_back(date(x));
    for (const auto& x : items(p + "/blackouts")) {
      w.blackouts.push_back({date(x + "/from"), date(x + "/to"), text(x + "/reason"), where(x)});
    }
    w.content = content(p);
    w.audience = audience(p + "/audience", true);
    w.attendance = build_attendance_rule(doc_, p + "/attendance", diagnostics_);
    w.where = where(p);
    return w;
  }

  Wheel wheel(const std::string& p) {
    Wheel w;
    w.first_year = integer(p + "/years/from", 0);
    w.last_year = integer(p + "/years/to", 0);
    w.where = where(p);
    for (const auto& x : items(p + "/items")) {
      WheelItem item;
      item.key = text(x + "/key");
      item.kind = text(x + "/kind") == "meeting" ? WheelItemKind::Meeting : WheelItemKind::Deadline;
      item.title = text(x + "/title");
      if (const auto on = parse_month_day(text(x + "/on"))) {
        std::tie(item.month, item.day) = *on;
      } else {  // the schema has said what is wrong; this keeps the item out of the checks
        item.month = 0;
        item.day = 0;
        diagnostics_.error(
            where(x + "/on"),
            fmt::format("wheel item {} has no day MM-DD in \"on\"", quoted_text(item.key)),
            "write the day every year, e.g. on: \"10-15\"");
      }
      item.time = optional_span(x + "/time");
      item.responsible = texts(x + "/responsible");
      item.content = content(x);
      item.where = where(x);
      w.items.push_back(std::move(item));
    }
    return w;
  }

  const MarkedJson& doc_;
  const std::string& file_;
  Diagnostics& diagnostics_;
};

}  // namespace

std::string date_problem(std::string_view text) {
  if (text.size() != 10) return "write it YYYY-MM-DD";
  const int year = to_int(text.substr(0, 4));
  const int month = to_int(text.substr(5, 2));
  const int day = to_int(text.substr(8, 2));
  if (year < 1) return "there is no year 0";
  if (month < 1 || month > 12)
    return fmt::format("there is no month {} (months are 01 to 12)", month);
  const int last = days_in_month(year, month);
  if (day < 1 || day > last) {
    return fmt::format("{} {} has {} days", kMonthNames[static_cast<std::size_t>(month - 1)], year,
                       last);
  }
  return {};
}

Person build_person(const MarkedJson& doc, const std::string& pointer) {
  const auto get = [&doc, &pointer](const char* key) -> const json* {
    try {
      return &doc.json.at(json::json_pointer(pointer_append(pointer, key)));
    } catch (const json::exception&) {
      return nullptr;
    }
  };
  const auto str = [&get](const char* key) {
    const json* v = get(key);
    return v && v->is_string() ? v->get<std::string>() : std::string();
  };
  Person person;
  person.id = str("id");
  person.name = str("name");
  person.email = str("email");
  person.team = str("team");
  const json* leader = get("leader");
  person.leader = leader && leader->is_boolean() && leader->get<bool>();
  person.reports_to = str("reports_to");
  if (const json* roles = get("roles"); roles && roles->is_array()) {
    for (const auto& role : *roles) {
      if (role.is_string()) person.roles.push_back(role.get<std::string>());
    }
  }
  person.where = doc.where(pointer);
  return person;
}

Plan build_plan(const MarkedJson& doc, const std::string& file, Diagnostics& diagnostics) {
  return Builder(doc, file, diagnostics).plan();
}

}  // namespace plancal
