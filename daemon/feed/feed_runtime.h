#pragma once
/// Everything `plancal serve` keeps between requests, wired together: the catalog and how it
/// is rebuilt from the store, the request handler with its token cache, metrics and access
/// recording. The daemon's loop (signals, timers, publishing) drives it; this class does no
/// waiting and owns no threads except while rendering.

#include <atomic>
#include <cstdint>
#include <functional>
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

  /// Why the feeds are held at their last good version; nullopt while they are current.
  [[nodiscard]] std::optional<std::string> held_reason() const;

  /// True when the live tokens differ from those of the last build (created or revoked by
  /// `plancal feed token` in another process).
  [[nodiscard]] bool tokens_changed();
  /// True (once) when a server thread asked for a rebuild since the last call.
  [[nodiscard]] bool take_rebuild_request() { return rebuild_requested_.exchange(false); }
  /// When the current catalog changes by itself (a kept cancellation expires).
  [[nodiscard]] std::optional<std::int64_t> next_change() const;

  /// Writes the noted token accesses to the store.
  void flush_access();

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
  mutable std::mutex held_mutex_;
  std::optional<std::string> held_reason_;  ///< guarded by held_mutex_ (read by /healthz)
};

}  // namespace plancal::feed
