#pragma once
/// A plan together with its occurrences as people are scheduled for them: the expansion
/// with the personal moves applied (attendance/schedule_moves.h). What registers, the hours
/// ledger and make-up dates read; the caller owns both for as long as they are used.

#include <vector>

#include "expand/occurrence.h"
#include "plan/model.h"

namespace plancal {

struct ScheduledPlan {
  const Plan* plan = nullptr;
  const std::vector<Occurrence>* occurrences = nullptr;  ///< moves applied
};

}  // namespace plancal
