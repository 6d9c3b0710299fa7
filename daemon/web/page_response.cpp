#include "web/page_response.h"

#include "base/hash.h"
#include "base/text.h"
#include "web/page_layout.h"
#include "web/templates.h"

namespace plancal::web {

std::optional<std::string> PageResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return std::nullopt;
}

Headers page_headers() {
  return {
      {"Content-Type", "text/html; charset=utf-8"},
      {"Content-Security-Policy", std::string(kContentSecurityPolicy)},
      {"Referrer-Policy", "no-referrer"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},  // frame-ancestors for browsers that predate it
      // private: no shared cache keeps a person's page; no-cache: revalidate (a cheap 304 by
      // ETag) so a moved meeting shows at once.
      {"Cache-Control", "private, no-cache"},
  };
}

std::string etag_of(std::string_view body) { return "\"" + sha256_hex(body).substr(0, 32) + "\""; }

bool if_none_match_hits(std::string_view if_none_match, std::string_view etag) {
  std::string_view rest = if_none_match;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view candidate = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (candidate == "*") return true;
    if (candidate.starts_with("W/")) candidate.remove_prefix(2);  // weak comparison (RFC 9110)
    if (candidate == etag) return true;
  }
  return false;
}

PageResponse html_page(std::string html, std::optional<std::string_view> if_none_match) {
  PageResponse response;
  response.headers = page_headers();
  const std::string etag = etag_of(html);
  response.headers.emplace_back("ETag", etag);
  if (if_none_match && if_none_match_hits(*if_none_match, etag)) {
    response.status = 304;
    return response;
  }
  response.body = std::move(html);
  return response;
}

PageResponse not_found_page() {
  static const std::string kHtml =
      render_template("not_found", layout_data("Siden finnes ikke", ""));
  PageResponse response;
  response.status = 404;
  response.headers = page_headers();
  response.body = kHtml;
  return response;
}

}  // namespace plancal::web
