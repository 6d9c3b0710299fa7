#include "attendance/makeup.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "attendance/programme.h"
#include "base/norwegian_text.h"

namespace plancal {

namespace {

const AttendanceRecord* record_of(const std::vector<AttendanceRecord>& records, const Occurrence& o,
                                  const std::string& person_id) {
  for (const auto& r : records) {
    if (r.plan_id == o.plan_id && r.uid == o.uid && r.person_id == person_id) return &r;
  }
  return nullptr;
}

/// Meeting identities the person was registered present at, on any date.
std::set<std::string> attended_identities(const Plan& plan,
                                          const std::vector<Occurrence>& occurrences,
                                          const std::vector<AttendanceRecord>& records,
                                          const Person& person) {
  std::set<std::string> done;
  for (const auto& o : occurrences) {
    const AttendanceRecord* r = record_of(records, o, person.id);
    if (r != nullptr && counts_as_present(r->status)) done.insert(meeting_identity(plan, o));
  }
  return done;
}

}  // namespace

std::string makeup_text_nb(const Plan& plan, const Occurrence& option) {
  std::string text = "Du kan ta igjen " + meeting_label_nb(plan, option);
  if (const std::string group = occurrence_group_name(plan, option); !group.empty()) {
    text += " med " + group;
  }
  return text + " " + date_text_without_year_nb(option.start.date);
}

std::vector<MakeupOption> makeup_options(const Plan& plan,
                                         const std::vector<Occurrence>& occurrences,
                                         const std::vector<AttendanceRecord>& records,
                                         const Person& person, LocalDateTime now) {
  const std::set<std::string> done = attended_identities(plan, occurrences, records, person);
  std::vector<MakeupOption> options;
  for (const auto& missed : occurrences) {
    if (!is_registered_meeting(plan, missed) || !is_scheduled(person, missed)) continue;
    const AttendanceRecord* r = record_of(records, missed, person.id);
    if (r == nullptr || counts_as_present(r->status)) continue;
    const std::string identity = meeting_identity(plan, missed);
    if (done.count(identity) != 0) continue;
    for (const auto& other : occurrences) {
      if (&other == &missed || other.start <= now || !is_registered_meeting(plan, other)) continue;
      if (meeting_identity(plan, other) != identity) continue;
      options.push_back({&missed, &other, makeup_text_nb(plan, other)});
    }
  }
  std::sort(options.begin(), options.end(), [](const MakeupOption& a, const MakeupOption& b) {
    return std::tie(a.option->start, a.option->uid) < std::tie(b.option->start, b.option->uid);
  });
  return options;
}

}  // namespace plancal
