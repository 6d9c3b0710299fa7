#pragma once
/// FeedBody: one rendered feed in the two forms the server sends, with its validators.
/// Built once per change and then only read, by many server threads at once.

#include <cstdint>
#include <string>

#include "httpd/lazy_gzip.h"

namespace plancal::feed {

struct FeedBody {
  std::string identity;            ///< the iCalendar text
  std::string etag;                ///< strong ETag of `identity`: quoted SHA-256 prefix
  std::string gzip_etag;           ///< strong ETag of `gzip` (a different representation, RFC 9110)
  std::int64_t last_modified = 0;  ///< Unix seconds; 0 when the feed has never had an event
  std::string last_modified_http;  ///< IMF-fixdate of last_modified; empty when 0
  httpd::LazyGzip gzip_form;

  /// `identity` gzip-compressed: made on the first request that accepts gzip (most feeds
  /// are never fetched compressed), then kept.
  [[nodiscard]] const std::string& gzip() const { return gzip_form.of(identity); }
};

/// Hashes `text` (the gzip form follows on demand). The same text always gives the same bytes and
/// ETags.
[[nodiscard]] FeedBody make_feed_body(std::string text, std::int64_t last_modified);

}  // namespace plancal::feed
