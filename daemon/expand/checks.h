#pragma once
/// Checks that need the expanded occurrences: a meeting on a public holiday (a warning,
/// an error with --strict) and two occurrences overlapping for the same audience (an error).

#include <vector>

#include "base/diagnostic.h"
#include "expand/occurrence.h"
#include "plan/model.h"

namespace plancal {

[[nodiscard]] Diagnostics check_occurrences(const Plan& plan,
                                            const std::vector<Occurrence>& occurrences);

}  // namespace plancal
