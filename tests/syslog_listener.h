#pragma once
/// A syslog socket for servers under test that log nowhere else. Cyrus IMAP writes every
/// message, including why it refuses to start or answers 500, through syslog(3), that is to
/// the datagram socket /dev/log; on a machine without a syslog daemon (a container, CI) those
/// messages vanish and a failing test cannot say why.
///
/// While any server of this test process holds the listener, it owns /dev/log (only when no
/// live socket is there: a real syslog daemon keeps its socket, and the messages are then in
/// the system log) and appends each message to the log file registered for the tag it
/// carries (Cyrus's `syslog_prefix`). The socket is removed when the last holder lets go.

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

namespace plancal::testing {

class SyslogListener {
 public:
  /// The process's listener, started on first use and stopped when the last holder drops it.
  static std::shared_ptr<SyslogListener> acquire();

  ~SyslogListener();
  SyslogListener(const SyslogListener&) = delete;
  SyslogListener& operator=(const SyslogListener&) = delete;

  /// Messages containing "TAG/" or "TAG[" go to the end of `log` from now on.
  void route(const std::string& tag, const std::filesystem::path& log);
  void unroute(const std::string& tag);

  /// Whether this process owns /dev/log (false: another syslog reader has it, or no rights).
  [[nodiscard]] bool active() const { return socket_fd_ >= 0; }

 private:
  SyslogListener();
  void receive(const std::stop_token& stop);
  void deliver(const std::string& message);

  int socket_fd_ = -1;
  std::mutex mutex_;
  std::map<std::string, std::filesystem::path> routes_;
  std::jthread thread_;
};

/// A route of the process's listener, removed when this goes away.
class SyslogRoute {
 public:
  SyslogRoute(std::string tag, const std::filesystem::path& log)
      : listener_(SyslogListener::acquire()), tag_(std::move(tag)) {
    listener_->route(tag_, log);
  }
  ~SyslogRoute() { listener_->unroute(tag_); }
  SyslogRoute(const SyslogRoute&) = delete;
  SyslogRoute& operator=(const SyslogRoute&) = delete;

  [[nodiscard]] bool active() const { return listener_->active(); }

 private:
  std::shared_ptr<SyslogListener> listener_;
  std::string tag_;
};

}  // namespace plancal::testing
