#include "feed/feed_body.h"

#include <fmt/format.h>

#include "base/http_date.h"
#include "store/secrets.h"

namespace plancal::feed {

namespace {

/// 128 bits of the hash: collisions are out of reach and the header stays short.
constexpr std::size_t kEtagHexDigits = 32;

}  // namespace

FeedBody make_feed_body(std::string text, std::int64_t last_modified) {
  FeedBody body;
  const std::string hash = sha256_hex(text).substr(0, kEtagHexDigits);
  body.etag = fmt::format("\"{}\"", hash);
  body.gzip_etag = fmt::format("\"{}-gzip\"", hash);
  body.identity = std::move(text);
  body.last_modified = last_modified;
  if (last_modified > 0) body.last_modified_http = format_http_date(last_modified);
  return body;
}

}  // namespace plancal::feed
