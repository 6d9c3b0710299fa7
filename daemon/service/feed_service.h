#pragma once
/// What `plancal serve` and `plancal daemon` share: the config in force, the state store
/// (one connection for the loop, one for the server threads), the plans the feeds are built
/// from, and the feed runtime. Publishing and rebuilding the feeds happen together here, so
/// both commands serve exactly what they published.
///
/// This class does no waiting and owns no threads (the runtime renders on helpers while
/// rebuilding); its owner's loop decides when to publish, tick and stop.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "config/config.h"
#include "feed/feed_runtime.h"
#include "httpd/server.h"
#include "plan/model.h"
#include "service/publish.h"
#include "store/store.h"

namespace plancal {

/// The plans the feeds are built from, by id. A plan that fails to load keeps its previous
/// version, as publishing keeps its previous state.
class PlanSet {
 public:
  void reload(const Config& config);
  [[nodiscard]] std::vector<const Plan*> all() const;

 private:
  std::map<std::string, Plan> plans_;
};

class FeedService {
 public:
  /// `wake` is called from a server thread when a rebuild is wanted (see FeedRuntime).
  FeedService(Config config, Store store, Store request_store, const Clock& clock,
              std::function<void()> wake);

  /// Publishes the plans and rebuilds every feed that changed.
  PublishReport publish_and_rebuild();

  /// Periodic work: token changes from other processes, expiring cancellations, access times.
  void tick();

  /// Puts a newly read config in force. The database and the listen address stay as they
  /// are (changing them needs a restart; a warning says so); everything else is taken.
  void adopt_config(Config next);

  /// Writes pending token accesses before the process ends.
  void shutdown() { runtime_.flush_access(); }

  [[nodiscard]] const Config& config() const { return config_; }
  [[nodiscard]] const httpd::HttpHandler& handler() const { return runtime_.handler(); }
  [[nodiscard]] Store& store() { return store_; }

 private:
  void rebuild();

  const Clock& clock_;
  Config config_;
  Store store_;
  Store request_store_;
  PlanSet plans_;
  feed::FeedRuntime runtime_;
};

/// Where to listen: `listen_override` ("ADDR:PORT") when set, else the config's feeds.listen.
[[nodiscard]] Result<httpd::ServerOptions> listen_options(const Config& config,
                                                          const std::string& listen_override);

/// "127.0.0.1:8080" or "[::1]:8080" for a bound server, as the "listening on" line shows it.
[[nodiscard]] std::string listen_url(const httpd::HttpServer& server);

}  // namespace plancal
