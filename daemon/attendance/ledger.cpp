#include "attendance/ledger.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_map>

#include "attendance/programme.h"
#include "expand/audience.h"

namespace plancal {

namespace {

/// One of the year's meetings of a programme, with what the ledger needs at hand.
struct Meeting {
  const Occurrence* occurrence = nullptr;
  int minutes = 0;
  int identity = 0;  ///< index of its meeting identity: the same for every team's date
  bool ended = false;
  bool ahead = false;                 ///< has not started
  std::vector<std::string> audience;  ///< its audience's members, split once for everyone
};

struct Programme {
  std::string key;
  std::string title;
  const AttendanceRule* rule = nullptr;
  std::vector<Meeting> meetings;
  /// identity -> the longest of its dates still ahead (0 when none): the best make-up.
  std::vector<int> best_ahead;
  std::unordered_map<std::string_view, std::size_t> by_uid;
};

std::string title_of(const Plan& plan, const std::string& key) {
  for (const auto& r : plan.rotations) {
    if (r.key == key) return r.title;
  }
  for (const auto& s : plan.series) {
    if (s.key == key) return s.title;
  }
  for (const auto& w : plan.weekly) {
    if (w.key == key) return w.title;
  }
  return key;
}

std::vector<Programme> programmes_of(const Plan& plan, const std::vector<Occurrence>& occurrences,
                                     int year, LocalDateTime now) {
  std::map<std::string, Programme> by_key;
  std::map<std::string, int> identities;
  for (const auto& o : occurrences) {
    if (o.start.date.year != year || !is_registered_meeting(plan, o)) continue;
    Programme& p = by_key[o.component_key];
    if (p.rule == nullptr) {
      p.key = o.component_key;
      p.title = title_of(plan, o.component_key);
      p.rule = attendance_rule_for(plan, o.component_key);
    }
    const auto [it, added] =
        identities.emplace(meeting_identity(plan, o), static_cast<int>(identities.size()));
    p.meetings.push_back({&o, duration_minutes(o), it->second, o.end <= now, o.start > now,
                          audience_members(o.audience)});
  }
  std::vector<Programme> out;
  for (auto& [key, p] : by_key) {
    p.best_ahead.assign(identities.size(), 0);
    for (std::size_t i = 0; i < p.meetings.size(); ++i) {
      const Meeting& m = p.meetings[i];
      p.by_uid.emplace(m.occurrence->uid, i);
      if (m.ahead) {
        auto& best = p.best_ahead[static_cast<std::size_t>(m.identity)];
        best = std::max(best, m.minutes);
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

using RecordsByPerson = std::unordered_map<std::string_view, std::vector<const AttendanceRecord*>>;

RecordsByPerson records_by_person(const Plan& plan, const std::vector<AttendanceRecord>& records) {
  RecordsByPerson out;
  for (const auto& r : records) {
    if (r.plan_id == plan.id) out[r.person_id].push_back(&r);
  }
  return out;
}

const AttendanceRecord* record_for(const std::vector<const AttendanceRecord*>* records,
                                   const std::string& uid) {
  if (records == nullptr) return nullptr;
  for (const AttendanceRecord* r : *records) {
    if (r->uid == uid) return r;
  }
  return nullptr;
}

/// Whether someone with these memberships (expand/audience.h) is scheduled for `m`.
bool scheduled_for(const std::vector<std::string>& memberships, const Meeting& m) {
  return std::any_of(m.audience.begin(), m.audience.end(), [&](const std::string& member) {
    return std::find(memberships.begin(), memberships.end(), member) != memberships.end();
  });
}

/// Adds the person's scheduled meetings and their registrations to `line`.
void count_person(const Programme& p, const Person& person,
                  const std::vector<const AttendanceRecord*>* records, HoursLine& line) {
  const std::vector<std::string> memberships = person_audiences(person);
  std::vector<bool> attended(p.best_ahead.size(), false);
  std::vector<int> potential(p.best_ahead.size(), -1);  // -1: not scheduled
  if (records != nullptr) {
    for (const AttendanceRecord* r : *records) {  // every meeting they came to counts
      const auto it = p.by_uid.find(r->uid);
      if (it == p.by_uid.end() || !counts_as_present(r->status)) continue;
      const Meeting& m = p.meetings[it->second];
      line.attended_minutes += m.minutes;
      attended[static_cast<std::size_t>(m.identity)] = true;
    }
  }
  for (const Meeting& m : p.meetings) {
    if (!scheduled_for(memberships, m)) continue;
    line.planned_minutes += m.minutes;
    const auto identity = static_cast<std::size_t>(m.identity);
    int could = p.best_ahead[identity];
    if (const AttendanceRecord* r = record_for(records, m.occurrence->uid)) {
      if (r->status == AttendanceStatus::Excused) line.excused_minutes += m.minutes;
      if (r->status == AttendanceStatus::Absent) line.absent_minutes += m.minutes;
    } else if (m.ended) {
      line.unregistered_minutes += m.minutes;
      could = std::max(could, m.minutes);  // may still be registered as attended
    } else {
      line.upcoming_minutes += m.minutes;
    }
    potential[identity] = std::max(potential[identity], could);
  }
  line.reachable_minutes = line.attended_minutes;
  for (std::size_t i = 0; i < potential.size(); ++i) {
    if (!attended[i] && potential[i] > 0) line.reachable_minutes += potential[i];
  }
}

}  // namespace

std::vector<HoursLine> hours_ledger(const Plan& plan, const std::vector<Occurrence>& occurrences,
                                    const std::vector<AttendanceRecord>& records,
                                    const std::vector<const Person*>& people, int year,
                                    LocalDateTime now) {
  const std::vector<Programme> programmes = programmes_of(plan, occurrences, year, now);
  const RecordsByPerson by_person = records_by_person(plan, records);
  std::vector<HoursLine> lines;
  lines.reserve(people.size() * programmes.size());
  for (const Person* person : people) {
    const auto found = by_person.find(person->id);
    const auto* own = found == by_person.end() ? nullptr : &found->second;
    for (const Programme& p : programmes) {
      HoursLine line;
      line.person = person;
      line.plan_id = plan.id;
      line.programme_key = p.key;
      line.programme_title = p.title;
      line.year = year;
      line.required_minutes = p.rule->programme_minutes;
      line.yearly_minutes = p.rule->yearly_minutes;
      count_person(p, *person, own, line);
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

}  // namespace plancal
