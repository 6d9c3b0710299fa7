#pragma once
/// Shared test fixtures: a temporary directory sandbox, running the plancal binary or another
/// process and capturing its output, and paths to the repository's example plans.

#include <gtest/gtest.h>

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "base/diagnostic.h"

namespace plancal::testing {

/// The repository root, the built plancal binary and tests/data.
std::filesystem::path source_dir();
std::filesystem::path plancal_binary();
std::filesystem::path test_data_dir();
/// config/plans/NAME
std::filesystem::path example_plan(const std::string& name);

/// A fresh directory under $TMPDIR, removed with everything in it when the test ends.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  /// Writes `content` to path()/relative (creating folders) and returns the full path.
  std::filesystem::path write(const std::string& relative, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);

/// Every diagnostic formatted as the user sees it, one per line (for assertion messages).
std::string diagnostics_text(const Diagnostics& diagnostics);

/// Success when `diagnostics` holds an error at exactly FILE:LINE:COLUMN whose message
/// contains `message`; otherwise a failure that lists every diagnostic.
::testing::AssertionResult has_error(const Diagnostics& diagnostics, const std::string& file,
                                     int line, int column, const std::string& message);

struct ProcessResult {
  int exit_code = -1;  ///< exit status, or 128+signal when killed by a signal
  std::string out;
  std::string err;
};

/// Runs argv[0] with the arguments (no shell), with optional extra environment entries
/// ("NAME=value"), waiting at most `timeout_seconds`; stdin is /dev/null.
ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::vector<std::string>& extra_env = {},
                          int timeout_seconds = 120);

/// Runs the plancal binary with `args`.
ProcessResult run_plancal(const std::vector<std::string>& args,
                          const std::vector<std::string>& extra_env = {});

/// For crash tests: starts argv[0] with the arguments (no shell), its stdin, stdout and
/// stderr on /dev/null, and returns its pid without waiting.
pid_t spawn_quietly(const std::vector<std::string>& argv);

/// For crash tests: waits up to `delay` for `pid` to end, else kills it with SIGKILL; reaps
/// it either way. True when the kill landed while the process was still running.
bool kill_after(pid_t pid, std::chrono::milliseconds delay);

/// Debian's interpreter, which sees python3-icalendar and friends (not a pyenv python3).
inline constexpr const char* kDebianPython = "/usr/bin/python3";

}  // namespace plancal::testing
