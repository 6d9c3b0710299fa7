#pragma once
/// What `plancal serve` and `plancal daemon` share: the config in force, the state database
/// (one connection for the loop, one for the server threads), the plans the feeds are built
/// from, the feed runtime and the pages, and the routes that give each request to one of
/// them. Publishing and rebuilding the feeds happen together here, and the pages follow from
/// the same store read, so both commands serve exactly what they published.
///
/// Another process may change what the feeds show (`plancal publish`, `plancal feed token
/// create|revoke`, `plancal sync`): tick() notices it through the database and rebuilds, so
/// subscribers see the change without a SIGHUP.
///
/// This class does no waiting and owns no threads (the runtime renders on helpers while
/// rebuilding); its owner's loop decides when to publish, tick and stop.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "config/config.h"
#include "feed/feed_runtime.h"
#include "httpd/server.h"
#include "mail/sender.h"
#include "plan/model.h"
#include "service/http_routes.h"
#include "service/mail_outbox.h"
#include "service/publish.h"
#include "store/database.h"
#include "store/published_events.h"
#include "web/attendance_routes.h"
#include "web/page_routes.h"
#include "web/signup_page.h"

namespace plancal {

/// The plans the feeds and pages are built from, in the config's order. A plan that fails to
/// load keeps its previous version, as publishing keeps its previous state.
class PlanSet {
 public:
  void reload(const Config& config);
  /// The same after publishing: the plans the publish loaded are taken as they are (a 5,000-
  /// person roster is not read twice); only the files it could not use are loaded here.
  void reload(const Config& config, const PublishReport& published);
  [[nodiscard]] std::vector<const Plan*> all() const;
  /// The same plans, shared: a page being built keeps its plans while a reload replaces them.
  [[nodiscard]] std::vector<std::shared_ptr<const Plan>> shared() const;

 private:
  void keep(std::shared_ptr<const Plan> plan, std::vector<std::string>& order);

  std::map<std::string, std::shared_ptr<const Plan>> plans_;
  std::vector<std::string> order_;  ///< plan ids: the config's order, then older ones
};

class FeedService {
 public:
  /// `wake` is called from a server thread when a rebuild is wanted (see FeedRuntime).
  FeedService(Config config, StateDatabase database, StateDatabase request_database,
              const Clock& clock, std::function<void()> wake);

  /// Publishes the plans and rebuilds every feed that changed. The caller hands the freed
  /// memory back afterwards (release_free_memory), once for the publish and the rebuild: a
  /// second malloc_trim would advise every free page away again, at a TLB flush each.
  PublishReport publish_and_rebuild();

  /// Periodic work (a few times a second): writes token access times, and rebuilds when
  /// another process published or changed tokens, when a server thread asked for it, or when
  /// a kept cancellation expires.
  void tick();

  /// Puts a newly read config in force. The database and the listen address stay as they
  /// are (changing them needs a restart; a warning says so); everything else is taken.
  void adopt_config(Config next);

  /// True (once) when a page asked for the plans to be published again since the last call:
  /// a leader moved someone to a make-up date, which publishing puts in their calendar. The
  /// owner's loop publishes, as after a plan edit, so the push targets follow too.
  [[nodiscard]] bool take_publish_request() { return publish_requested_.exchange(false); }

  /// Writes pending token accesses before the process ends.
  void shutdown() { runtime_.flush_access(); }

  [[nodiscard]] const Config& config() const { return config_; }
  /// Every route: the feeds and the pages.
  [[nodiscard]] const httpd::HttpHandler& handler() const { return router_; }
  [[nodiscard]] const web::PageRoutes& pages() const { return pages_; }
  [[nodiscard]] const web::SignupPages& signup() const { return signup_; }

 private:
  /// Rebuilds the feeds and pages without giving the freed memory back (rebuild() does, after
  /// it); false when the read failed and nothing changed.
  [[nodiscard]] bool rebuild_feeds_and_pages();
  void rebuild();
  /// Hands the pages the plans and the store read of the last good rebuild, with the make-up
  /// dates read now.
  void update_pages();
  void update_pages(web::MakeupOffers offers);
  /// Reads the make-up dates again after another connection wrote (a register saved on the
  /// pages or from the command line), and renders the pages again when they differ.
  void refresh_makeup_offers();
  /// The make-up dates read now, noting `change`, the registers' last change read just before
  /// (AttendanceRegisters::last_change_id), as the one they were read at; nullopt (logged) when
  /// they could not be read.
  [[nodiscard]] std::optional<web::MakeupOffers> read_offers(const Result<std::int64_t>& change);
  /// Whether another connection committed anything since the last look.
  bool written_elsewhere();
  /// Whether another connection published or changed feed tokens.
  bool feeds_changed_elsewhere();
  /// The plans the sign-up pages read (those of the last good rebuild).
  [[nodiscard]] std::vector<std::shared_ptr<const Plan>> signup_plans() const;
  /// Allocates the series whose registration has closed, on the server thread where a
  /// registration was confirmed or withdrawn: the waiting list moves up at once.
  void settle_signup();
  /// Sends the sign-up mails that are due, on the server thread that planned one.
  void send_signup_mails();

  const Clock& clock_;
  Config config_;
  StateDatabase database_;
  PublishedEvents published_;
  PlanSet plans_;
  feed::FeedRuntime runtime_;
  web::PageRoutes pages_;
  /// Sign-in mails leave from here, off the request thread; nullptr without `smtp:`.
  std::unique_ptr<MailOutbox> sign_in_outbox_;
  /// The signed-in attendance pages (/logg-inn, /logg-ut, /oppmote), reading the pages' state.
  std::unique_ptr<web::AttendanceRoutes> attendance_;
  std::shared_ptr<const web::PageSource> page_source_;  ///< guarded by page_source_mutex_
  mutable std::mutex page_source_mutex_;
  /// The plans the sign-up pages read on server threads: replaced with the pages' state.
  mutable std::mutex signup_plans_mutex_;
  std::vector<std::shared_ptr<const Plan>> signup_plans_;  ///< guarded by signup_plans_mutex_
  StateDatabase request_database_;
  Secret signup_key_;                                 ///< the link key (store/link_key.h)
  std::shared_ptr<const Config> signup_mail_config_;  ///< the config at start (smtp, public_url)
  std::mutex signup_mail_mutex_;                      ///< one sender at a time
  std::unique_ptr<mail::MailSender> signup_sender_;   ///< null without smtp
  web::SignupPages signup_;
  PathRouter router_;
  web::MakeupOffers makeup_offers_;  ///< those the pages show now
  /// The registers' last change when they were read (AttendanceRegisters::last_change_id).
  std::int64_t offers_read_at_change_ = -1;
  std::int64_t seen_data_version_ = 0;  ///< the database's data_version at the last look
  std::int64_t built_publish_id_ = 0;   ///< the last publish the current feeds are built from
  std::function<void()> wake_;          ///< wakes the owner's loop (from server threads)
  std::atomic<bool> publish_requested_{false};
};

/// Where to listen: `listen_override` ("ADDR:PORT") when set, else the config's feeds.listen.
[[nodiscard]] Result<httpd::ServerOptions> listen_options(const Config& config,
                                                          const std::string& listen_override);

/// "127.0.0.1:8080" or "[::1]:8080" for a bound server, as the "listening on" line shows it.
[[nodiscard]] std::string listen_url(const httpd::HttpServer& server);

}  // namespace plancal
