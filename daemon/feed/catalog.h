#pragma once
/// The feed catalog: every feed somebody holds a token for, rendered once per change and
/// kept in memory, so a request costs a hash-map lookup and a memcpy instead of a database
/// query and an iCalendar render.
///
/// A CatalogSnapshot is immutable once built; the server reads whatever snapshot is current
/// while a rebuild (after a publish, a token change or the expiry of a kept cancellation)
/// prepares the next one, which then replaces it atomically. Feeds whose content did not
/// change are carried over from the previous snapshot instead of rendered again.
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

/// One rendered feed, shared by every token that points at it.
struct FeedEntry {
  /// "<plan>/<audience>", "*/<audience>" for a personal feed: for logs and metrics (never
  /// the token)
  std::string feed_id;
  std::string fingerprint;  ///< hash of everything the body depends on: decides re-rendering
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
  CatalogSnapshot(std::vector<std::shared_ptr<const FeedEntry>> feeds,
                  std::vector<TokenBinding> bindings, std::int64_t built_at);

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

 private:
  std::vector<std::shared_ptr<const FeedEntry>> feeds_;
  std::unordered_map<std::string, std::shared_ptr<const FeedEntry>> feeds_by_id_;
  std::unordered_map<std::int64_t, TokenRoute> routes_;
  std::int64_t built_at_ = 0;
};

struct BuildReport {
  std::size_t rendered = 0;          ///< feeds rendered in this build
  std::size_t reused = 0;            ///< feeds carried over unchanged from the previous snapshot
  std::vector<std::string> skipped;  ///< "<feed>: why" for tokens whose feed cannot be built
  /// Set when the build was not used because a database read failed part-way: why.
  std::optional<std::string> held;
};

/// Builds the snapshot for `source` at time `now`, reusing feeds of `previous` (may be null)
/// whose fingerprint is unchanged. Uses up to `threads` threads for rendering.
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
