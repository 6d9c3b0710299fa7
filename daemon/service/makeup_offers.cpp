#include "service/makeup_offers.h"

#include <algorithm>

#include "attendance/makeup.h"
#include "base/norwegian_text.h"
#include "ical/timezone.h"
#include "store/attendance_registers.h"
#include "store/makeup_moves.h"

namespace plancal {

namespace {

/// The plan's occurrences as published: what registers and make-up dates refer to.
std::vector<Occurrence> published_occurrences(const web::StoredEventsByPlan& events,
                                              const std::string& plan_id) {
  std::vector<Occurrence> occurrences;
  const auto found = events.find(plan_id);
  if (found == events.end()) return occurrences;
  for (const auto& stored : found->second) {
    if (!stored.removed && !is_makeup_copy(stored.occurrence)) {
      occurrences.push_back(stored.occurrence);
    }
  }
  return occurrences;
}

/// Whether the person was moved for the meeting `option` makes up: the page then shows only
/// the date moved to.
bool moved_elsewhere(const std::vector<MakeupOption>& options, const MakeupOption& option) {
  return !option.moved_here && std::any_of(options.begin(), options.end(), [&](const auto& o) {
    return o.moved_here && o.missed == option.missed;
  });
}

void add_offers(const Plan& plan, const std::vector<MakeupOption>& options,
                std::vector<web::MakeupOffer>& offers) {
  for (const auto& option : options) {
    if (moved_elsewhere(options, option)) continue;
    const auto starts = to_unix_seconds(option.option->timezone, option.option->start);
    if (!starts.ok()) continue;  // an unknown zone: publishing refused the plan already
    offers.push_back({plan.id, option.text,
                      time_span_text_nb(option.option->start.time, option.option->end.time),
                      *starts, option.moved_here});
  }
}

}  // namespace

Result<web::MakeupOffers> read_makeup_offers(StateDatabase database,
                                             const std::vector<std::shared_ptr<const Plan>>& plans,
                                             const web::StoredEventsByPlan& events,
                                             std::int64_t now) {
  AttendanceRegisters registers(database);
  MakeupMoves moves_store(database);
  web::MakeupOffers offers;
  for (const auto& plan : plans) {
    auto records = registers.records_of_absent_people(plan->id);
    if (!records) return records.error();
    if (records->empty()) continue;
    auto moves = moves_store.list(plan->id);
    if (!moves) return moves.error();
    const auto occurrences = published_occurrences(events, plan->id);
    const auto options = makeup_options_by_person(*plan, occurrences, *records, *moves,
                                                  local_time_at(plan->timezone, now));
    for (const auto& [person_id, own] : options) add_offers(*plan, own, offers[person_id]);
  }
  for (auto& [person, own] : offers) {
    std::stable_sort(own.begin(), own.end(),
                     [](const auto& a, const auto& b) { return a.starts_at < b.starts_at; });
  }
  return offers;
}

}  // namespace plancal
