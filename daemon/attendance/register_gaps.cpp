#include "attendance/register_gaps.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "attendance/makeup.h"
#include "attendance/programme.h"

namespace plancal {

namespace {

/// The people a leader keeps the register for.
std::vector<const Person*> people_of(const Plan& plan, const Person& leader) {
  std::vector<const Person*> people;
  for (const auto& person : plan.roster) {
    if (in_leaders_register(person, leader.id)) people.push_back(&person);
  }
  return people;
}

/// The registered meetings of `plan`, by date, each day's by start.
std::map<Date, std::vector<const Occurrence*>> meetings_by_date(
    const Plan& plan, const std::vector<const Occurrence*>& occurrences) {
  std::map<Date, std::vector<const Occurrence*>> days;
  for (const Occurrence* o : occurrences) {
    if (is_registered_meeting(plan, *o)) days[o->start.date].push_back(o);
  }
  for (auto& [date, meetings] : days) {
    std::sort(meetings.begin(), meetings.end(),
              [](const Occurrence* a, const Occurrence* b) { return a->start < b->start; });
  }
  return days;
}

/// (date UID, person id) for every make-up copy among `occurrences`: the person is expected at
/// that date as if scheduled there.
using MovedIn = std::set<std::pair<std::string, std::string>>;

MovedIn moved_in(const std::vector<const Occurrence*>& occurrences) {
  MovedIn moved;
  for (const Occurrence* o : occurrences) {
    if (is_makeup_copy(*o)) moved.emplace(o->makeup_of, moved_person(*o));
  }
  return moved;
}

/// The gap of `leader` on one day, if the day asks something of their people; nullopt when
/// it asks nothing or a meeting of theirs has not ended.
std::optional<RegisterGap> gap_of(const Person& leader, const std::vector<const Person*>& people,
                                  const Date& date, const std::vector<const Occurrence*>& meetings,
                                  const std::set<std::pair<std::string, std::string>>& registered,
                                  const MovedIn& moved, LocalDateTime now) {
  RegisterGap gap;
  gap.leader = &leader;
  gap.date = date;
  for (const Occurrence* o : meetings) {
    bool theirs = false;
    for (const Person* person : people) {
      if (!is_scheduled(*person, *o) && moved.count({o->uid, person->id}) == 0) continue;
      theirs = true;
      ++gap.scheduled;
      if (registered.count({o->uid, person->id}) == 0) ++gap.missing;
    }
    if (!theirs) continue;
    if (o->end > now) return std::nullopt;
    gap.uids.push_back(o->uid);
    gap.ended = std::max(gap.ended, o->end);
  }
  if (gap.missing == 0) return std::nullopt;
  return gap;
}

}  // namespace

std::vector<RegisterGap> register_gaps(const Plan& plan,
                                       const std::vector<const Occurrence*>& occurrences,
                                       const std::vector<AttendanceRecord>& records,
                                       LocalDateTime now) {
  std::set<std::pair<std::string, std::string>> registered;
  for (const auto& r : records) {
    if (r.plan_id == plan.id) registered.emplace(r.uid, r.person_id);
  }
  const auto days = meetings_by_date(plan, occurrences);
  const MovedIn moved = moved_in(occurrences);
  std::vector<RegisterGap> gaps;
  for (const auto& leader : plan.roster) {
    if (!leader.leader) continue;
    const auto people = people_of(plan, leader);
    for (const auto& [date, meetings] : days) {
      if (auto gap = gap_of(leader, people, date, meetings, registered, moved, now)) {
        gaps.push_back(std::move(*gap));
      }
    }
  }
  return gaps;
}

}  // namespace plancal
