#include "cli/plan_input.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>

#include "attendance/rule_check.h"
#include "expand/checks.h"
#include "expand/expander.h"
#include "plan/loader.h"

namespace plancal::cli {

void fail(const std::string& message) {
  fmt::print(stderr, "plancal: error: {}\n", message);
  throw CLI::RuntimeError(1);
}

namespace {

void print_diagnostics(const Diagnostics& diagnostics) {
  for (const auto& diagnostic : diagnostics.all()) {
    fmt::print(stderr, "{}\n", format_diagnostic(diagnostic));
  }
}

}  // namespace

Plan load_plan_or_exit(const std::string& path, bool strict) {
  PlanLoad load = load_plan_file(path);
  Diagnostics diagnostics = load.diagnostics;
  if (load.plan) {
    const std::vector<Occurrence> occurrences = expand_plan(*load.plan);
    diagnostics.append(check_occurrences(*load.plan, occurrences));
    diagnostics.append(check_attendance_rules(*load.plan, occurrences));
  }
  if (strict) diagnostics.promote_warnings();
  diagnostics.sort();
  print_diagnostics(diagnostics);
  if (!load.plan || diagnostics.has_errors()) {
    fmt::print(stderr, "{}: {} error(s), {} warning(s); nothing was used\n", path,
               diagnostics.error_count(), diagnostics.warning_count());
    throw CLI::RuntimeError(1);
  }
  return std::move(*load.plan);
}

}  // namespace plancal::cli
