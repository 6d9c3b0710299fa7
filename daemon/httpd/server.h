#pragma once
/// The HTTP server: libmicrohttpd with its own threads (epoll, one event loop per thread),
/// so a slow or idle client costs a socket, not a thread, and never blocks anyone else.
/// Limits against misbehaving clients: an idle-connection timeout (slowloris), a cap on
/// connections and a per-connection memory limit (which also bounds the request line).
/// All request logic lives in an HttpHandler; this class only moves bytes.

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
  unsigned connection_timeout_seconds = 10;  ///< idle or slow connections are closed after it
  unsigned connection_limit = 1024;
  std::size_t connection_memory_limit =
      std::size_t{16} * 1024;  ///< bytes per connection for headers
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

 private:
  HttpServer() = default;
  struct DaemonStopper {
    void operator()(MHD_Daemon* daemon) const;
  };
  std::unique_ptr<MHD_Daemon, DaemonStopper> daemon_;
  std::uint16_t port_ = 0;
  std::string address_;
};

}  // namespace plancal::httpd
