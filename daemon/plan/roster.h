#pragma once
/// Rosters kept in their own file, next to the plan: a YAML list of people (or
/// `{people: [...]}`) or a CSV export from a spreadsheet with the header
/// `id,name,email,team,leader,reports_to,roles`.
///
/// Errors point into the roster file (FILE:LINE:COL). Whether teams, roles and reports_to
/// exist is checked with the plan (plan/checks.h), since the plan declares them.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "plan/model.h"

namespace plancal {

struct RosterLoad {
  std::vector<Person> people;
  Diagnostics diagnostics;  ///< errors mean `people` must not be used
};

/// Reads the roster at `path` (.yaml, .yml or .csv, by extension); `path` is used in messages.
/// The file is read every time, but its last parse is kept and given again while its bytes
/// are the same: a daemon publishing after a plan edit does not parse again a roster of
/// thousands of rows that did not change. Safe to call from several threads.
[[nodiscard]] RosterLoad load_roster_file(const std::string& path);

/// The same from text in memory.
[[nodiscard]] RosterLoad parse_roster_csv(std::string_view text, const std::string& file);
[[nodiscard]] RosterLoad parse_roster_yaml(std::string_view text, const std::string& file);

/// The positions of `people` sorted by id (Plan::roster_by_id).
[[nodiscard]] std::vector<std::uint32_t> positions_by_id(const std::vector<Person>& people);

/// The JSON Schema for roster YAML files, derived from the plan schema's person definition.
[[nodiscard]] const std::string& roster_schema_json();

}  // namespace plancal
