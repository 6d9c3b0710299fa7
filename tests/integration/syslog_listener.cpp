#include "syslog_listener.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <fstream>

namespace plancal::testing {

namespace {

constexpr const char* kSyslogPath = "/dev/log";

sockaddr_un syslog_address() {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, kSyslogPath, sizeof address.sun_path - 1);
  return address;
}

/// Whether something reads /dev/log now (a syslog daemon, or another test process).
bool someone_listens() {
  const int probe = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (probe < 0) return false;
  const sockaddr_un address = syslog_address();
  const bool listening =
      connect(probe, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  close(probe);
  return listening;
}

/// A datagram socket bound at /dev/log (replacing a dead one); -1 when that is not possible.
int bind_syslog_socket() {
  if (someone_listens()) return -1;
  const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  unlink(kSyslogPath);  // a socket left by a test process that was killed
  const sockaddr_un address = syslog_address();
  if (bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  chmod(kSyslogPath, 0666);  // Cyrus logs as the cyrus user
  return fd;
}

std::mutex& instance_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::weak_ptr<SyslogListener>& instance() {
  static std::weak_ptr<SyslogListener> listener;
  return listener;
}

}  // namespace

std::shared_ptr<SyslogListener> SyslogListener::acquire() {
  const std::lock_guard lock(instance_mutex());
  if (auto existing = instance().lock()) return existing;
  std::shared_ptr<SyslogListener> created(new SyslogListener());
  instance() = created;
  return created;
}

SyslogListener::SyslogListener() : socket_fd_(bind_syslog_socket()) {
  if (socket_fd_ >= 0) {
    thread_ = std::jthread([this](const std::stop_token& stop) { receive(stop); });
  }
}

SyslogListener::~SyslogListener() {
  if (socket_fd_ < 0) return;
  thread_.request_stop();
  thread_.join();
  unlink(kSyslogPath);
  close(socket_fd_);
}

void SyslogListener::route(const std::string& tag, const std::filesystem::path& log) {
  const std::lock_guard lock(mutex_);
  routes_[tag] = log;
}

void SyslogListener::unroute(const std::string& tag) {
  const std::lock_guard lock(mutex_);
  routes_.erase(tag);
}

void SyslogListener::receive(const std::stop_token& stop) {
  std::array<char, 8192> buffer{};
  while (!stop.stop_requested()) {
    pollfd ready{socket_fd_, POLLIN, 0};
    if (poll(&ready, 1, 100) <= 0) continue;
    const ssize_t size = recv(socket_fd_, buffer.data(), buffer.size(), 0);
    if (size > 0) deliver(std::string(buffer.data(), static_cast<std::size_t>(size)));
  }
}

void SyslogListener::deliver(const std::string& message) {
  const std::lock_guard lock(mutex_);
  for (const auto& [tag, log] : routes_) {
    if (message.find(tag + "/") == std::string::npos &&
        message.find(tag + "[") == std::string::npos) {
      continue;
    }
    std::ofstream(log, std::ios::app) << message << (message.ends_with('\n') ? "" : "\n");
  }
}

}  // namespace plancal::testing
