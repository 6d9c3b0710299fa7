#pragma once
/// gzip compression of feed bodies through zlib, done once per feed and change (never per
/// request). The gzip header carries no time stamp or file name, so the same body always
/// compresses to the same bytes and the compressed ETag stays stable across rebuilds.

#include <string>
#include <string_view>

namespace plancal::httpd {

/// The gzip (RFC 1952) encoding of `data` at the best compression level.
/// Throws std::runtime_error only if zlib fails, which means a bug or no memory.
[[nodiscard]] std::string gzip_compress(std::string_view data);

/// Inverse of gzip_compress, for tests and diagnostics; throws on malformed input.
[[nodiscard]] std::string gzip_decompress(std::string_view data);

}  // namespace plancal::httpd
