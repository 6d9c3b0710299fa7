#include "attendance/register.h"

#include <algorithm>
#include <set>
#include <string>
#include <tuple>

#include "attendance/programme.h"
#include "expand/expander.h"

namespace plancal {

namespace {

const AttendanceRecord* find_record(const std::vector<const AttendanceRecord*>& records,
                                    const Occurrence& o, const std::string& person_id) {
  for (const AttendanceRecord* r : records) {
    if (r->plan_id == o.plan_id && r->uid == o.uid && r->person_id == person_id) return r;
  }
  return nullptr;
}

/// The lines of one occurrence: scheduled people the viewer sees, then added ones.
void add_occurrence(const AccessPolicy& access, const Viewer& viewer, const ScheduledPlan& sp,
                    const Occurrence& o, const std::vector<const AttendanceRecord*>& records,
                    std::vector<RegisterLine>& lines) {
  for (const Person* person : access.visible_people(viewer)) {
    if (!is_scheduled(*person, o)) continue;
    lines.push_back({sp.plan, &o, person, find_record(records, o, person->id), true});
  }
  std::vector<RegisterLine> added;
  for (const AttendanceRecord* r : records) {
    if (r->plan_id != o.plan_id || r->uid != o.uid || !access.may_see(viewer, r->person_id)) {
      continue;
    }
    const Person* person = access.person(r->person_id);
    if (is_scheduled(*person, o)) continue;
    added.push_back({sp.plan, &o, person, r, false});
  }
  std::sort(added.begin(), added.end(), [](const RegisterLine& a, const RegisterLine& b) {
    return a.person->name < b.person->name;
  });
  lines.insert(lines.end(), added.begin(), added.end());
}

}  // namespace

bool is_scheduled(const Person& person, const Occurrence& occurrence) {
  return AudienceView(person).sees(occurrence.audience);
}

int Register::unregistered() const {
  return static_cast<int>(std::count_if(lines.begin(), lines.end(), [](const RegisterLine& l) {
    return l.scheduled && l.record == nullptr;
  }));
}

Register register_for(const AccessPolicy& access, const Viewer& viewer,
                      const std::vector<ScheduledPlan>& plans,
                      const std::vector<AttendanceRecord>& records, Date date) {
  std::vector<std::pair<const ScheduledPlan*, const Occurrence*>> meetings;
  std::set<std::pair<std::string, std::string>> uids;  // (plan, uid) held that day
  for (const auto& sp : plans) {
    for (const auto& o : *sp.occurrences) {
      if (o.start.date != date || !is_registered_meeting(*sp.plan, o)) continue;
      meetings.emplace_back(&sp, &o);
      uids.emplace(o.plan_id, o.uid);
    }
  }
  // By UID, not by the date stored with them: a meeting the plan moved keeps its register.
  std::vector<const AttendanceRecord*> that_day;
  for (const auto& r : records) {
    if (uids.count({r.plan_id, r.uid}) != 0) that_day.push_back(&r);
  }
  std::sort(meetings.begin(), meetings.end(), [](const auto& a, const auto& b) {
    return std::tie(a.second->start, a.second->uid) < std::tie(b.second->start, b.second->uid);
  });
  Register reg;
  reg.date = date;
  for (const auto& [sp, o] : meetings) add_occurrence(access, viewer, *sp, *o, that_day, reg.lines);
  return reg;
}

}  // namespace plancal
