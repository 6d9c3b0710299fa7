#pragma once
/// What a mail run (reminders, invitations) keeps for its report and its log, written once:
/// each delivery line goes both into the report the command prints and into the log the
/// daemon writes; a failed bookkeeping step becomes one of the run's problems.

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace plancal {

/// Appends `line` to `lines` and logs it as "<topic>: <line>", a warning when `warning`.
void keep_and_log(std::vector<std::string>& lines, std::string_view topic, const std::string& line,
                  bool warning);

/// Appends "database: <why>" to `problems` when `status` failed; nothing otherwise.
void keep_database_problem(std::vector<std::string>& problems, const Status& status);

}  // namespace plancal
