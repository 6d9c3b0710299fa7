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

FeedService::FeedService(Config config, Store store, Store request_store, const Clock& clock,
                         std::function<void()> wake)
    : clock_(clock),
      config_(std::move(config)),
      store_(std::move(store)),
      request_store_(std::move(request_store)),
      runtime_(store_, request_store_, catalog_settings(config_.feeds), std::move(wake)) {}

PublishReport FeedService::publish_and_rebuild() {
  PublishReport report = publish_all(config_, store_, clock_);
  log_publish_report(report);
  plans_.reload(config_);
  rebuild();
  return report;
}

void FeedService::rebuild() { (void)runtime_.rebuild(plans_.all(), clock_.now_unix()); }

void FeedService::tick() {
  runtime_.flush_access();
  const auto change = runtime_.next_change();
  if (runtime_.take_rebuild_request() || runtime_.tokens_changed() ||
      (change && clock_.now_unix() >= *change)) {
    rebuild();
  }
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
