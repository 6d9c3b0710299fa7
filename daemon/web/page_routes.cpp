#include "web/page_routes.h"

#include <chrono>

#include <spdlog/spdlog.h>

#include "base/clock.h"
#include "httpd/conditional.h"
#include "httpd/content_coding.h"
#include "httpd/unknown_token_log.h"
#include "web/page_response.h"
#include "web/person_page.h"
#include "web/static_assets.h"
#include "web/year_overview.h"

namespace plancal::web {

namespace {

constexpr std::string_view kOverviewSegment = "aar";

/// One log for every unknown page link of the process.
httpd::UnknownTokenLog& unknown_token_log() {
  static httpd::UnknownTokenLog log("page token");
  return log;
}

httpd::HttpResponse to_http(PageResponse page) {
  httpd::HttpResponse response;
  response.status = page.status;
  response.headers = std::move(page.headers);
  response.owned_body = std::move(page.body);
  return response;
}

httpd::HttpResponse not_found() { return to_http(not_found_page()); }

httpd::HttpResponse method_not_allowed() {
  httpd::HttpResponse response;
  response.status = 405;
  response.headers = page_headers();
  response.headers.front().second = "text/plain; charset=utf-8";
  response.headers.emplace_back("Allow", "GET, HEAD");
  response.owned_body = "Bare GET og HEAD er tillatt her.\n";
  return response;
}

/// 200 with the page (gzip when accepted), or 304 when the client's copy is current.
httpd::HttpResponse page_response(const httpd::HttpRequest& request,
                                  std::shared_ptr<const RenderedPage> page) {
  const bool gzip = request.accept_encoding && httpd::accepts_gzip(*request.accept_encoding);
  httpd::HttpResponse response;
  response.headers = page_headers();
  response.headers.emplace_back("ETag", gzip ? page->gzip_etag : page->etag);
  response.headers.emplace_back("Vary", "Accept-Encoding");
  if (request.if_none_match &&
      httpd::if_none_match_matches(*request.if_none_match, {page->etag, page->gzip_etag})) {
    response.status = 304;
    return response;
  }
  if (gzip) response.headers.emplace_back("Content-Encoding", "gzip");
  response.body = gzip ? std::string_view(page->gzip()) : std::string_view(page->identity);
  response.keep_alive = std::move(page);
  return response;
}

std::string cache_key(const FeedToken& token, const PagePath& path) {
  std::string key = std::to_string(token.id);
  if (path.kind == PagePath::Kind::Overview) {
    key += "/aar/";
    key += path.plan_id.empty() ? token.plan_id : std::string(path.plan_id);
  }
  return key;
}

/// Whether the token reaches the overview the path names: a per-plan token its own plan
/// (".../aar" or ".../aar/<its plan>"), a token for every plan any plan named.
bool reaches(const FeedToken& token, const PagePath& path) {
  if (path.kind != PagePath::Kind::Overview) return true;
  if (token.covers_every_plan()) return !path.plan_id.empty();
  return path.plan_id.empty() || path.plan_id == token.plan_id;
}

}  // namespace

std::string personal_page_path(std::string_view secret) {
  return std::string(kPersonalPagePrefix) + std::string(secret);
}

std::optional<PagePath> parse_page_path(std::string_view path) {
  if (!path.starts_with(kPersonalPagePrefix)) return std::nullopt;
  std::string_view rest = path.substr(kPersonalPagePrefix.size());
  PagePath parsed;
  const auto slash = rest.find('/');
  parsed.secret = rest.substr(0, slash);
  if (parsed.secret.empty()) return std::nullopt;
  if (slash == std::string_view::npos) return parsed;
  rest = rest.substr(slash + 1);
  if (!rest.starts_with(kOverviewSegment)) return std::nullopt;
  rest.remove_prefix(kOverviewSegment.size());
  parsed.kind = PagePath::Kind::Overview;
  if (rest.empty()) return parsed;
  if (rest.front() != '/') return std::nullopt;
  parsed.plan_id = rest.substr(1);
  if (parsed.plan_id.empty() || parsed.plan_id.find('/') != std::string_view::npos) {
    return std::nullopt;
  }
  return parsed;
}

PageRoutes::PageRoutes(PageDependencies dependencies) : deps_(std::move(dependencies)) {
  if (!deps_.now) deps_.now = [] { return SystemClock{}.now_unix(); };
}

void PageRoutes::update(PageState state) {
  auto next = std::make_shared<Current>();
  next->state = std::move(state);
  for (const auto& token : next->state.tokens) next->tokens_by_id.emplace(token.id, &token);
  if (next->state.source) {
    const auto started = std::chrono::steady_clock::now();
    const FrameInputs inputs{*next->state.source, next->state.public_url, deps_.now(), next->views,
                             next->fragments};
    next->frames = render_frames(inputs, next->state.tokens, deps_.render_threads);
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    spdlog::info("pages: {} personal page(s) rendered ahead, {} ms", next->frames.size(),
                 elapsed.count());
  }
  const std::lock_guard lock(mutex_);
  next->generation = ++generations_;
  cache_.start_generation(next->generation);
  current_ = std::move(next);
}

std::shared_ptr<const PageRoutes::Current> PageRoutes::current() const {
  const std::lock_guard lock(mutex_);
  return current_;
}

httpd::HttpResponse PageRoutes::handle(const httpd::HttpRequest& request) const {
  if (request.path.starts_with("/static/")) {
    if (!httpd::is_get_or_head(request.method)) return method_not_allowed();
    auto asset = static_asset(request.path, request.if_none_match);
    return asset ? to_http(std::move(*asset)) : not_found();
  }
  const auto path = parse_page_path(request.path);
  if (!path) return not_found();
  if (!httpd::is_get_or_head(request.method)) return method_not_allowed();
  return serve_page(request, *path);
}

std::optional<FeedToken> PageRoutes::live_token(const Current& current, std::string_view secret,
                                                std::string_view client) const {
  const auto id = deps_.resolve_token ? deps_.resolve_token(secret) : std::nullopt;
  if (id) {
    const auto found = current.tokens_by_id.find(*id);
    if (found != current.tokens_by_id.end()) return *found->second;
    // Not in the state: created since (serve it, and ask for a state that has it), or
    // revoked since (the store says so).
    if (auto fresh = deps_.look_up_token ? deps_.look_up_token(secret) : std::nullopt) {
      if (deps_.request_rebuild) deps_.request_rebuild();
      return fresh;
    }
  }
  unknown_token_log().note(client, deps_.now());
  return std::nullopt;
}

httpd::HttpResponse PageRoutes::serve_page(const httpd::HttpRequest& request,
                                           const PagePath& path) const {
  const auto state = current();
  if (!state || !state->state.source) return not_found();
  const auto token = live_token(*state, path.secret, request.client_address);
  if (!token || !reaches(*token, path)) return not_found();
  const std::int64_t now = deps_.now();
  if (deps_.note_access) deps_.note_access(token->id, now);
  const std::string key = cache_key(*token, path);
  auto page = cache_.find(key, state->generation, now);
  if (!page) {
    page = render(*state, *token, path, now);
    if (!page) return not_found();
    cache_.store(key, state->generation, page);
  }
  return page_response(request, std::move(page));
}

std::optional<std::pair<std::string, std::optional<std::int64_t>>> PageRoutes::from_frame(
    const Current& current, const FeedToken& token, std::string_view secret, std::int64_t now) {
  const auto found = current.frames.find(frame_key(token));
  if (found == current.frames.end()) return std::nullopt;
  const PageFrame& frame = *found->second;
  if (frame.valid_until && now >= *frame.valid_until) return std::nullopt;  // a meeting ended
  auto html = fill_frame(frame, secret);
  if (!html) return std::nullopt;
  return std::pair{std::move(*html), frame.valid_until};
}

std::shared_ptr<const RenderedPage> PageRoutes::render(const Current& current,
                                                       const FeedToken& token, const PagePath& path,
                                                       std::int64_t now) const {
  if (path.kind == PagePath::Kind::Personal) {
    if (auto filled = from_frame(current, token, path.secret, now)) {
      return make_rendered_page(std::move(filled->first), filled->second);
    }
  }
  const PublishedPageSource& published = *current.state.source;
  PageRequest request;
  request.scope = {token.audience, token.plan_id};
  request.feed_url = current.state.public_url + "/feeds/" + std::string(path.secret) + ".ics";
  request.page_path = personal_page_path(path.secret);
  request.now = now;
  const ViewerPageSource source(published, request.scope, request.feed_url);
  std::string html;
  if (path.kind == PagePath::Kind::Personal) {
    auto page = build_person_page(source, request, &current.views);
    if (!page) {
      spdlog::debug("page of feed token {}: {}", token.id, page.error().message);
      return nullptr;
    }
    html = render_person_page(*page, &current.fragments);
  } else {
    auto overview = build_year_overview(source, request, std::string(path.plan_id));
    if (!overview) {
      spdlog::debug("year overview for feed token {}: {}", token.id, overview.error().message);
      return nullptr;
    }
    html = render_year_overview(*overview);
  }
  return make_rendered_page(std::move(html), published.next_change_after(now));
}

}  // namespace plancal::web
