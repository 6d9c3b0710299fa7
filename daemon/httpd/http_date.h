#pragma once
/// HTTP dates (RFC 9110 section 5.6.7): Last-Modified is sent as IMF-fixdate, and
/// If-Modified-Since is parsed in all three historic formats, because calendar clients and
/// proxies still send the obsolete ones. Comparing parsed dates (never the strings) is what
/// makes a 304 correct when a client echoes a date in another form.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace plancal::httpd {

/// "Sun, 06 Nov 1994 08:49:37 GMT" for Unix seconds (UTC).
[[nodiscard]] std::string format_http_date(std::int64_t unix_seconds);

/// Unix seconds for an IMF-fixdate, an RFC 850 date ("Sunday, 06-Nov-94 08:49:37 GMT") or an
/// asctime date ("Sun Nov  6 08:49:37 1994"); nullopt when the text is none of them or names
/// an impossible date. The weekday is not checked against the date (as RFC 9110 allows).
[[nodiscard]] std::optional<std::int64_t> parse_http_date(std::string_view text);

}  // namespace plancal::httpd
