#include "web/page_frames.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <random>
#include <set>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "base/parallel.h"
#include "web/page_routes.h"

namespace plancal::web {

namespace {

constexpr std::size_t kSecretLength = 43;  // 32 random bytes in base64url, unpadded

bool is_base64url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

std::string random_base64url(std::size_t length) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::random_device random;
  std::string text;
  for (std::size_t i = 0; i < length; ++i) text += kAlphabet[random() % kAlphabet.size()];
  return text;
}

/// Appends `text` to `out` with every `stand_in` replaced by `secret` and the QR mark by
/// `qr_path`.
void append_filled(std::string_view text, std::string_view secret, std::string_view qr_path,
                   std::string& out) {
  const std::string_view stand_in = frame_secret_stand_in();
  const std::string_view mark = qr_mark();
  while (!text.empty()) {
    const auto secret_at = text.find(stand_in);
    const auto mark_at = text.find(mark);
    const auto at = std::min(secret_at, mark_at);
    if (at == std::string_view::npos) break;
    out += text.substr(0, at);
    out += at == secret_at ? secret : qr_path;
    text.remove_prefix(at + (at == secret_at ? stand_in.size() : mark.size()));
  }
  out += text;
}

std::string replaced(std::string_view text, std::string_view secret) {
  std::string out;
  append_filled(text, secret, {}, out);
  return out;
}

/// The sizes of the stand-in links' QR codes, drawn once per distinct link: every frame's link
/// reads the same stand-in, and drawing a QR code (trying its eight masks) costs more than
/// the rest of a frame.
class QrExtents {
 public:
  /// The extent of `text`'s QR code; nullopt when it cannot be drawn.
  std::optional<int> of(const std::string& text) {
    const std::lock_guard lock(mutex_);
    auto found = extents_.find(text);
    if (found == extents_.end()) {
      const auto drawing = draw_qr(text);
      found = extents_.emplace(text, drawing ? std::optional<int>(drawing->extent) : std::nullopt)
                  .first;
    }
    return found->second;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::optional<int>, std::less<>> extents_;
};

std::shared_ptr<const PageFrame> render_frame(const FrameInputs& inputs, const FeedToken& token,
                                              QrExtents& qr_extents) {
  const std::string stand_in(frame_secret_stand_in());
  PageRequest request;
  request.scope = {token.audience, token.plan_id};
  request.feed_url = inputs.public_url + "/feeds/" + stand_in + ".ics";
  request.page_path = personal_page_path(stand_in);
  request.now = inputs.now;
  request.qr_code = false;
  const ViewerPageSource source(inputs.published, request.scope, request.feed_url);
  auto page = build_person_page(source, request, &inputs.views);
  if (!page) return nullptr;
  auto frame = std::make_shared<PageFrame>();
  if (page->subscribe) {
    frame->qr_text = page->subscribe->links.webcal;
    if (const auto extent = qr_extents.of(frame->qr_text)) {
      frame->qr_extent = *extent;
      page->subscribe->qr = QrDrawing{*extent, std::string(qr_mark())};
    } else {
      frame->qr_text.clear();
    }
  }
  frame->page = render_person_page_pieces(*page, &inputs.fragments);
  frame->valid_until = inputs.published.next_change_after(inputs.now);
  return frame;
}

}  // namespace

std::string frame_key(const FeedToken& token) { return token.plan_id + '\n' + token.audience; }

std::string_view frame_secret_stand_in() {
  static const std::string kStandIn = random_base64url(kSecretLength);
  return kStandIn;
}

std::string_view qr_mark() {
  static const std::string kMark = "plancal-qr-" + random_base64url(32);
  return kMark;
}

PageFrames render_frames(const FrameInputs& inputs, const std::vector<FeedToken>& tokens,
                         unsigned threads) {
  std::vector<const FeedToken*> scopes;
  std::set<std::string> seen;
  for (const auto& token : tokens) {
    if (seen.insert(frame_key(token)).second) scopes.push_back(&token);
  }
  std::vector<std::shared_ptr<const PageFrame>> rendered(scopes.size());
  QrExtents qr_extents;
  parallel_for(scopes.size(), std::max(1U, threads), [&](std::size_t i) {
    try {
      rendered[i] = render_frame(inputs, *scopes[i], qr_extents);
    } catch (const std::exception& error) {  // a bug: log it; the page is rendered on demand
      spdlog::error("personal page for {}: rendering ahead failed: {}", scopes[i]->audience,
                    error.what());
    }
  });
  PageFrames frames;
  frames.reserve(scopes.size());
  for (std::size_t i = 0; i < scopes.size(); ++i) {
    if (rendered[i]) frames.emplace(frame_key(*scopes[i]), std::move(rendered[i]));
  }
  return frames;
}

std::optional<std::string> fill_frame(const PageFrame& frame, std::string_view secret) {
  if (secret.size() != kSecretLength || !std::all_of(secret.begin(), secret.end(), is_base64url)) {
    return std::nullopt;
  }
  std::string qr_path;
  if (!frame.qr_text.empty()) {
    auto drawing = draw_qr(replaced(frame.qr_text, secret));
    if (!drawing || drawing->extent != frame.qr_extent) return std::nullopt;
    qr_path = std::move(drawing->path);
  }
  std::size_t size = 0;
  for (const auto& piece : frame.page.pieces) size += piece->size();
  std::string html;
  html.reserve(size + 4096);
  for (std::size_t i = 0; i < frame.page.pieces.size(); ++i) {
    const std::string& piece = *frame.page.pieces[i];
    if (i % 2 == 1) {
      html += piece;  // a shared list of meetings: nothing of the link in it
    } else {
      append_filled(piece, secret, qr_path, html);
    }
  }
  return html;
}

}  // namespace plancal::web
