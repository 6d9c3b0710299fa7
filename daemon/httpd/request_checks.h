#pragma once
/// The rules every request must meet before a handler sees it, and the one entry point that
/// applies them: the server calls answer() for each request, and so does the fuzz target.
///
/// - HTTP/1.1 without Host: 400 (RFC 9112 section 3.2).
/// - Content-Length together with Transfer-Encoding: 400, and the connection is closed
///   (RFC 9112 section 6.1): a proxy in front may frame the body by one header and this server
///   by the other, which is how requests are smuggled past a proxy's checks.

#include <optional>

#include "httpd/http_types.h"

namespace plancal::httpd {

/// The 400 answer for a request that breaks those rules, or nullopt when it meets them.
[[nodiscard]] std::optional<HttpResponse> malformed_request_answer(const HttpRequest& request);

/// The rules first, then `handler`.
[[nodiscard]] HttpResponse answer(const HttpHandler& handler, const HttpRequest& request);

}  // namespace plancal::httpd
