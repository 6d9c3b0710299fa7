#include "feed/feed_body.h"

#include <fmt/format.h>

#include "base/hash.h"
#include "base/http_date.h"

namespace plancal::feed {

namespace {

/// 128 bits of the hash: collisions are out of reach and the header stays short.
constexpr std::size_t kEtagHexDigits = 32;

/// More pieces than this are joined into one: the server sends pieces with one system call
/// (writev), which takes at most 1,024 (IOV_MAX); only a large per-plan feed has this many.
constexpr std::size_t kMaxPieces = 512;

std::string joined(const std::vector<SharedText>& pieces) {
  std::size_t size = 0;
  for (const auto& piece : pieces) size += piece->bytes.size();
  std::string text;
  text.reserve(size);
  for (const auto& piece : pieces) text += piece->bytes;
  return text;
}

/// SHA-256 of the pieces' digests in order: each digest is 64 hex digits, so the list reads
/// one way only.
std::string digest_of_pieces(const std::vector<SharedText>& pieces) {
  std::vector<std::string_view> digests;
  digests.reserve(pieces.size());
  for (const auto& piece : pieces) digests.emplace_back(piece->digest);
  return sha256_hex(digests);
}

}  // namespace

std::vector<std::string_view> FeedBody::views() const {
  std::vector<std::string_view> out;
  out.reserve(pieces.size());
  for (const auto& piece : pieces) out.emplace_back(piece->bytes);
  return out;
}

std::string FeedBody::text() const { return joined(pieces); }

SharedText make_text(std::string bytes) {
  auto piece = std::make_shared<TextPiece>();
  piece->digest = sha256_hex(bytes);
  piece->bytes = std::move(bytes);
  return piece;
}

FeedBody make_feed_body(std::string text, std::int64_t last_modified) {
  std::vector<SharedText> pieces;
  pieces.push_back(make_text(std::move(text)));
  return make_feed_body(std::move(pieces), last_modified);
}

FeedBody make_feed_body(std::vector<SharedText> pieces, std::int64_t last_modified) {
  if (pieces.size() > kMaxPieces) {
    auto one = make_text(joined(pieces));
    pieces = {std::move(one)};
  }
  FeedBody body;
  body.pieces = std::move(pieces);
  for (const auto& piece : body.pieces) body.size += piece->bytes.size();
  const std::string hash = digest_of_pieces(body.pieces).substr(0, kEtagHexDigits);
  body.etag = fmt::format("\"{}\"", hash);
  body.gzip_etag = fmt::format("\"{}-gzip\"", hash);
  body.last_modified = last_modified;
  if (last_modified > 0) body.last_modified_http = format_http_date(last_modified);
  return body;
}

}  // namespace plancal::feed
