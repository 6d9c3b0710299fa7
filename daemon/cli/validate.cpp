// plancal validate [--strict] PLAN...: checks plan files and reports every problem.

#include <fmt/format.h>

#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/plan_input.h"

namespace plancal::cli {

namespace {

struct ValidateOptions {
  std::vector<std::string> plans;
  bool strict = false;
};

void run_validate(const ValidateOptions& options) {
  int failed = 0;
  for (const auto& path : options.plans) {
    try {
      const Plan plan = load_plan_or_exit(path, options.strict);
      fmt::print("{}: ok ({})\n", path, plan.title);
    } catch (const CLI::RuntimeError&) {
      ++failed;  // diagnostics are printed; go on so every file is checked
    }
  }
  if (failed > 0) throw CLI::RuntimeError(1);
}

}  // namespace

void add_validate_command(CLI::App& app) {
  auto options = std::make_shared<ValidateOptions>();
  auto* command =
      app.add_subcommand("validate", "Check plan files; report every error as FILE:LINE:COL");
  command->add_option("plans", options->plans, "Plan files (YAML)")->required();
  command->add_flag("--strict", options->strict,
                    "Treat warnings (e.g. a meeting on a public holiday) as errors");
  command->callback([options] { run_validate(*options); });
}

}  // namespace plancal::cli
