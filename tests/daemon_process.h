#pragma once
/// `plancal daemon` as a child process for tests, and a fake systemd: a unix datagram socket
/// the daemon's NOTIFY_SOCKET points at, collecting every message it sends.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace plancal::testing {

/// A bound AF_UNIX datagram socket at `path`; removed when destroyed.
class NotifyListener {
 public:
  explicit NotifyListener(std::filesystem::path path);
  ~NotifyListener();
  NotifyListener(const NotifyListener&) = delete;
  NotifyListener& operator=(const NotifyListener&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  /// Waits until a message containing `needle` arrives (or was received earlier and not yet
  /// consumed); the messages up to and including it are consumed. False on timeout.
  bool wait_for(const std::string& needle, std::chrono::milliseconds timeout);
  /// Every message received so far (including consumed ones), in order.
  [[nodiscard]] const std::vector<std::string>& history() const { return history_; }
  /// Reads what is pending without waiting.
  void poll_pending(std::chrono::milliseconds wait = std::chrono::milliseconds(0));

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::vector<std::string> history_;
  std::size_t consumed_ = 0;
};

/// `plancal SUBCOMMAND --config CONFIG --listen 127.0.0.1:0` with stderr in a file: the
/// daemon by default, or `serve` for the feed server tests.
class DaemonProcess {
 public:
  /// `env` entries ("NAME=value") are added; "WATCHDOG_PID=self" becomes the child's pid.
  DaemonProcess(const std::filesystem::path& config, const std::filesystem::path& stderr_file,
                const std::vector<std::string>& env = {},
                const std::vector<std::string>& extra_args = {},
                const std::string& subcommand = "daemon");
  ~DaemonProcess();
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string url(const std::string& path) const;
  void signal(int signal_number) const;
  /// SIGTERM, then the exit status (128+signal when killed; -1 when still running after
  /// `timeout`).
  int stop(std::chrono::seconds timeout = std::chrono::seconds(30));

 private:
  int wait_for_port();
  std::string subcommand_;
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int port_ = 0;
};

/// Resident set size (kB) and open file descriptors of a process, from /proc.
long resident_kib(pid_t pid);
long open_fds(pid_t pid);

}  // namespace plancal::testing
