#include "web/static_assets.h"

#include <string>
#include <utility>
#include <vector>

namespace plancal::embedded {
std::vector<std::pair<std::string_view, std::string_view>> web_static_files();
}  // namespace plancal::embedded

namespace plancal::web {

namespace {

constexpr std::string_view kStaticPrefix = "/static/";

std::string_view content_type_of(std::string_view name) {
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

std::optional<std::string_view> embedded_file(std::string_view name) {
  for (const auto& [file, content] : embedded::web_static_files()) {
    if (file == name) return content;
  }
  return std::nullopt;
}

}  // namespace

std::optional<PageResponse> static_asset(std::string_view path,
                                         std::optional<std::string_view> if_none_match) {
  if (!path.starts_with(kStaticPrefix)) return std::nullopt;
  const std::string_view name = path.substr(kStaticPrefix.size());
  const auto content = embedded_file(name);
  if (!content) return std::nullopt;
  PageResponse response;
  const std::string etag = etag_of(*content);
  response.headers = {
      {"Content-Type", std::string(content_type_of(name))},
      {"Content-Security-Policy", std::string(kContentSecurityPolicy)},
      {"X-Content-Type-Options", "nosniff"},
      {"Cache-Control", "public, max-age=3600"},
      {"ETag", etag},
  };
  if (if_none_match && if_none_match_hits(*if_none_match, etag)) {
    response.status = 304;
    return response;
  }
  response.body = std::string(*content);
  return response;
}

std::string_view stylesheet_text() { return embedded_file("plancal.css").value_or(""); }

}  // namespace plancal::web
