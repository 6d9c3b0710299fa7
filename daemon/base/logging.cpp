#include "base/logging.h"

#include <fmt/format.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>

namespace plancal {

namespace {

/// Writes `<N>message\n` to stderr: the journal adds time, host and unit by itself.
class JournalStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    // A multi-line message (a diagnostic with its hint) keeps its priority on every line.
    std::string_view rest(msg.payload.data(), msg.payload.size());
    const int priority = syslog_priority(msg.level);
    for (;;) {
      const auto end = rest.find('\n');
      fmt::print(stderr, "<{}>{}\n", priority, rest.substr(0, end));
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end + 1);
    }
  }
  void flush_() override { std::fflush(stderr); }
};

}  // namespace

std::optional<spdlog::level::level_enum> parse_log_level(std::string_view text) {
  using spdlog::level::level_enum;
  if (text == "trace") return level_enum::trace;
  if (text == "debug") return level_enum::debug;
  if (text == "info") return level_enum::info;
  if (text == "warning" || text == "warn") return level_enum::warn;
  if (text == "error") return level_enum::err;
  if (text == "critical" || text == "crit") return level_enum::critical;
  if (text == "off") return level_enum::off;
  return std::nullopt;
}

int syslog_priority(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return 7;  // LOG_DEBUG
    case spdlog::level::info:
      return 6;  // LOG_INFO
    case spdlog::level::warn:
      return 4;  // LOG_WARNING
    case spdlog::level::err:
      return 3;  // LOG_ERR
    case spdlog::level::critical:
      return 2;  // LOG_CRIT
    default:
      return 6;
  }
}

bool stderr_is_journal(const char* journal_stream) {
  if (journal_stream == nullptr) return false;
  unsigned long long device = 0;
  unsigned long long inode = 0;
  if (std::sscanf(journal_stream, "%llu:%llu", &device, &inode) != 2) return false;
  struct stat status {};
  if (fstat(STDERR_FILENO, &status) != 0) return false;
  return status.st_dev == device && status.st_ino == inode;
}

void setup_logging(spdlog::level::level_enum level) {
  std::shared_ptr<spdlog::logger> logger;
  if (stderr_is_journal(std::getenv("JOURNAL_STREAM"))) {
    logger = std::make_shared<spdlog::logger>("plancal", std::make_shared<JournalStderrSink>());
  } else {
    logger = std::make_shared<spdlog::logger>(
        "plancal", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  }
  logger->set_level(level);
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace plancal
