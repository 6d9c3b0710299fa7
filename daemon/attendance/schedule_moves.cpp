#include "attendance/schedule_moves.h"

#include <unordered_map>

#include <fmt/format.h>

#include "attendance/programme.h"
#include "expand/audience.h"
#include "expand/expander.h"

namespace plancal {

namespace {

const Occurrence* find_uid(const std::vector<Occurrence>& occurrences, const std::string& uid) {
  for (const auto& o : occurrences) {
    if (o.uid == uid) return &o;
  }
  return nullptr;
}

/// The occurrence of the same meeting as `target` that the person is scheduled for.
const Occurrence* own_occurrence(const Plan& plan, const std::vector<Occurrence>& unmoved,
                                 const AudienceView& person, const Occurrence& target) {
  const std::string identity = meeting_identity(plan, target);
  for (const auto& o : unmoved) {
    if (is_registered_meeting(plan, o) && person.sees(o.audience) &&
        meeting_identity(plan, o) == identity) {
      return &o;
    }
  }
  return nullptr;
}

}  // namespace

void apply_personal_moves(std::vector<Occurrence>& occurrences,
                          const std::vector<PersonalMove>& moves) {
  if (moves.empty()) return;
  std::unordered_map<std::string, Occurrence*> by_uid;
  for (auto& o : occurrences) by_uid.emplace(o.uid, &o);
  for (const auto& move : moves) {
    if (move.from_uid == move.to_uid) continue;
    const auto from = by_uid.find(move.from_uid);
    const auto to = by_uid.find(move.to_uid);
    if (from == by_uid.end() || to == by_uid.end()) continue;
    from->second->audience += "+" + std::string(kExcludedMemberPrefix) + "person:" + move.person_id;
    to->second->audience += "+person:" + move.person_id;
  }
}

Result<PersonalMove> make_personal_move(const Plan& plan, const std::vector<Occurrence>& unmoved,
                                        const std::string& person_id, const std::string& to_uid,
                                        LocalDateTime now) {
  if (find_person(plan, person_id) == nullptr) {
    return Error{fmt::format("plan {} has nobody with the id '{}' in its roster", plan.id,
                             person_id)};
  }
  const Occurrence* target = find_uid(unmoved, to_uid);
  if (target == nullptr || !is_registered_meeting(plan, *target)) {
    return Error{fmt::format("plan {} has no meeting with attendance kept that is {}", plan.id,
                             to_uid)};
  }
  const AudienceView person(plan, Audience{Audience::Kind::Person, person_id});
  const Occurrence* own = own_occurrence(plan, unmoved, person, *target);
  if (own == nullptr) {
    return Error{fmt::format(
        "{} is not scheduled for any date of {}, so there is nothing to move: register them "
        "as added on that date instead",
        person_id, meeting_label_nb(plan, *target))};
  }
  if (own->uid != target->uid && target->start <= now) {
    return Error{fmt::format("{} on {} has already started; a move is only to a date still ahead",
                             meeting_label_nb(plan, *target), format_date(target->start.date))};
  }
  PersonalMove move;
  move.plan_id = plan.id;
  move.person_id = person_id;
  move.from_uid = own->uid;
  move.to_uid = target->uid;
  return move;
}

}  // namespace plancal
