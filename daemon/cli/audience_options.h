#pragma once
/// Options shared by `expand` and `export`: which audience and which dates.

#include <CLI/CLI.hpp>

#include <functional>
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

/// What the selection asks for, as a test of one occurrence (for OccurrenceStream); fails with
/// a clear message on a bad audience or date.
std::function<bool(const Occurrence&)> selection_filter(const Plan& plan,
                                                        const SelectionOptions& options);

/// Expands `plan` and keeps what the selection asks for; fails with a clear message on a bad
/// audience or date.
std::vector<Occurrence> select_occurrences(const Plan& plan, const SelectionOptions& options);

}  // namespace plancal::cli
