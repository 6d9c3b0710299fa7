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

/// A piece's digest: sha256_hex.
constexpr std::size_t kDigestHexDigits = 64;

std::string joined(const std::vector<std::string_view>& views) {
  std::size_t size = 0;
  for (const auto view : views) size += view.size();
  std::string text;
  text.reserve(size);
  for (const auto view : views) text += view;
  return text;
}

std::vector<std::string_view> views_of(const TextPiece& head, const PieceList& rest) {
  std::vector<std::string_view> out;
  out.reserve(1 + rest.pieces.size());
  out.emplace_back(head.bytes);
  for (const auto& piece : rest.pieces) out.emplace_back(piece->bytes);
  return out;
}

const SharedPieceList& no_pieces() {
  static const auto* const kNone = new SharedPieceList(std::make_shared<const PieceList>());
  return *kNone;
}

}  // namespace

std::vector<SharedText> FeedBody::pieces() const {
  std::vector<SharedText> out;
  out.reserve(1 + rest->pieces.size());
  out.push_back(head);
  out.insert(out.end(), rest->pieces.begin(), rest->pieces.end());
  return out;
}

std::vector<std::string_view> FeedBody::views() const { return views_of(*head, *rest); }

std::string FeedBody::text() const { return joined(views()); }

SharedText make_text(std::string bytes) {
  auto piece = std::make_shared<TextPiece>();
  piece->digest = sha256_hex(bytes);
  piece->bytes = std::move(bytes);
  return piece;
}

SharedPieceList make_piece_list(std::vector<SharedText> pieces) {
  auto list = std::make_shared<PieceList>();
  list->digests.reserve(pieces.size() * kDigestHexDigits);
  for (const auto& piece : pieces) {
    list->digests += piece->digest;
    list->size += piece->bytes.size();
  }
  list->pieces = std::move(pieces);
  return list;
}

FeedBody make_feed_body(std::string text, std::int64_t last_modified) {
  return make_feed_body(make_text(std::move(text)), no_pieces(), last_modified);
}

FeedBody make_feed_body(std::vector<SharedText> pieces, std::int64_t last_modified) {
  SharedText head = std::move(pieces.front());
  pieces.erase(pieces.begin());
  return make_feed_body(std::move(head), make_piece_list(std::move(pieces)), last_modified);
}

FeedBody make_feed_body(SharedText head, SharedPieceList rest, std::int64_t last_modified) {
  FeedBody body;
  if (1 + rest->pieces.size() > kMaxPieces) {
    body.head = make_text(joined(views_of(*head, *rest)));
    body.rest = no_pieces();
  } else {
    body.head = std::move(head);
    body.rest = std::move(rest);
  }
  body.size = body.head->bytes.size() + body.rest->size;
  // SHA-256 of the pieces' digests in order: each digest is 64 hex digits, so the list reads
  // one way only.
  const std::string hash =
      sha256_hex({body.head->digest, body.rest->digests}).substr(0, kEtagHexDigits);
  body.etag = fmt::format("\"{}\"", hash);
  body.gzip_etag = fmt::format("\"{}-gzip\"", hash);
  body.last_modified = last_modified;
  if (last_modified > 0) body.last_modified_http = format_http_date(last_modified);
  return body;
}

}  // namespace plancal::feed
