#pragma once
/// The make-up dates the personal pages offer (attendance/makeup.h), read from the registers
/// and the moves for every plan, when the pages' state is built and again whenever another
/// connection wrote to the database (a leader's register, `plancal attendance mark|import`):
/// a person marked absent sees where they can take the meeting without waiting for a
/// publish. Only people registered absent somewhere are read.

#include <cstdint>
#include <memory>
#include <vector>

#include "base/result.h"
#include "plan/model.h"
#include "store/database.h"
#include "web/page_source.h"
#include "web/published_source.h"

namespace plancal {

/// Every person's offers in `plans`, judged against the published occurrences in `events`
/// (make-up copies and removed events left out) at `now`. Once the person has been moved for
/// a missed meeting, the page shows that date alone for it.
[[nodiscard]] Result<web::MakeupOffers> read_makeup_offers(
    StateDatabase database, const std::vector<std::shared_ptr<const Plan>>& plans,
    const web::StoredEventsByPlan& events, std::int64_t now);

}  // namespace plancal
