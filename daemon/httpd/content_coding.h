#pragma once
/// Accept-Encoding (RFC 9110 section 12.5.3): whether to send a feed gzip-compressed.
/// A year's feed is tens of kilobytes of repetitive text that gzip shrinks about tenfold,
/// and every calendar client polls it; but a client that says "gzip;q=0" must get plain text.

#include <string_view>

namespace plancal::httpd {

/// True when the header allows gzip: "gzip" or "x-gzip" with q > 0, or "*" with q > 0 when
/// gzip is not named. q-values are parsed per RFC (0, 0.5, 1.000); a malformed q counts as 0.
/// An absent or empty header means identity only: we never compress unasked.
[[nodiscard]] bool accepts_gzip(std::string_view accept_encoding);

}  // namespace plancal::httpd
