#pragma once
/// Semantic checks on a built plan: what the schema cannot see because it needs two values
/// at once (a date and its weekday, an audience and the declared teams, start and end).
///
/// Every problem is collected; none stops the others. Positions come from the plan document
/// (`doc`, for values in the plan file) or from the model (`where`, e.g. roster rows in a
/// roster file). Holidays and overlapping meetings are not checked here: they concern
/// occurrences and are checked by the expand layer.

#include "base/diagnostic.h"
#include "plan/model.h"
#include "schema/yaml_json.h"

namespace plancal {

/// What the checks may rely on. When the schema found errors, some declarations may be
/// missing from the model; references to an incomplete list are not judged, so a wrong team
/// entry does not also make every use of the team an error.
struct CheckScope {
  bool roster_inline = true;  ///< plan.roster came from the plan file itself (not a roster file)
  bool teams_complete = true;
  bool roles_complete = true;
  bool roster_complete = true;
};

/// Checks `plan`, which was built from `doc` in the same order (so rotations[i] is at
/// /rotations/i).
[[nodiscard]] Diagnostics check_plan(const Plan& plan, const MarkedJson& doc,
                                     const CheckScope& scope = {});

}  // namespace plancal
