#pragma once
/// Shared by the plan-reading subcommands: load a plan, print its diagnostics, and stop
/// with exit status 1 when it has errors.

#include <string>

#include "plan/model.h"

namespace plancal::cli {

/// Loads `path`, prints every diagnostic to stderr and returns the plan; throws
/// CLI::RuntimeError(1) when the plan has errors (or warnings under `strict`).
Plan load_plan_or_exit(const std::string& path, bool strict = false);

/// Prints `message` to stderr as "plancal: error: message" and throws CLI::RuntimeError(1).
[[noreturn]] void fail(const std::string& message);

/// Writes `content` to `path` through a temporary file and a rename, so a failed export never
/// leaves half a file where a subscriber or a script might pick it up; fails with what to do.
void write_file_atomically_or_exit(const std::string& path, const std::string& content);

}  // namespace plancal::cli
