#pragma once
/// The feed server's routes, without sockets:
///   GET|HEAD /feeds/<token>.ics  the feed (ETag/Last-Modified/304, gzip, Cache-Control)
///   GET|HEAD /feeds/<token>/<team>.ics
///                                for a plan's `all` token: one team's feed of that plan (the
///                                year overview's subscribe buttons per team)
///   GET|HEAD /healthz            200 "ok" when the database answers and the feeds are
///                                current, else 503 with the reason
///   GET|HEAD /metrics            Prometheus text
/// A wrong method gets 405 with Allow, an overlong URL 414, anything else 404. Unknown and
/// revoked tokens get 404 and are logged with the client's address, never with the token.
/// A token created after the last catalog build gets 503 + Retry-After until its feed exists.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "feed/access_log.h"
#include "feed/catalog.h"
#include "feed/metrics.h"
#include "feed/token_resolver.h"
#include "httpd/http_types.h"

namespace plancal::feed {

/// Longest path we answer; longer ones get 414 (feed paths are about 55 characters).
inline constexpr std::size_t kMaxPathLength = 2048;

struct HandlerDependencies {
  const Catalog* catalog = nullptr;
  TokenResolver* tokens = nullptr;
  Metrics* metrics = nullptr;
  AccessLog* access_log = nullptr;
  /// For /healthz: why the feeds cannot be trusted to be current (the database does not
  /// answer, or a read failed and the feeds are held), or nullopt. Must be thread-safe.
  std::function<std::optional<std::string>()> database_problem;
  std::function<std::int64_t()> now;  ///< Unix seconds; the system clock by default
  /// Called (from a server thread) when a live token has no feed yet: the catalog should be
  /// rebuilt soon. The request gets 503 with Retry-After meanwhile.
  std::function<void()> request_rebuild;
};

class FeedRequestHandler final : public httpd::HttpHandler {
 public:
  explicit FeedRequestHandler(HandlerDependencies dependencies);
  [[nodiscard]] httpd::HttpResponse handle(const httpd::HttpRequest& request) const override;

 private:
  [[nodiscard]] httpd::HttpResponse route(const httpd::HttpRequest& request) const;
  [[nodiscard]] httpd::HttpResponse serve_feed(const httpd::HttpRequest& request,
                                               std::string_view token_path) const;
  [[nodiscard]] httpd::HttpResponse feed_not_ready() const;
  [[nodiscard]] httpd::HttpResponse serve_health() const;
  [[nodiscard]] httpd::HttpResponse serve_metrics() const;

  HandlerDependencies deps_;
};

/// What is between "/feeds/" and ".ics" ("<secret>" or "<secret>/<team>"), or nullopt when
/// the path is not a feed path.
[[nodiscard]] std::optional<std::string_view> feed_secret_in_path(std::string_view path);

}  // namespace plancal::feed
