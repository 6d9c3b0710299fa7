#pragma once
/// HTTP over a plain socket, for tests that must send what no well-behaved client sends (no
/// Host, both Content-Length and Transfer-Encoding) or must choose the client's own loopback
/// address (127.0.0.2 is another client than 127.0.0.1 to a server's per-address limit).

#include <map>
#include <optional>
#include <string>

namespace plancal::testing {

struct RawHttpResponse {
  int status = 0;                              ///< 0 when no status line came back
  std::map<std::string, std::string> headers;  ///< names in lower case
  std::string body;
  bool closed = false;  ///< the server closed the connection after the response
  [[nodiscard]] std::string header(const std::string& name) const;
};

/// Connects from `source` (a loopback address) to 127.0.0.1:`port`, sends `request` as it
/// is, and reads one response (up to 10 s). nullopt when the server refused or dropped the
/// connection without answering.
std::optional<RawHttpResponse> raw_http(int port, const std::string& request,
                                        const std::string& source = "127.0.0.1");

/// A connected socket from `source` to 127.0.0.1:`port` that has sent nothing; -1 on failure.
int open_idle_connection(int port, const std::string& source = "127.0.0.1");

/// True when the server has closed `fd` (reading gives end of stream or a reset) within
/// `wait_ms`; data it sent first is skipped.
bool closed_by_server(int fd, int wait_ms);

}  // namespace plancal::testing
