#pragma once
/// The HTTP server: libmicrohttpd with its own threads (epoll, one event loop per thread),
/// so a slow or idle client costs a socket, not a thread, and never blocks anyone else.
///
/// Limits against misbehaving clients (the README's "Limits" section lists them):
/// - a request must arrive whole within request_timeout_seconds of its connection opening
///   (or of the previous response), however steadily it trickles in (ConnectionGuard);
///   an idle connection is closed after connection_timeout_seconds;
/// - at most per_client_connection_limit connections from one address, connection_limit in
///   all (lowered to what the open-file limit allows, which start() raises towards its hard
///   limit); past either, libmicrohttpd closes new connections without an answer;
/// - from three quarters of connection_limit on, requests get 503 with Retry-After, so
///   clients hear that the server is busy while there is still room to tell them;
/// - a per-connection memory limit, which also bounds the request line and headers.
/// Requests that break HTTP/1.1's Host or framing rules get 400 (request_checks.h). All
/// other request logic lives in an HttpHandler; this class only moves bytes.

#include <cstdint>
#include <memory>
#include <string>

#include "base/result.h"
#include "httpd/http_types.h"

struct MHD_Daemon;

namespace plancal::httpd {

/// Where and how to listen.
struct ServerOptions {
  std::string address = "127.0.0.1";  ///< IPv4 or IPv6 literal
  std::uint16_t port = 8080;          ///< 0 = any free port (see HttpServer::port)
  unsigned threads = 2;
  unsigned connection_timeout_seconds = 10;   ///< idle connections are closed after it
  unsigned request_timeout_seconds = 15;      ///< a request must arrive whole within it
  unsigned connection_limit = 4096;           ///< in all; 503 from three quarters of it
  unsigned per_client_connection_limit = 64;  ///< from one client address
  std::size_t connection_memory_limit =
      std::size_t{16} * 1024;  ///< bytes per connection for headers
  /// The largest request body passed to a handler (form posts are a few kilobytes); a longer
  /// one is read to its end, dropped, and answered 413.
  std::size_t max_body_bytes = std::size_t{64} * 1024;
};

/// "127.0.0.1:8080", "[::1]:8080" or "localhost:8080" into address and port.
[[nodiscard]] Result<ServerOptions> parse_listen_address(std::string_view text,
                                                         ServerOptions defaults = {});

class HttpServer {
 public:
  /// Binds and starts serving; `handler` must outlive the server.
  [[nodiscard]] static Result<std::unique_ptr<HttpServer>> start(const ServerOptions& options,
                                                                 const HttpHandler& handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// The port actually bound (the chosen one when options.port was 0).
  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] const std::string& address() const { return address_; }
  /// The connection limit in force (options.connection_limit, or less when the open-file
  /// limit allows fewer).
  [[nodiscard]] unsigned connection_limit() const { return connection_limit_; }

  /// What libmicrohttpd's callbacks share: the handler and the connection guard.
  struct State;

 private:
  HttpServer() = default;
  struct DaemonStopper {
    void operator()(MHD_Daemon* daemon) const;
  };
  std::unique_ptr<State> state_;  ///< declared first: outlives the daemon that calls into it
  std::unique_ptr<MHD_Daemon, DaemonStopper> daemon_;
  unsigned connection_limit_ = 0;
  std::uint16_t port_ = 0;
  std::string address_;
};

}  // namespace plancal::httpd
