#pragma once
/// The systemd notify protocol, spoken without libsystemd: one datagram per message to the
/// AF_UNIX socket named by $NOTIFY_SOCKET (a path, or an abstract name written with a
/// leading '@'), each message "KEY=VALUE" lines. When the variable is absent (run by hand,
/// in a test, under another supervisor) every call is a no-op, so the daemon's code never
/// asks "am I under systemd?".
///
/// The watchdog: systemd sets WATCHDOG_USEC (and WATCHDOG_PID, which must be our pid; a
/// child that inherited the variables must not ping for us) and expects WATCHDOG=1 more often
/// than that; we ping at half the interval.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace plancal {

class SystemdNotifier {
 public:
  /// Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID from the environment.
  static SystemdNotifier from_environment();
  /// `socket_path` "" disables notifications; `watchdog` nullopt disables the watchdog.
  SystemdNotifier(std::string socket_path, std::optional<std::chrono::microseconds> watchdog);
  ~SystemdNotifier();
  SystemdNotifier(SystemdNotifier&& other) noexcept;
  SystemdNotifier& operator=(SystemdNotifier&&) = delete;
  SystemdNotifier(const SystemdNotifier&) = delete;
  SystemdNotifier& operator=(const SystemdNotifier&) = delete;

  /// Sends `message` ("READY=1\nSTATUS=..."); false when it could not be delivered (logged
  /// once; the daemon carries on: a lost STATUS is not worth stopping for).
  bool send(std::string_view message);

  void ready(std::string_view status);
  void status(std::string_view status);
  /// RELOADING=1 with MONOTONIC_USEC, as systemd wants it before a reload starts.
  void reloading();
  void stopping();
  /// Asks systemd for more time before it gives up on start or stop.
  void extend_timeout(std::chrono::microseconds more);
  void watchdog_ping();

  [[nodiscard]] bool enabled() const { return !socket_path_.empty(); }
  /// How often to ping (half of WATCHDOG_USEC), or nullopt when no watchdog is set.
  [[nodiscard]] std::optional<std::chrono::milliseconds> watchdog_period() const;

 private:
  std::string socket_path_;
  std::optional<std::chrono::microseconds> watchdog_;
  int fd_ = -1;
  bool warned_ = false;
};

/// CLOCK_MONOTONIC in microseconds, as MONOTONIC_USEC wants it.
[[nodiscard]] long long monotonic_usec();

/// STATUS= takes one line: line breaks become spaces.
[[nodiscard]] std::string one_line(std::string_view text);

}  // namespace plancal
