#include "cli/plan_input.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

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

void write_file_atomically_or_exit(const std::string& path, const std::string& content) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out)
      fail(fmt::format("cannot write {}: check that the folder exists and is writable", path));
    out << content;
    if (!out.flush()) fail(fmt::format("cannot write {}: disk full or not writable", path));
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) fail(fmt::format("cannot write {}: {}", path, error.message()));
}

}  // namespace plancal::cli
