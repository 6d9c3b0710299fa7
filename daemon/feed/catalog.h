#pragma once
/// The feed catalog: every feed somebody holds a token for, rendered once per change and
/// kept in memory, so a request costs a hash-map lookup and a memcpy instead of a database
/// query and an iCalendar render.
///
/// A CatalogSnapshot is immutable once built; the server reads whatever snapshot is current
/// while a rebuild (after a publish, a token change or the expiry of a kept cancellation)
/// prepares the next one, which then replaces it atomically. Feeds whose content did not
/// change are carried over from the previous snapshot instead of rendered again: a build
/// renders each distinct event once (event_texts.h), an event that reads as before keeps its
/// text object, and a feed whose pieces are all the same objects as before is the previous
/// feed itself, bytes, ETag and gzip form, without hashing it again. A feed that shows a
/// changed event is put together from the pieces (its own head kept) and hashed again.
///
/// A feed is one plan's events for one audience, or, for a token without a plan, a personal
/// feed: that audience's events of every configured plan it appears in, each labelled with
/// its programme (programme_label.h). Tokens that ask for the same feed share one body.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "feed/event_texts.h"
#include "feed/feed_body.h"
#include "feed/feed_selection.h"
#include "plan/model.h"
#include "store/feed_tokens.h"
#include "store/published_events.h"

namespace plancal::feed {

/// Everything one build reads; the caller owns it for the duration of the build.
struct CatalogSource {
  std::vector<const Plan*> plans;
  std::map<std::string, std::vector<StoredEvent>, std::less<>> events_by_plan;
  std::vector<FeedToken> tokens;  ///< live (not revoked) tokens only
};

struct CatalogSettings {
  int refresh_minutes = 60;  ///< REFRESH-INTERVAL / X-PUBLISHED-TTL and Cache-Control max-age
  SelectionPolicy selection;
  /// The participants' preparation VALARM in meetings with preparation items; none if unset.
  std::optional<PreparationAlarm> preparation_alarm;
};

/// What a feed's body was put together from, so the next build can tell whether it reads
/// the same without rendering or hashing it: the same options and the same text objects.
struct FeedMakeup {
  CalendarOptions options;
  SharedText properties;  ///< render_calendar_properties(options)
  /// The VTIMEZONEs (render_calendar_vtimezones), the events' texts in feed order and the
  /// end, from the build's TextPool; shared by every feed of the build with the same content.
  SharedPieceList content;
};

/// One rendered feed, shared by every token that points at it.
struct FeedEntry {
  /// "<plan>/<audience>", "*/<audience>" for a personal feed: for logs and metrics (never
  /// the token)
  std::string feed_id;
  FeedMakeup makeup;  ///< decides whether the next build keeps this entry
  FeedBody body;
  std::size_t event_count = 0;
  int refresh_seconds = 3600;
  std::optional<std::int64_t> changes_at;  ///< a kept cancellation expires then
};

/// What a token leads to. `last_access_noted` throttles access recording (see AccessLog).
struct TokenRoute {
  std::int64_t token_id = 0;
  std::shared_ptr<const FeedEntry> feed;
  mutable std::atomic<std::int64_t> last_access_noted{0};
};

/// A token bound to its feed, as handed to a snapshot.
struct TokenBinding {
  std::int64_t token_id = 0;
  std::shared_ptr<const FeedEntry> feed;
};

class CatalogSnapshot {
 public:
  /// `texts`: the pool the feeds' texts were kept in, which the next build takes up (may be
  /// null: the next build renders every event).
  CatalogSnapshot(std::vector<std::shared_ptr<const FeedEntry>> feeds,
                  std::vector<TokenBinding> bindings, std::int64_t built_at,
                  std::shared_ptr<const TextPool> texts = nullptr);

  /// The route for a token id, or nullptr for a token without a feed in this snapshot
  /// (revoked, or created after the build).
  [[nodiscard]] const TokenRoute* find(std::int64_t token_id) const;
  [[nodiscard]] const std::vector<std::shared_ptr<const FeedEntry>>& feeds() const {
    return feeds_;
  }
  /// The feed "<plan>/<audience>", or nullptr.
  [[nodiscard]] std::shared_ptr<const FeedEntry> feed(std::string_view feed_id) const;
  [[nodiscard]] std::size_t token_count() const { return routes_.size(); }
  [[nodiscard]] std::int64_t built_at() const { return built_at_; }
  /// The earliest time a feed's content changes without a publish; nullopt if never.
  [[nodiscard]] std::optional<std::int64_t> changes_at() const;
  /// The texts this snapshot's feeds are made of, by their bytes (null for none).
  [[nodiscard]] const TextPool* texts() const { return texts_.get(); }

 private:
  std::vector<std::shared_ptr<const FeedEntry>> feeds_;
  std::unordered_map<std::string, std::shared_ptr<const FeedEntry>> feeds_by_id_;
  std::unordered_map<std::int64_t, TokenRoute> routes_;
  std::int64_t built_at_ = 0;
  std::shared_ptr<const TextPool> texts_;
};

struct BuildReport {
  std::size_t rendered = 0;          ///< feeds rendered in this build
  std::size_t reused = 0;            ///< feeds carried over unchanged from the previous snapshot
  std::vector<std::string> skipped;  ///< "<feed>: why" for tokens whose feed cannot be built
  /// Set when the build was not used because a database read failed part-way: why.
  std::optional<std::string> held;
};

/// Builds the snapshot for `source` at time `now`, reusing feeds of `previous` (may be null)
/// that read the same, and the texts of its events that did not change. Uses up to `threads`
/// threads for rendering.
[[nodiscard]] std::shared_ptr<const CatalogSnapshot> build_catalog(
    const CatalogSource& source, const CatalogSettings& settings, std::int64_t now,
    const CatalogSnapshot* previous, BuildReport& report, unsigned threads = 1);

/// The current snapshot, shared between the threads that serve and the one that rebuilds.
class Catalog {
 public:
  [[nodiscard]] std::shared_ptr<const CatalogSnapshot> current() const;
  void replace(std::shared_ptr<const CatalogSnapshot> next);

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const CatalogSnapshot> current_;
};

}  // namespace plancal::feed
