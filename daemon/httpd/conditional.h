#pragma once
/// Conditional GET (RFC 9110 section 13): whether a client's cached copy of a feed is still
/// current, so the server can answer 304 without a body. Calendar clients poll feeds every
/// few minutes to hours; almost every poll should end here.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace plancal::httpd {

/// What the client sent; absent headers are nullopt.
struct ConditionalHeaders {
  std::optional<std::string_view> if_none_match;
  std::optional<std::string_view> if_modified_since;
};

/// What the server holds for the representation it would send.
struct Validators {
  std::vector<std::string_view> etags;  ///< quoted entity tags that identify the same body
  std::int64_t last_modified = 0;       ///< Unix seconds; 0 = unknown, never "not modified"
  /// The server's clock, Unix seconds. An If-Modified-Since later than it is no date the
  /// server ever sent (a client's clock ahead, or a forged header) and is ignored; with the
  /// default 0 every If-Modified-Since is ignored, which costs a full response, never a
  /// wrong 304.
  std::int64_t now = 0;
};

/// True when the client's copy is current and the answer is 304 Not Modified.
/// If-None-Match, when present, decides alone (it wins over If-Modified-Since); it matches
/// by weak comparison ("W/" ignored), accepts lists and "*". If-Modified-Since is parsed as
/// an HTTP date and compared as a date; an unparsable date, or one later than `current.now`,
/// is ignored (full response), as RFC 9110 section 13.1.3 asks.
[[nodiscard]] bool is_not_modified(const ConditionalHeaders& request, const Validators& current);

/// True when one entity tag in an If-None-Match value matches one of `etags` weakly.
[[nodiscard]] bool if_none_match_matches(std::string_view header,
                                         const std::vector<std::string_view>& etags);

}  // namespace plancal::httpd
