#pragma once
/// A progress line for long commands on a terminal: one line on stderr that redraws itself
/// ("sync: 3/16 targets, 240/1000 writes, 45 writes/s, about 20 s left") and is erased
/// before the command prints its summary, so stdout holds only the summary. Off a terminal
/// nothing is drawn at all: a log file or a pipe gets no carriage returns and escapes.
///
/// Log lines written while the line is shown (spdlog's default logger) are routed around
/// it: the line is erased, the log line printed, the line drawn again.

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include <spdlog/logger.h>

namespace plancal::cli {

/// "45 writes/s", "2.5 writes/s"
[[nodiscard]] std::string format_rate(double per_second, const std::string& unit);

/// "about 20 s left", "about 3 min left", "about 1 h 5 min left"; "" when unknown (nothing
/// done yet) or when everything is done.
[[nodiscard]] std::string format_time_left(double done_fraction,
                                           std::chrono::steady_clock::duration elapsed);

class ProgressLine {
 public:
  using SteadyNow = std::function<std::chrono::steady_clock::time_point()>;

  /// Draws on `out` when `enabled` (use stderr_is_terminal()); redraws at most every
  /// `interval`. Takes over spdlog's default logger until destroyed.
  ProgressLine(
      std::FILE* out, bool enabled,
      std::chrono::milliseconds interval = std::chrono::milliseconds(100),
      SteadyNow now = [] { return std::chrono::steady_clock::now(); });
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  [[nodiscard]] bool enabled() const { return enabled_; }
  /// When this line was made, for rates and times left.
  [[nodiscard]] std::chrono::steady_clock::duration elapsed() const;

  /// Shows `text`, unless the last drawing is younger than the interval and `force` is false.
  void show(const std::string& text, bool force = false);
  /// Erases the line for good (the summary comes next).
  void finish();

  /// Runs `print` (which writes a log line) with the line erased, then draws it again.
  void around(const std::function<void()>& print);

 private:
  void draw_locked();
  void erase_locked();

  std::FILE* out_;
  bool enabled_;
  std::chrono::milliseconds interval_;
  SteadyNow now_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_drawn_{};
  std::mutex mutex_;
  std::string text_;
  bool shown_ = false;
  bool finished_ = false;
  std::shared_ptr<spdlog::logger> previous_logger_;
};

/// Whether stderr is a terminal that understands carriage return and erase-line (not
/// TERM=dumb).
[[nodiscard]] bool stderr_is_terminal();

}  // namespace plancal::cli
