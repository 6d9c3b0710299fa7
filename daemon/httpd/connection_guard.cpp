#include "httpd/connection_guard.h"

#include <sys/socket.h>

#include <condition_variable>
#include <optional>

#include <spdlog/spdlog.h>

namespace plancal::httpd {

struct ConnectionGuard::Connection {
  int fd = -1;
  /// When the request being received must be complete; nullopt while one is being answered.
  std::optional<std::chrono::steady_clock::time_point> due;
};

ConnectionGuard::ConnectionGuard(std::chrono::seconds request_timeout, Clock clock)
    : request_timeout_(request_timeout), clock_(std::move(clock)) {}

ConnectionGuard::~ConnectionGuard() = default;

std::chrono::steady_clock::time_point ConnectionGuard::now() const {
  return clock_ ? clock_() : std::chrono::steady_clock::now();
}

ConnectionGuard::Connection* ConnectionGuard::opened(int fd) {
  auto connection = std::make_unique<Connection>();
  connection->fd = fd;
  connection->due = now() + request_timeout_;
  Connection* handle = connection.get();
  const std::lock_guard lock(mutex_);
  connections_.emplace(handle, std::move(connection));
  return handle;
}

void ConnectionGuard::request_received(Connection* connection) {
  if (connection == nullptr) return;
  const std::lock_guard lock(mutex_);
  connection->due.reset();
}

void ConnectionGuard::response_sent(Connection* connection) {
  if (connection == nullptr) return;
  const auto due = now() + request_timeout_;
  const std::lock_guard lock(mutex_);
  connection->due = due;
}

void ConnectionGuard::closed(Connection* connection) {
  if (connection == nullptr) return;
  const std::lock_guard lock(mutex_);
  connections_.erase(connection);
}

std::size_t ConnectionGuard::sweep() {
  const auto current = now();
  std::size_t shut = 0;
  const std::lock_guard lock(mutex_);
  for (auto& [handle, connection] : connections_) {
    if (!connection->due || *connection->due > current) continue;
    // The descriptor stays open (the library closes it after closed()): shutdown only ends
    // the stream, which the library's own thread then reads as the client hanging up.
    ::shutdown(connection->fd, SHUT_RDWR);
    connection->due.reset();
    ++shut;
  }
  return shut;
}

void ConnectionGuard::sweep_every_second() {
  sweeper_ = std::jthread([this](const std::stop_token& stop) {
    std::mutex wait_mutex;
    std::condition_variable_any woken;
    for (;;) {
      std::unique_lock lock(wait_mutex);
      woken.wait_for(lock, stop, std::chrono::seconds(1), [] { return false; });
      if (stop.stop_requested()) return;
      if (const auto shut = sweep(); shut > 0) {
        spdlog::debug("http: closed {} connection(s) whose request did not arrive within {} s",
                      shut, request_timeout_.count());
      }
    }
  });
}

std::size_t ConnectionGuard::open_connections() const {
  const std::lock_guard lock(mutex_);
  return connections_.size();
}

}  // namespace plancal::httpd
