#include "os/notify.h"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <utility>

namespace plancal {

namespace {

std::optional<std::chrono::microseconds> watchdog_from_environment() {
  const char* usec = std::getenv("WATCHDOG_USEC");
  if (usec == nullptr) return std::nullopt;
  if (const char* pid = std::getenv("WATCHDOG_PID")) {
    if (std::strtoll(pid, nullptr, 10) != static_cast<long long>(getpid())) return std::nullopt;
  }
  const long long value = std::strtoll(usec, nullptr, 10);
  if (value <= 0) return std::nullopt;
  return std::chrono::microseconds(value);
}

/// The socket address; an abstract name ('@' first) has a NUL where the '@' was.
bool make_address(const std::string& path, sockaddr_un& address, socklen_t& length) {
  address = {};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof address.sun_path) return false;
  std::memcpy(address.sun_path, path.data(), path.size());
  if (path.front() == '@') address.sun_path[0] = '\0';
  length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size());
  return true;
}

}  // namespace

SystemdNotifier SystemdNotifier::from_environment() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  std::string path = socket != nullptr ? socket : "";
  if (!path.empty() && path.front() != '/' && path.front() != '@') path.clear();
  return {std::move(path), watchdog_from_environment()};
}

SystemdNotifier::SystemdNotifier(std::string socket_path,
                                 std::optional<std::chrono::microseconds> watchdog)
    : socket_path_(std::move(socket_path)), watchdog_(watchdog) {
  if (!socket_path_.empty()) fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
}

SystemdNotifier::~SystemdNotifier() {
  if (fd_ >= 0) close(fd_);
}

SystemdNotifier::SystemdNotifier(SystemdNotifier&& other) noexcept
    : socket_path_(std::move(other.socket_path_)),
      watchdog_(other.watchdog_),
      fd_(std::exchange(other.fd_, -1)),
      warned_(other.warned_) {
  other.socket_path_.clear();
}

bool SystemdNotifier::send(std::string_view message) {
  if (socket_path_.empty()) return true;
  sockaddr_un address{};
  socklen_t length = 0;
  bool sent = fd_ >= 0 && make_address(socket_path_, address, length);
  if (sent) {
    const auto* target = reinterpret_cast<const sockaddr*>(&address);
    sent = sendto(fd_, message.data(), message.size(), MSG_NOSIGNAL, target, length) >= 0;
  }
  if (!sent && !warned_) {
    warned_ = true;
    spdlog::warn("cannot notify systemd at {}: {}", socket_path_, std::strerror(errno));
  }
  return sent;
}

void SystemdNotifier::ready(std::string_view status) {
  (void)send("READY=1\nSTATUS=" + one_line(status));
}

void SystemdNotifier::status(std::string_view status) { (void)send("STATUS=" + one_line(status)); }

void SystemdNotifier::reloading() {
  (void)send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(monotonic_usec()));
}

void SystemdNotifier::stopping() { (void)send("STOPPING=1\nSTATUS=stopping"); }

void SystemdNotifier::extend_timeout(std::chrono::microseconds more) {
  (void)send("EXTEND_TIMEOUT_USEC=" + std::to_string(more.count()));
}

void SystemdNotifier::watchdog_ping() {
  if (watchdog_) (void)send("WATCHDOG=1");
}

std::optional<std::chrono::milliseconds> SystemdNotifier::watchdog_period() const {
  if (!watchdog_ || socket_path_.empty()) return std::nullopt;
  const auto half = std::chrono::duration_cast<std::chrono::milliseconds>(*watchdog_ / 2);
  return std::max(half, std::chrono::milliseconds(1));
}

long long monotonic_usec() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<long long>(now.tv_sec) * 1000000LL + now.tv_nsec / 1000;
}

std::string one_line(std::string_view text) {
  std::string line(text);
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return line;
}

}  // namespace plancal
