#pragma once
/// Deadlines for requests, which libmicrohttpd lacks: its connection timeout counts idle time
/// only, so a client that sends one byte every few seconds keeps a connection (and a file
/// descriptor) for ever, and a thousand of them take the server offline for everyone.
///
/// The guard gives each request a deadline by which it must have arrived whole (head and any
/// body), counted from the moment its connection opened or the previous response on it was
/// sent. A connection that misses it has its socket shut down; libmicrohttpd then reads the
/// end of the stream and closes the connection in its own thread, as for any client that
/// hangs up. The guard also counts open connections, so the server can answer 503 while
/// there is still room to answer at all.

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace plancal::httpd {

class ConnectionGuard {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  /// One open connection, owned by the guard from opened() to closed().
  struct Connection;

  /// `clock` is injectable for tests; the steady clock by default.
  explicit ConnectionGuard(std::chrono::seconds request_timeout, Clock clock = {});
  ~ConnectionGuard();
  ConnectionGuard(const ConnectionGuard&) = delete;
  ConnectionGuard& operator=(const ConnectionGuard&) = delete;

  /// A connection opened on socket `fd`: its first request is due within the timeout.
  [[nodiscard]] Connection* opened(int fd);
  /// Its request arrived whole: no deadline while it is being answered.
  void request_received(Connection* connection);
  /// Its response was sent (or the request ended otherwise): the next request on the kept-alive
  /// connection is due within the timeout.
  void response_sent(Connection* connection);
  /// The library is closing it; called before the descriptor is closed, so the guard never
  /// shuts down a descriptor number that a newer connection already reuses.
  void closed(Connection* connection);

  /// Shuts down the socket of every connection past its deadline; returns how many. The
  /// guard's thread calls it every second once sweep_every_second() ran; tests call it directly.
  std::size_t sweep();
  /// Starts that thread; it stops when the guard is destroyed.
  void sweep_every_second();

  [[nodiscard]] std::size_t open_connections() const;

 private:
  std::chrono::steady_clock::time_point now() const;

  std::chrono::seconds request_timeout_;
  Clock clock_;
  mutable std::mutex mutex_;
  std::map<const Connection*, std::unique_ptr<Connection>> connections_;
  std::jthread sweeper_;  ///< last member: stops before the rest is destroyed
};

}  // namespace plancal::httpd
