#include "service/http_routes.h"

#include <algorithm>

namespace plancal {

void PathRouter::add_exact(std::string path, const httpd::HttpHandler& handler) {
  routes_.push_back({std::move(path), true, &handler});
  std::stable_sort(routes_.begin(), routes_.end(),
                   [](const Route& a, const Route& b) { return a.path.size() > b.path.size(); });
}

void PathRouter::add_prefix(std::string prefix, const httpd::HttpHandler& handler) {
  routes_.push_back({std::move(prefix), false, &handler});
  std::stable_sort(routes_.begin(), routes_.end(),
                   [](const Route& a, const Route& b) { return a.path.size() > b.path.size(); });
}

const httpd::HttpHandler& PathRouter::route(std::string_view path) const {
  if (path.size() > max_path_length_) return fallback_;
  for (const auto& route : routes_) {
    if (route.exact ? path == route.path : path.starts_with(route.path)) return *route.handler;
  }
  return fallback_;
}

httpd::HttpResponse PathRouter::handle(const httpd::HttpRequest& request) const {
  return route(request.path).handle(request);
}

}  // namespace plancal
