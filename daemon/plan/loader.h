#pragma once
/// Loading a plan file: YAML -> JSON Schema validation -> semantic checks -> Plan.
///
/// Nothing partial is ever used: when any error is found, `plan` is empty and every error in
/// the file is in `diagnostics` (FILE:LINE:COL, with hints). Warnings (e.g. a meeting on a
/// public holiday) leave the plan usable; `--strict` promotes them to errors.

#include <optional>
#include <string>
#include <string_view>

#include "base/diagnostic.h"
#include "plan/model.h"

namespace plancal {

struct [[nodiscard]] PlanLoad {
  std::optional<Plan> plan;  ///< set only when there is no error
  Diagnostics diagnostics;   ///< errors and warnings, sorted by position
};

/// Reads and checks a plan file. A roster file named in the plan is resolved relative to
/// the plan file's directory.
PlanLoad load_plan_file(const std::string& path);

/// Same, from text in memory; `file_name` is used in diagnostics, `base_dir` resolves the
/// roster file.
PlanLoad load_plan_text(std::string_view text, const std::string& file_name,
                        const std::string& base_dir);

/// The JSON Schema for plan files (schemas/plan.schema.json), embedded at build time so the
/// binary validates exactly what the repository documents.
[[nodiscard]] std::string_view plan_schema_json();

}  // namespace plancal
