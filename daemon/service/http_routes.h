#pragma once
/// The one place where request paths are given to handlers: plancal serves its feeds and its
/// pages from one server, each concern with its own handler, composed here by path.
///
///   /feeds/...  /healthz  /metrics   the feeds (feed/request_handler.h)
///   /p/...  /static/...              the pages (web/page_routes.h)
///   anything else                    the fallback (the feed handler's 404 and 414)
///
/// More routes (signed-in pages, forms) are one add_prefix() each; a handler sees the whole
/// request, its Cookie header and its (bounded) body included.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "httpd/http_types.h"

namespace plancal {

class PathRouter final : public httpd::HttpHandler {
 public:
  /// `fallback` answers paths no route claims, and paths longer than `max_path_length`
  /// (before any route sees them).
  PathRouter(const httpd::HttpHandler& fallback, std::size_t max_path_length)
      : fallback_(fallback), max_path_length_(max_path_length) {}

  /// Requests for exactly `path` go to `handler`.
  void add_exact(std::string path, const httpd::HttpHandler& handler);
  /// Requests whose path starts with `prefix` go to `handler`; the longest prefix wins.
  void add_prefix(std::string prefix, const httpd::HttpHandler& handler);

  [[nodiscard]] httpd::HttpResponse handle(const httpd::HttpRequest& request) const override;

  /// The handler a path goes to, for tests.
  [[nodiscard]] const httpd::HttpHandler& route(std::string_view path) const;

 private:
  struct Route {
    std::string path;
    bool exact = false;
    const httpd::HttpHandler* handler = nullptr;
  };
  const httpd::HttpHandler& fallback_;
  std::size_t max_path_length_;
  std::vector<Route> routes_;  ///< longest path first
};

}  // namespace plancal
