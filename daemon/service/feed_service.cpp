#include "service/feed_service.h"

#include <spdlog/spdlog.h>

#include "plan/loader.h"

namespace plancal {

namespace {

feed::CatalogSettings catalog_settings(const FeedConfig& feeds) {
  feed::CatalogSettings settings;
  settings.refresh_minutes = feeds.refresh_minutes;
  settings.preparation_alarm = feeds.preparation_alarm;
  if (feeds.keep_cancelled_days > 0) {
    settings.selection.keep_cancelled_days = feeds.keep_cancelled_days;
  }
  return settings;
}

}  // namespace

void PlanSet::reload(const Config& config) {
  for (const auto& file : config.plan_files) {
    PlanLoad load = load_plan_file(file);
    if (!load.plan) {
      spdlog::warn("{}: not loaded; feeds keep its previous version", file);
      continue;
    }
    plans_.insert_or_assign(load.plan->id, std::move(*load.plan));
  }
}

std::vector<const Plan*> PlanSet::all() const {
  std::vector<const Plan*> plans;
  plans.reserve(plans_.size());
  for (const auto& [id, plan] : plans_) plans.push_back(&plan);
  return plans;
}

FeedService::FeedService(Config config, StateDatabase database, StateDatabase request_database,
                         const Clock& clock, std::function<void()> wake)
    : clock_(clock),
      config_(std::move(config)),
      database_(std::move(database)),
      published_(database_),
      runtime_(database_, request_database, catalog_settings(config_.feeds), std::move(wake)) {}

PublishReport FeedService::publish_and_rebuild() {
  PublishReport report = publish_all(config_, published_, clock_);
  log_publish_report(report);
  plans_.reload(config_);
  rebuild();
  return report;
}

/// The publish id is read before the events: a publish that lands while the feeds are built
/// changes it again, so the next tick builds once more.
void FeedService::rebuild() {
  built_publish_id_ = published_.last_publish_id();
  (void)runtime_.rebuild(plans_.all(), clock_.now_unix());
}

void FeedService::tick() {
  runtime_.flush_access();
  const auto change = runtime_.next_change();
  const bool elsewhere = changed_elsewhere();
  if (elsewhere || runtime_.take_rebuild_request() || (change && clock_.now_unix() >= *change)) {
    rebuild();
  }
}

/// PRAGMA data_version answers the first question for free; the two reads behind it run
/// only after some other connection committed (the daemon's own sync and reminder jobs
/// included, whose writes change neither). When it cannot be read, look anyway.
bool FeedService::changed_elsewhere() {
  const auto version = database_.data_version();
  if (version && *version == seen_data_version_) return false;
  if (version) seen_data_version_ = *version;
  if (published_.last_publish_id() != built_publish_id_) {
    spdlog::info("the plans were published by another process: rebuilding the feeds");
    plans_.reload(config_);
    return true;
  }
  return runtime_.tokens_changed();
}

void FeedService::adopt_config(Config next) {
  if (next.database != config_.database) {
    spdlog::warn("{}: the database changed to {}; restart plancal to use it", next.file,
                 next.database);
    next.database = config_.database;
  }
  if (next.feeds.listen != config_.feeds.listen) {
    spdlog::warn("{}: feeds.listen changed to {}; restart plancal to listen there", next.file,
                 next.feeds.listen);
  }
  config_ = std::move(next);
}

Result<httpd::ServerOptions> listen_options(const Config& config,
                                            const std::string& listen_override) {
  const std::string& listen = listen_override.empty() ? config.feeds.listen : listen_override;
  return httpd::parse_listen_address(listen);
}

std::string listen_url(const httpd::HttpServer& server) {
  const std::string& address = server.address();
  const std::string host = address.find(':') != std::string::npos ? "[" + address + "]" : address;
  return "http://" + host + ":" + std::to_string(server.port());
}

}  // namespace plancal
