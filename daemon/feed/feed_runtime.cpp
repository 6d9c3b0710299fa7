#include "feed/feed_runtime.h"

#include <malloc.h>

#include <chrono>

#include <spdlog/spdlog.h>

namespace plancal::feed {

namespace {

bool same_grants(const std::vector<FeedToken>& a, const std::vector<FeedToken>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].id != b[i].id || a[i].plan_id != b[i].plan_id || a[i].audience != b[i].audience) {
      return false;
    }
  }
  return true;
}

}  // namespace

FeedRuntime::FeedRuntime(const StateDatabase& database, const StateDatabase& request_database,
                         CatalogSettings settings, std::function<void()> wake,
                         unsigned render_threads)
    : database_(database),
      published_(database),
      tokens_(database),
      request_tokens_(request_database),
      request_database_(request_database),
      settings_(std::move(settings)),
      render_threads_(render_threads),
      wake_(std::move(wake)),
      resolver_([this](std::string_view secret) { return request_tokens_.find_token(secret); }),
      handler_(HandlerDependencies{
          .catalog = &catalog_,
          .tokens = &resolver_,
          .metrics = &metrics_,
          .access_log = &access_log_,
          .database_problem = [this] { return database_problem(); },
          .now = {},
          .request_rebuild = [this] { on_rebuild_wanted(); },
      }) {}

void FeedRuntime::on_rebuild_wanted() {
  if (!rebuild_requested_.exchange(true) && wake_) wake_();
}

std::vector<FeedToken> FeedRuntime::live_tokens() {
  auto tokens = tokens_.tokens();
  std::erase_if(tokens, [](const FeedToken& token) { return token.revoked_at.has_value(); });
  return tokens;
}

bool FeedRuntime::tokens_changed() { return !same_grants(live_tokens(), built_tokens_); }

BuildReport FeedRuntime::rebuild(const std::vector<const Plan*>& plans, std::int64_t now) {
  const auto started = std::chrono::steady_clock::now();
  const auto faults_before = database_.faults().count;
  CatalogSource source;
  source.plans = plans;
  for (const Plan* plan : plans) source.events_by_plan[plan->id] = published_.events(plan->id);
  source.tokens = live_tokens();

  BuildReport report;
  if (const auto faults = database_.faults(); faults.count != faults_before) {
    report.held = faults.last;
    hold(faults.last);
    return report;
  }
  release();
  auto previous = catalog_.current();
  auto next = build_catalog(source, settings_, now, previous.get(), report, render_threads_);
  catalog_.replace(std::move(next));
  metrics_.count_renders(report.rendered);
  built_tokens_ = source.tokens;
  auto fresh = std::make_shared<StoreRead>();
  fresh->events_by_plan = std::move(source.events_by_plan);
  fresh->tokens = std::move(source.tokens);
  std::shared_ptr<const StoreRead> read = std::move(fresh);
  {
    const std::lock_guard lock(read_mutex_);
    std::swap(last_read_, read);
  }
  // `previous` and the previous read (now in `read`) are freed when this returns, once no
  // request still sends from them: the new feeds are served before the old ones are taken
  // apart (see release_memory).

  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  spdlog::info("feed catalog: {} feed(s) rendered, {} unchanged, {} ms", report.rendered,
               report.reused, elapsed.count());
  for (const auto& reason : report.skipped) spdlog::warn("feed not served: {}", reason);
  return report;
}

void FeedRuntime::release_memory() {
  const auto started = std::chrono::steady_clock::now();
  malloc_trim(0);
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  spdlog::debug("memory freed by the rebuild returned to the system, {} ms", elapsed.count());
}

void FeedRuntime::hold(const std::string& reason) {
  const std::lock_guard lock(held_mutex_);
  if (!held_reason_) {
    spdlog::error(
        "feeds: reading the state store failed part-way ({}); every feed stays at its last "
        "good version and /healthz answers 503 until the database reads whole again. If this "
        "persists the file is damaged: see `plancal status`, then restore it from a backup or "
        "republish into a new file",
        reason);
  } else {
    spdlog::debug("feeds: still held at their last good version ({})", reason);
  }
  held_reason_ = reason;
}

void FeedRuntime::release() {
  const std::lock_guard lock(held_mutex_);
  if (!held_reason_) return;
  spdlog::info("feeds: the state store reads whole again; the feeds are current");
  held_reason_.reset();
}

std::optional<std::string> FeedRuntime::held_reason() const {
  const std::lock_guard lock(held_mutex_);
  return held_reason_;
}

std::optional<std::string> FeedRuntime::database_problem() {
  if (auto held = held_reason()) {
    return "feeds are held at their last good version: reading the database failed: " + *held;
  }
  if (auto ping = request_database_.ping(); !ping)
    return "database unavailable: " + ping.error().message;
  return std::nullopt;
}

std::optional<std::int64_t> FeedRuntime::next_change() const {
  const auto snapshot = catalog_.current();
  return snapshot ? snapshot->changes_at() : std::nullopt;
}

std::shared_ptr<const StoreRead> FeedRuntime::last_read() const {
  const std::lock_guard lock(read_mutex_);
  return last_read_;
}

void FeedRuntime::flush_access() {
  for (const auto& access : access_log_.drain()) {
    tokens_.record_access(access.token_id, access.at, access.use);
  }
}

}  // namespace plancal::feed
