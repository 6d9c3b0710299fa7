#pragma once
/// The VEVENT text of every distinct event the feeds of one build show, rendered once and
/// shared: 5,000 personal feeds of three teams show the same few dozen meetings, so a rebuild
/// renders those few dozen events, and each feed body holds their texts as pieces (its head,
/// the texts, the end read as rendering the feed whole: render_calendar_head).
///
/// An event's text depends on the stored event (its occurrence and revision), whether it is
/// shown cancelled, whether a personal feed labels it with its programme, the zone it is
/// written in and the preparation alarm; equal keys give equal bytes.
///
/// Texts are kept in a TextPool by their bytes, and a build takes the previous build's pool:
/// an event that did not change keeps the very text object it had, so a feed whose pieces are
/// the same objects as before reads the same, and is kept without hashing it again. A text's
/// digest (feed_body.h) is taken once, when the pool first keeps it.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "base/less_as_view.h"
#include "expand/occurrence.h"
#include "feed/feed_body.h"
#include "ical/render.h"

namespace plancal::feed {

/// Texts by their bytes: equal bytes, one object, across builds too.
class TextPool {
 public:
  TextPool() = default;
  TextPool(const TextPool&) = delete;
  TextPool& operator=(const TextPool&) = delete;

  /// The text with the bytes of `text`: the one this pool or `previous` (may be null) holds,
  /// else `text` itself, kept from now on. Safe to call from several threads.
  [[nodiscard]] SharedText intern(std::string text, const TextPool* previous);

  [[nodiscard]] std::size_t size() const;

 private:
  [[nodiscard]] SharedText find(std::string_view bytes) const;

  mutable std::mutex mutex_;
  std::unordered_map<std::string_view, SharedText> texts_;  ///< views into the texts kept
};

class EventTexts {
 public:
  /// Notes that a feed with `options` shows `event`, labelled with `programme` when that is
  /// not empty (a personal feed). `event.occurrence` must outlive this object.
  void want(const EventToRender& event, const std::string& programme,
            const CalendarOptions& options);

  /// Renders every text wanted and not yet rendered, spread over `threads` threads, and
  /// keeps each in `pool`, taking the same bytes from `previous` where it has them.
  void render(unsigned threads, TextPool& pool, const TextPool* previous);

  /// The rendered text of an event noted with want() (same arguments), after render();
  /// shared, so feed bodies keep it after this object is gone.
  [[nodiscard]] const SharedText& text(const EventToRender& event, const std::string& programme,
                                       const CalendarOptions& options) const;

  /// How many distinct events were rendered (for logs and tests).
  [[nodiscard]] std::size_t size() const { return entries_.size(); }

 private:
  /// occurrence, cancelled, programme label, zone
  using Key = std::tuple<const Occurrence*, bool, std::string, std::string>;
  /// The same, without copying the strings: what a look-up compares with.
  using KeyView = std::tuple<const Occurrence*, bool, std::string_view, std::string_view>;
  struct Entry {
    EventToRender event;
    Occurrence labelled;  ///< the occurrence with its programme label, when labelled
    CalendarOptions options;
    SharedText text;  ///< null until rendered
  };
  [[nodiscard]] static KeyView key_of(const EventToRender& event, const std::string& programme,
                                      const CalendarOptions& options);

  std::map<Key, Entry, LessAsView<KeyView>> entries_;
};

}  // namespace plancal::feed
