#pragma once
/// The HTTP side of a page as a function: status, headers, body. Every page (and the 404
/// page) sends the same security headers: a Content-Security-Policy that allows no script and
/// styles only from plancal itself, no framing, no Referer (the token is in the URL, so it
/// must not leak to the links the page holds), no MIME sniffing, and private caching. The
/// server only copies these onto the wire.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace plancal::web {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct PageResponse {
  int status = 200;
  Headers headers;
  std::string body;  ///< empty for 304

  /// The value of header `name` (exact spelling), or nullopt.
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

/// default-src 'none' (so no script, frame, font, media or connection of any kind),
/// style-src 'self' (the stylesheet plancal serves; no inline style), img-src 'self' (the
/// icon), form-action 'self', base-uri 'none', frame-ancestors 'none'.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'";

/// The headers every HTML page sends, Content-Type included.
[[nodiscard]] Headers page_headers();

/// A strong ETag of `body`: a quoted prefix of its SHA-256.
[[nodiscard]] std::string etag_of(std::string_view body);

/// True when an If-None-Match value ("*", or a list of strong or W/ weak tags) names `etag`.
[[nodiscard]] bool if_none_match_hits(std::string_view if_none_match, std::string_view etag);

/// 200 with `html`, or 304 without a body when `if_none_match` names its ETag.
[[nodiscard]] PageResponse html_page(std::string html,
                                     std::optional<std::string_view> if_none_match = {});

/// 404 with the Norwegian "Siden finnes ikke" page: for unknown, revoked or malformed tokens
/// alike, so the answer tells nothing about which it was.
[[nodiscard]] PageResponse not_found_page();

}  // namespace plancal::web
