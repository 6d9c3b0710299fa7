#pragma once
/// Where log lines go: stderr, one line per message, always. Under systemd stderr is usually
/// connected to the journal, which stamps each line itself and reads a `<N>` syslog priority
/// prefix; a terminal or a file wants a timestamp and a level word instead. The journal is
/// recognised the way systemd documents it: $JOURNAL_STREAM holds "DEVICE:INODE" of the
/// stream it connected, and stderr's fstat() must match (a child that inherited the variable
/// but writes elsewhere must not drop its timestamps).

#include <spdlog/common.h>

#include <optional>
#include <string>
#include <string_view>

namespace plancal {

/// "trace", "debug", "info", "warning"/"warn", "error", "critical"/"crit", "off".
[[nodiscard]] std::optional<spdlog::level::level_enum> parse_log_level(std::string_view text);

/// The syslog priority (0 emerg .. 7 debug) the journal shows for an spdlog level.
[[nodiscard]] int syslog_priority(spdlog::level::level_enum level);

/// Whether stderr is the journal stream named by `journal_stream` ($JOURNAL_STREAM's value).
[[nodiscard]] bool stderr_is_journal(const char* journal_stream);

/// Makes the default logger write to stderr at `level`: `<N>message` when stderr is the
/// journal, "2026-11-24 13:00:00.123 info message" otherwise.
void setup_logging(spdlog::level::level_enum level);

}  // namespace plancal
