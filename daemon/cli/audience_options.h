#pragma once
/// Options shared by `expand` and `export`: which audience and which dates.

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "expand/occurrence.h"
#include "plan/model.h"

namespace plancal::cli {

struct SelectionOptions {
  std::string audience = "all";
  std::string from;  ///< YYYY-MM-DD, optional
  std::string to;    ///< YYYY-MM-DD, optional
};

/// Adds --audience (and, when `with_dates`, --from/--to) to `command`.
void add_selection_options(CLI::App& command, SelectionOptions& options, bool with_dates);

/// Expands `plan` and keeps what the selection asks for; fails with a clear message on a bad
/// audience or date.
std::vector<Occurrence> select_occurrences(const Plan& plan, const SelectionOptions& options);

}  // namespace plancal::cli
