#include "feed/request_handler.h"

#include "base/clock.h"
#include "httpd/conditional.h"
#include "httpd/content_coding.h"
#include "httpd/unknown_token_log.h"

namespace plancal::feed {

namespace {

constexpr std::string_view kFeedPrefix = "/feeds/";
constexpr std::string_view kFeedSuffix = ".ics";

/// One log for every unknown feed link of the process.
httpd::UnknownTokenLog& unknown_token_log() {
  static httpd::UnknownTokenLog log("feed token");
  return log;
}

httpd::HttpResponse text_response(int status, std::string text) {
  httpd::HttpResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  response.owned_body = std::move(text);
  return response;
}

httpd::HttpResponse method_not_allowed() {
  auto response = text_response(405, "method not allowed\n");
  response.headers.emplace_back("Allow", "GET, HEAD");
  return response;
}

/// The headers a feed response carries whether it is 200 or 304 (RFC 9110 15.4.5).
void add_validator_headers(httpd::HttpResponse& response, const FeedEntry& feed, bool gzip) {
  response.headers.emplace_back("ETag", gzip ? feed.body.gzip_etag : feed.body.etag);
  if (!feed.body.last_modified_http.empty()) {
    response.headers.emplace_back("Last-Modified", feed.body.last_modified_http);
  }
  response.headers.emplace_back("Cache-Control",
                                "private, max-age=" + std::to_string(feed.refresh_seconds));
  response.headers.emplace_back("Vary", "Accept-Encoding");
}

httpd::HttpResponse feed_response(const httpd::HttpRequest& request,
                                  std::shared_ptr<const FeedEntry> feed, std::int64_t now) {
  const bool gzip = request.accept_encoding && httpd::accepts_gzip(*request.accept_encoding);
  httpd::HttpResponse response;
  add_validator_headers(response, *feed, gzip);
  const httpd::Validators current{
      {feed->body.etag, feed->body.gzip_etag}, feed->body.last_modified, now};
  if (httpd::is_not_modified({request.if_none_match, request.if_modified_since}, current)) {
    response.status = 304;
    return response;
  }
  response.status = 200;
  response.headers.emplace_back("Content-Type", "text/calendar; charset=utf-8");
  if (gzip) response.headers.emplace_back("Content-Encoding", "gzip");
  if (gzip) {
    response.body = feed->body.gzip();
  } else {
    response.body_pieces = feed->body.views();
  }
  response.keep_alive = std::move(feed);
  return response;
}

/// "<secret>/<team>" -> (secret, team); "<secret>" -> (secret, nullopt).
std::pair<std::string_view, std::optional<std::string_view>> split_team(
    std::string_view token_path) {
  const auto slash = token_path.find('/');
  if (slash == std::string_view::npos) return {token_path, std::nullopt};
  return {token_path.substr(0, slash), token_path.substr(slash + 1)};
}

/// A team's feed of the plan an `all` token grants ("<plan>/all" -> "<plan>/team:<key>"), or
/// null: the token is not a plan's `all` token, or the plan has no such team.
std::shared_ptr<const FeedEntry> team_feed(const CatalogSnapshot& snapshot,
                                           const FeedEntry& granted, std::string_view team) {
  constexpr std::string_view kAll = "/all";
  const std::string_view id = granted.feed_id;
  if (!id.ends_with(kAll) || id.starts_with("*/") || team.empty() ||
      team.find('/') != std::string_view::npos) {
    return nullptr;
  }
  const std::string_view plan = id.substr(0, id.size() - kAll.size());
  return snapshot.feed(std::string(plan) + "/team:" + std::string(team));
}

}  // namespace

std::optional<std::string_view> feed_secret_in_path(std::string_view path) {
  if (!path.starts_with(kFeedPrefix) || !path.ends_with(kFeedSuffix)) return std::nullopt;
  if (path.size() <= kFeedPrefix.size() + kFeedSuffix.size()) return std::nullopt;
  return path.substr(kFeedPrefix.size(), path.size() - kFeedPrefix.size() - kFeedSuffix.size());
}

FeedRequestHandler::FeedRequestHandler(HandlerDependencies dependencies)
    : deps_(std::move(dependencies)) {
  if (!deps_.now) deps_.now = [] { return SystemClock{}.now_unix(); };
}

httpd::HttpResponse FeedRequestHandler::handle(const httpd::HttpRequest& request) const {
  httpd::HttpResponse response = route(request);
  if (deps_.metrics != nullptr) deps_.metrics->count_request(response.status);
  return response;
}

httpd::HttpResponse FeedRequestHandler::route(const httpd::HttpRequest& request) const {
  if (request.path.size() > kMaxPathLength) return text_response(414, "URI too long\n");
  const auto secret = feed_secret_in_path(request.path);
  const bool known_path = secret || request.path == "/healthz" || request.path == "/metrics";
  if (!known_path) return text_response(404, "not found\n");
  if (!httpd::is_get_or_head(request.method)) return method_not_allowed();
  if (secret) return serve_feed(request, *secret);
  if (request.path == "/healthz") return serve_health();
  return serve_metrics();
}

httpd::HttpResponse FeedRequestHandler::serve_feed(const httpd::HttpRequest& request,
                                                   std::string_view token_path) const {
  const auto [secret, team] = split_team(token_path);
  const auto snapshot = deps_.catalog != nullptr ? deps_.catalog->current() : nullptr;
  const auto token_id = deps_.tokens != nullptr ? deps_.tokens->resolve(secret) : std::nullopt;
  const TokenRoute* route = snapshot && token_id ? snapshot->find(*token_id) : nullptr;
  if (route != nullptr) {
    auto feed = team ? team_feed(*snapshot, *route->feed, *team) : route->feed;
    if (!feed) return text_response(404, "not found\n");
    if (deps_.access_log != nullptr) deps_.access_log->note(*route, deps_.now());
    return feed_response(request, std::move(feed), deps_.now());
  }
  if (token_id && deps_.tokens->look_up(secret)) return feed_not_ready();
  unknown_token_log().note(request.client_address, deps_.now());
  return text_response(404, "not found\n");
}

httpd::HttpResponse FeedRequestHandler::feed_not_ready() const {
  if (deps_.request_rebuild) deps_.request_rebuild();
  auto response = text_response(503, "feed is being prepared, try again shortly\n");
  response.headers.emplace_back("Retry-After", "2");
  return response;
}

httpd::HttpResponse FeedRequestHandler::serve_health() const {
  if (!deps_.database_problem) return text_response(503, "database unavailable\n");
  if (const auto problem = deps_.database_problem()) return text_response(503, *problem + "\n");
  return text_response(200, "ok\n");
}

httpd::HttpResponse FeedRequestHandler::serve_metrics() const {
  const auto snapshot = deps_.catalog != nullptr ? deps_.catalog->current() : nullptr;
  auto response = text_response(
      200, deps_.metrics != nullptr ? deps_.metrics->exposition(snapshot.get()) : std::string());
  response.headers.front().second = "text/plain; version=0.0.4; charset=utf-8";
  return response;
}

}  // namespace plancal::feed
