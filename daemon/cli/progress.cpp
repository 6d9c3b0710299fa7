#include "cli/progress.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace plancal::cli {

namespace {

constexpr std::string_view kEraseLine = "\r\x1b[K";

/// Hands log lines to the sinks that had them, with the progress line out of the way.
class AroundProgressSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  AroundProgressSink(std::vector<spdlog::sink_ptr> inner, ProgressLine& line)
      : inner_(std::move(inner)), line_(line) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    line_.around([&] {
      for (const auto& sink : inner_) {
        if (sink->should_log(msg.level)) sink->log(msg);
      }
    });
  }
  void flush_() override {
    for (const auto& sink : inner_) sink->flush();
  }

 private:
  std::vector<spdlog::sink_ptr> inner_;
  ProgressLine& line_;
};

/// The terminal's width in columns; 80 when it does not say.
std::size_t terminal_columns(std::FILE* out) {
  winsize size{};
  if (ioctl(fileno(out), TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

}  // namespace

std::string format_rate(double per_second, const std::string& unit) {
  if (per_second < 10) return fmt::format("{:.1f} {}/s", per_second, unit);
  return fmt::format("{:.0f} {}/s", per_second, unit);
}

std::string format_time_left(double done_fraction, std::chrono::steady_clock::duration elapsed) {
  if (done_fraction <= 0 || done_fraction >= 1) return {};
  const double elapsed_seconds = std::chrono::duration<double>(elapsed).count();
  const auto left =
      static_cast<long long>(std::ceil(elapsed_seconds * (1 - done_fraction) / done_fraction));
  if (left < 60) return fmt::format("about {} s left", left);
  if (left < 3600) return fmt::format("about {} min left", (left + 30) / 60);
  return fmt::format("about {} h {} min left", left / 3600, left % 3600 / 60);
}

bool stderr_is_terminal() {
  if (isatty(STDERR_FILENO) == 0) return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::string_view(term) != "dumb";
}

ProgressLine::ProgressLine(std::FILE* out, bool enabled, std::chrono::milliseconds interval,
                           SteadyNow now)
    : out_(out), enabled_(enabled), interval_(interval), now_(std::move(now)), started_(now_()) {
  if (!enabled_) return;
  previous_logger_ = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>(
      previous_logger_->name(),
      std::make_shared<AroundProgressSink>(previous_logger_->sinks(), *this));
  logger->set_level(previous_logger_->level());
  spdlog::set_default_logger(std::move(logger));
}

ProgressLine::~ProgressLine() {
  finish();
  if (previous_logger_) spdlog::set_default_logger(previous_logger_);
}

std::chrono::steady_clock::duration ProgressLine::elapsed() const { return now_() - started_; }

void ProgressLine::show(const std::string& text, bool force) {
  if (!enabled_) return;
  const std::lock_guard lock(mutex_);
  if (finished_) return;
  text_ = text;
  const auto now = now_();
  if (!force && shown_ && now - last_drawn_ < interval_) return;
  last_drawn_ = now;
  draw_locked();
}

void ProgressLine::finish() {
  if (!enabled_) return;
  const std::lock_guard lock(mutex_);
  if (finished_) return;
  erase_locked();
  finished_ = true;
}

void ProgressLine::around(const std::function<void()>& print) {
  const std::lock_guard lock(mutex_);
  const bool was_shown = shown_;
  erase_locked();
  print();
  if (was_shown && !finished_) draw_locked();
}

void ProgressLine::draw_locked() {
  std::string line = text_;
  const std::size_t columns = terminal_columns(out_);
  if (line.size() >= columns) line.resize(columns - 1);  // a wrapped line cannot be redrawn
  fmt::print(out_, "{}{}", kEraseLine, line);
  std::fflush(out_);
  shown_ = true;
}

void ProgressLine::erase_locked() {
  if (!shown_) return;
  fmt::print(out_, "{}", kEraseLine);
  std::fflush(out_);
  shown_ = false;
}

}  // namespace plancal::cli
