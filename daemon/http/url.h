#pragma once
/// URL pieces the HTTP layer and its adapters need: the origin (to resolve server hrefs and
/// to refuse cross-origin redirects that would carry credentials elsewhere) and a redacted
/// form for logs, since query strings and userinfo may carry tokens.

#include <optional>
#include <string>
#include <string_view>

namespace plancal::http {

/// scheme "://" [userinfo "@"] host [":" port] path ["?" query] ["#" fragment]
struct UrlParts {
  std::string scheme;     ///< lower case: "https"
  std::string userinfo;   ///< "user:password" or empty
  std::string authority;  ///< host[:port] without userinfo, as written
  std::string path;       ///< "/" when the URL has none
  std::string query;      ///< without '?'
  std::string fragment;   ///< without '#'
  bool has_query = false;
};

/// Splits an absolute http(s) URL; nullopt when it is not one.
[[nodiscard]] std::optional<UrlParts> split_url(std::string_view url);

/// "https://host:port" for an absolute URL; empty when the URL is not absolute.
[[nodiscard]] std::string origin_of(std::string_view url);

/// The URL as it may appear in a log: userinfo dropped, query and fragment replaced by
/// "?<redacted>" / dropped. Text that is not a URL is reduced to "<unparsable URL>".
[[nodiscard]] std::string redact_url(std::string_view url);

}  // namespace plancal::http
