#pragma once
/// Turning a schema-valid plan document into the model (plan/model.h).
///
/// Runs after check_against_schema passed, so shapes and types are known to be right; what is
/// left are values the schema cannot judge one by one: real calendar dates (2024-02-30), real
/// times, MM-DD days. Those are reported here; relations between values (weekdays, teams,
/// references) are checked afterwards by plan/checks.h on the finished model.

#include <string>

#include "base/diagnostic.h"
#include "plan/model.h"
#include "schema/yaml_json.h"

namespace plancal {

/// Builds the plan from `doc`. Defaults are filled in (timezone Europe/Oslo, language nb,
/// calendar_name = title, audience [all], meeting key = its number). `roster` is left empty
/// when the plan names a roster file (see plan/roster.h). Problems go to `diagnostics`.
[[nodiscard]] Plan build_plan(const MarkedJson& doc, const std::string& file,
                              Diagnostics& diagnostics);

/// Builds one roster person from a schema-valid person object at `pointer` of `doc`.
[[nodiscard]] Person build_person(const MarkedJson& doc, const std::string& pointer);

/// Why `text` (shaped YYYY-MM-DD) is not a real date, e.g. "February 2024 has 29 days";
/// empty when it is one.
[[nodiscard]] std::string date_problem(std::string_view text);

}  // namespace plancal
