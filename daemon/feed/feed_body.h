#pragma once
/// FeedBody: one rendered feed in the two forms the server sends, with its validators.
/// Built once per change and then only read, by many server threads at once.
///
/// The text is kept as pieces: the feed's own head (its name), then the VTIMEZONEs, each
/// event's text and the end, as one list shared with every feed that shows the same events.
/// 5,000 personal feeds of three teams then hold each meeting's bytes once and three lists of
/// them, and a change writes a few hundred bytes per feed instead of copying every feed whole.
///
/// Each piece carries its SHA-256, taken once when the piece is made, and a feed's ETag is the
/// SHA-256 of its pieces' digests in order: a change to a meeting that all 5,000 feeds show
/// hashes that meeting's text once and then a few kilobytes of digests per feed, not ~75 MB
/// of feed text. It is still a strong validator: any byte that changes changes its piece's
/// digest, and so the ETag.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "httpd/lazy_gzip.h"

namespace plancal::feed {

/// A piece of feed text and its digest, made once and then only read.
struct TextPiece {
  std::string bytes;
  std::string digest;  ///< sha256_hex(bytes)
};
using SharedText = std::shared_ptr<const TextPiece>;

/// `bytes` as a piece, with its digest.
[[nodiscard]] SharedText make_text(std::string bytes);

/// Pieces in a fixed order, held once by every feed that sends them: 5,000 people of three
/// teams have three lists of VTIMEZONEs, events and end between them, not 5,000.
struct PieceList {
  std::vector<SharedText> pieces;
  std::string digests;   ///< each piece's digest, in order: what a feed's ETag hashes
  std::size_t size = 0;  ///< the bytes of all pieces
};
using SharedPieceList = std::shared_ptr<const PieceList>;

/// `pieces` (none null) as a list.
[[nodiscard]] SharedPieceList make_piece_list(std::vector<SharedText> pieces);

struct FeedBody {
  SharedText head;       ///< the feed's own first piece (its properties); never null
  SharedPieceList rest;  ///< the pieces after it, shared with feeds that send the same; never null
  std::size_t size = 0;  ///< the bytes of all pieces
  std::string etag;      ///< strong ETag of the text: quoted prefix of the pieces' digests' SHA-256
  std::string gzip_etag;           ///< strong ETag of `gzip` (a different representation, RFC 9110)
  std::int64_t last_modified = 0;  ///< Unix seconds; 0 when the feed has never had an event
  std::string last_modified_http;  ///< IMF-fixdate of last_modified; empty when 0
  httpd::LazyGzip gzip_form;

  /// Every piece in order: the head, then the rest.
  [[nodiscard]] std::vector<SharedText> pieces() const;
  /// The pieces as views, in order, for sending them without joining.
  [[nodiscard]] std::vector<std::string_view> views() const;
  /// The text joined (for tests and the gzip form).
  [[nodiscard]] std::string text() const;
  /// The text gzip-compressed: made on the first request that accepts gzip (most feeds are
  /// never fetched compressed), then kept.
  [[nodiscard]] const std::string& gzip() const { return gzip_form.of_pieces(views()); }
};

/// A body of one piece. The same text always gives the same bytes and ETags.
[[nodiscard]] FeedBody make_feed_body(std::string text, std::int64_t last_modified);

/// A body of `head` then `rest`. The same pieces' bytes, cut the same way, give the same
/// ETags (a feed is always cut the same way: its properties, VTIMEZONEs, events and end);
/// other bytes give other ETags.
[[nodiscard]] FeedBody make_feed_body(SharedText head, SharedPieceList rest,
                                      std::int64_t last_modified);

/// A body of `pieces` (at least one, none null): the first is its head.
[[nodiscard]] FeedBody make_feed_body(std::vector<SharedText> pieces, std::int64_t last_modified);

}  // namespace plancal::feed
