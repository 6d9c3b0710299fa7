#pragma once
/// Personal pages rendered ahead: after every change each link's personal page is rendered
/// before anyone asks for it, so a change to a programme of thousands of people costs its
/// rendering once, when it is published, instead of on each person's first visit.
///
/// A page shows its own link (the subscribe buttons, their QR code, the links to the year
/// overviews), and the store keeps only hashes of link secrets. So a frame is the page
/// rendered with a stand-in for the secret, and the real secret and its QR code are put in
/// when the page is asked for (fill_frame): a copy, not a render.
///
/// A frame keeps only its own few kilobytes: its lists of meetings are shared with every
/// page that shows the same meetings (meeting_fragments.h).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/feed_tokens.h"
#include "web/meeting_fragments.h"
#include "web/meeting_view.h"
#include "web/person_page.h"
#include "web/published_source.h"

namespace plancal::web {

struct PageFrame {
  /// The page; its own pieces (PagePieces: the even positions) hold the stand-in secret and,
  /// for the QR code, qr_mark().
  PagePieces page;
  std::string qr_text;  ///< what the QR code encodes, with the stand-in; empty: no QR code
  int qr_extent = 0;    ///< the stand-in's QR code size; a secret's must be the same
  /// Until when (Unix seconds, exclusive) the page reads the same; nullopt: until the
  /// published state changes.
  std::optional<std::int64_t> valid_until;
};

/// The frames of one published state, by scope (frame_key).
using PageFrames = std::unordered_map<std::string, std::shared_ptr<const PageFrame>>;

/// The key of a token's personal page among the frames: its plan (empty for every plan) and
/// its audience.
[[nodiscard]] std::string frame_key(const FeedToken& token);

/// The stand-in for a link secret in frames: as long as a link secret (43 characters of
/// base64url, so its QR code has the same size), random per process, so that no plan text
/// can pose as it.
[[nodiscard]] std::string_view frame_secret_stand_in();

/// What the page's QR code path reads in a frame; random per process as the stand-in.
[[nodiscard]] std::string_view qr_mark();

/// Everything a frame is rendered from; the caches are the published state's own.
struct FrameInputs {
  const PublishedPageSource& published;
  std::string public_url;  ///< the base of feed links (feeds.public_url)
  std::int64_t now = 0;
  MeetingViews& views;
  MeetingFragments& fragments;
};

/// The personal page frame of every scope the tokens name (one per plan and audience), on at
/// most `threads` threads. A scope whose audience appears in no plan has no frame (its link
/// answers 404, as before).
[[nodiscard]] PageFrames render_frames(const FrameInputs& inputs,
                                       const std::vector<FeedToken>& tokens, unsigned threads);

/// The page of the link with `secret`, from its frame; nullopt when the secret cannot take
/// the stand-in's place (not 43 characters of base64url): the caller renders it whole.
[[nodiscard]] std::optional<std::string> fill_frame(const PageFrame& frame,
                                                    std::string_view secret);

}  // namespace plancal::web
