#include "attendance/makeup.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "attendance/programme.h"
#include "base/norwegian_text.h"
#include "expand/audience.h"

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

/// "møte 4 med Team C mandag 25. mars".
std::string option_text_nb(const Plan& plan, const Occurrence& option) {
  std::string text = meeting_label_nb(plan, option);
  if (const std::string group = occurrence_group_name(plan, option); !group.empty()) {
    text += " med " + group;
  }
  return text + " " + date_text_without_year_nb(option.start.date);
}

/// "<stem>.makeup-<person>@plancal" from the date's "<stem>@plancal".
std::string copy_uid(const std::string& uid, const std::string& person_id) {
  const auto at = uid.rfind('@');
  const std::string stem = at == std::string::npos ? uid : uid.substr(0, at);
  const std::string domain = at == std::string::npos ? "" : uid.substr(at);
  return stem + ".makeup-" + person_id + domain;
}

}  // namespace

std::string makeup_text_nb(const Plan& plan, const Occurrence& option) {
  return "Du kan ta igjen " + option_text_nb(plan, option);
}

std::string moved_text_nb(const Plan& plan, const Occurrence& option) {
  return "Flyttet til " + option_text_nb(plan, option);
}

void append_makeup_copies(const Plan& plan, std::vector<Occurrence>& occurrences,
                          const std::vector<MakeupMove>& moves) {
  auto copies = makeup_copies(plan, occurrences, moves);
  occurrences.insert(occurrences.end(), std::make_move_iterator(copies.begin()),
                     std::make_move_iterator(copies.end()));
}

std::string moved_person(const Occurrence& copy) { return makeup_audience_person(copy.audience); }

const MakeupMove* move_into(const std::vector<MakeupMove>& moves, std::string_view person_id,
                            std::string_view uid) {
  for (const auto& move : moves) {
    if (move.person_id == person_id && move.to_uid == uid) return &move;
  }
  return nullptr;
}

std::vector<Occurrence> makeup_copies(const Plan& plan, const std::vector<Occurrence>& occurrences,
                                      const std::vector<MakeupMove>& moves) {
  std::vector<Occurrence> copies;
  for (const auto& move : moves) {
    if (move.plan_id != plan.id || find_person(plan, move.person_id) == nullptr) continue;
    const auto target = std::find_if(occurrences.begin(), occurrences.end(),
                                     [&](const Occurrence& o) { return o.uid == move.to_uid; });
    if (target == occurrences.end() || is_makeup_copy(*target)) continue;
    std::string uid = copy_uid(target->uid, move.person_id);
    if (std::any_of(copies.begin(), copies.end(),
                    [&](const Occurrence& c) { return c.uid == uid; })) {
      continue;  // moved here from two dates: one copy
    }
    Occurrence copy = *target;
    copy.uid = std::move(uid);
    copy.audience = makeup_audience(move.person_id);
    copy.makeup_of = target->uid;
    copies.push_back(std::move(copy));
  }
  return copies;
}

std::vector<MakeupOption> makeup_options(const Plan& plan,
                                         const std::vector<Occurrence>& occurrences,
                                         const std::vector<AttendanceRecord>& records,
                                         const Person& person, LocalDateTime now) {
  return makeup_options(plan, occurrences, records, {}, person, now);
}

std::vector<MakeupOption> makeup_options(const Plan& plan,
                                         const std::vector<Occurrence>& occurrences,
                                         const std::vector<AttendanceRecord>& records,
                                         const std::vector<MakeupMove>& moves, const Person& person,
                                         LocalDateTime now) {
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
      const MakeupMove* move = move_into(moves, person.id, other.uid);
      const bool moved_here = move != nullptr && move->from_uid == missed.uid;
      options.push_back({&missed, &other,
                         moved_here ? moved_text_nb(plan, other) : makeup_text_nb(plan, other),
                         moved_here});
    }
  }
  std::sort(options.begin(), options.end(), [](const MakeupOption& a, const MakeupOption& b) {
    return std::tie(a.option->start, a.option->uid) < std::tie(b.option->start, b.option->uid);
  });
  return options;
}

MakeupOptionsByPerson makeup_options_by_person(const Plan& plan,
                                               const std::vector<Occurrence>& occurrences,
                                               const std::vector<AttendanceRecord>& records,
                                               const std::vector<MakeupMove>& moves,
                                               LocalDateTime now) {
  std::map<std::string, std::vector<AttendanceRecord>, std::less<>> by_person;
  for (const auto& record : records) {
    if (record.plan_id == plan.id) by_person[record.person_id].push_back(record);
  }
  MakeupOptionsByPerson options;
  for (const auto& [person_id, own] : by_person) {
    const Person* person = find_person(plan, person_id);
    if (person == nullptr) continue;
    auto found = makeup_options(plan, occurrences, own, moves, *person, now);
    if (!found.empty()) options.emplace(person_id, std::move(found));
  }
  return options;
}

}  // namespace plancal
