#pragma once
/// The HTTP request and response as a handler sees them: plain values, no sockets, so
/// every route and header rule is tested by calling a function. The server (server.h)
/// translates between these and libmicrohttpd.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace plancal::httpd {

struct HttpRequest {
  std::string_view method;   ///< "GET", "HEAD", ...
  std::string_view path;     ///< decoded path without the query string
  std::string_view version;  ///< "HTTP/1.1", "HTTP/1.0"
  std::optional<std::string_view> host;
  std::optional<std::string_view> if_none_match;
  std::optional<std::string_view> if_modified_since;
  std::optional<std::string_view> accept_encoding;
  std::optional<std::string_view> content_length;     ///< for the framing rule only
  std::optional<std::string_view> transfer_encoding;  ///< for the framing rule only
  std::string_view client_address;                    ///< for logs: "127.0.0.1"
  std::optional<std::string_view> cookie;             ///< the Cookie header, for signed-in pages
  std::optional<std::string_view> content_type;       ///< of the body (a form post)
  /// The request body as received, at most ServerOptions::max_body_bytes (a longer one is
  /// answered 413 before any handler sees it). Empty for GET and HEAD.
  std::string_view body;
};

/// GET or HEAD: the methods that only read, the only ones a feed or page link answers.
[[nodiscard]] inline bool is_get_or_head(std::string_view method) {
  return method == "GET" || method == "HEAD";
}

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  /// The body bytes: either `owned_body`, or memory kept alive by `keep_alive` (a feed in
  /// the catalog, which the server may replace while this response is being sent): `body`,
  /// or, when it is not empty, `body_pieces` one after the other (a feed whose events' bytes
  /// are shared with other feeds, sent without joining them).
  std::string_view body;
  std::vector<std::string_view> body_pieces;
  std::string owned_body;
  std::shared_ptr<const void> keep_alive;

  /// The bytes sent, joined; for tests.
  [[nodiscard]] std::string payload() const {
    if (!keep_alive) return owned_body;
    if (body_pieces.empty()) return std::string(body);
    std::string joined;
    for (const std::string_view piece : body_pieces) joined += piece;
    return joined;
  }
  /// The value of header `name` (exact spelling), or nullopt; for tests.
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

/// What the server calls for every request; implementations must be thread-safe.
class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  [[nodiscard]] virtual HttpResponse handle(const HttpRequest& request) const = 0;
};

}  // namespace plancal::httpd
