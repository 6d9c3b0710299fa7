#pragma once
/// Everything `plancal serve` keeps between requests, wired together: the catalog and how it
/// is rebuilt from the store, the request handler with its token cache, metrics and access
/// recording. The daemon's loop (signals, timers, publishing) drives it; this class does no
/// waiting and owns no threads except while rendering.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "feed/access_log.h"
#include "feed/catalog.h"
#include "feed/metrics.h"
#include "feed/request_handler.h"
#include "feed/token_resolver.h"
#include "plan/model.h"
#include "store/database.h"
#include "store/feed_tokens.h"
#include "store/published_events.h"

namespace plancal::feed {

/// What one rebuild read from the store, kept for the pages: they are built from the same
/// read as the feeds, so a page never shows what its feed does not.
struct StoreRead {
  std::map<std::string, std::vector<StoredEvent>, std::less<>> events_by_plan;
  std::vector<FeedToken> tokens;  ///< the live tokens
};

class FeedRuntime {
 public:
  /// `database` is used by the daemon's loop (rebuilds, access times); `request_database`
  /// by the server threads (token look-ups, /healthz), a second connection so that a long
  /// publish never holds up a request. `wake` is called from a server thread when a rebuild
  /// is wanted (a token newer than the catalog); it must be async-safe enough to write an
  /// eventfd.
  FeedRuntime(const StateDatabase& database, const StateDatabase& request_database,
              CatalogSettings settings, std::function<void()> wake, unsigned render_threads = 2);

  /// Reads events and live tokens from the store, builds the catalog for `plans` at `now`
  /// (reusing unchanged feeds) and makes it current. When a read fails part-way (a damaged
  /// file, an I/O error) nothing of it is used: every feed stays at its last good version,
  /// an error is logged, and /healthz answers 503 with the reason until a rebuild reads the
  /// database whole again. `report.held` then says why.
  BuildReport rebuild(const std::vector<const Plan*>& plans, std::int64_t now);

  /// Hands the memory a rebuild freed (the previous catalog, and the pages' previous state
  /// when the caller replaced it too) back to the system: glibc keeps freed pages otherwise,
  /// and the resident size would hold two generations instead of one. Called once after
  /// everything a change rebuilds, not after each part.
  void release_memory();

  /// Why the feeds are held at their last good version; nullopt while they are current.
  [[nodiscard]] std::optional<std::string> held_reason() const;

  /// True when the live tokens differ from those of the last build (created or revoked by
  /// `plancal feed token` in another process).
  [[nodiscard]] bool tokens_changed();
  /// True (once) when a server thread asked for a rebuild since the last call.
  [[nodiscard]] bool take_rebuild_request() { return rebuild_requested_.exchange(false); }
  /// When the current catalog changes by itself (a kept cancellation expires).
  [[nodiscard]] std::optional<std::int64_t> next_change() const;

  /// Writes the noted token accesses (feeds and pages) to the store.
  void flush_access();

  /// The last read that was used (nullptr before the first): a rebuild whose read failed
  /// part-way leaves the previous one.
  [[nodiscard]] std::shared_ptr<const StoreRead> last_read() const;

  /// For the pages, which use the same tokens: the id of a link's live token (cached, see
  /// TokenResolver), the token from the store itself, and page accesses to record.
  [[nodiscard]] std::optional<std::int64_t> resolve_token(std::string_view secret) {
    return resolver_.resolve(secret);
  }
  [[nodiscard]] std::optional<FeedToken> look_up_token(std::string_view secret) const {
    return resolver_.look_up(secret);
  }
  void note_page_access(std::int64_t token_id, std::int64_t now) {
    access_log_.note_page(token_id, now);
  }
  /// Asks the loop for a rebuild (a token newer than the last build was used).
  void request_rebuild() { on_rebuild_wanted(); }

  [[nodiscard]] const httpd::HttpHandler& handler() const { return handler_; }
  [[nodiscard]] const Catalog& catalog() const { return catalog_; }
  [[nodiscard]] const Metrics& metrics() const { return metrics_; }

 private:
  [[nodiscard]] std::vector<FeedToken> live_tokens();
  void on_rebuild_wanted();
  void hold(const std::string& reason);
  void release();
  /// What /healthz reports: held feeds, else a request connection that cannot query.
  [[nodiscard]] std::optional<std::string> database_problem();

  StateDatabase database_;  ///< the loop's connection: its fault count guards each rebuild
  PublishedEvents published_;
  FeedTokens tokens_;
  FeedTokens request_tokens_;
  StateDatabase request_database_;
  CatalogSettings settings_;
  unsigned render_threads_;
  std::function<void()> wake_;
  std::atomic<bool> rebuild_requested_{false};
  Catalog catalog_;
  Metrics metrics_;
  AccessLog access_log_;
  TokenResolver resolver_;
  FeedRequestHandler handler_;
  std::vector<FeedToken> built_tokens_;
  mutable std::mutex read_mutex_;
  std::shared_ptr<const StoreRead> last_read_;  ///< guarded by read_mutex_
  mutable std::mutex held_mutex_;
  std::optional<std::string> held_reason_;  ///< guarded by held_mutex_ (read by /healthz)
};

}  // namespace plancal::feed
