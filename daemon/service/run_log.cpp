#include "service/run_log.h"

#include <spdlog/spdlog.h>

namespace plancal {

void keep_and_log(std::vector<std::string>& lines, std::string_view topic, const std::string& line,
                  bool warning) {
  lines.push_back(line);
  if (warning) {
    spdlog::warn("{}: {}", topic, line);
  } else {
    spdlog::info("{}: {}", topic, line);
  }
}

void keep_database_problem(std::vector<std::string>& problems, const Status& status) {
  if (!status) problems.push_back("database: " + status.error().message);
}

}  // namespace plancal
