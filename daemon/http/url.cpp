#include "http/url.h"

#include <algorithm>

namespace plancal::http {

namespace {

std::string to_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

/// Cuts `text` at the first `separator`: returns what follows (without it) and keeps the head.
std::optional<std::string_view> cut_tail(std::string_view& text, char separator) {
  const auto at = text.find(separator);
  if (at == std::string_view::npos) return std::nullopt;
  const auto tail = text.substr(at + 1);
  text = text.substr(0, at);
  return tail;
}

}  // namespace

std::optional<UrlParts> split_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  UrlParts parts;
  parts.scheme = to_lower(url.substr(0, scheme_end));
  if (parts.scheme != "http" && parts.scheme != "https") return std::nullopt;
  std::string_view rest = url.substr(scheme_end + 3);
  if (const auto fragment = cut_tail(rest, '#')) parts.fragment = std::string(*fragment);
  if (const auto query = cut_tail(rest, '?')) {
    parts.query = std::string(*query);
    parts.has_query = true;
  }
  const auto path_start = rest.find('/');
  std::string_view authority = rest.substr(0, path_start);
  parts.path = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    parts.userinfo = std::string(authority.substr(0, at));
    authority = authority.substr(at + 1);
  }
  if (authority.empty()) return std::nullopt;
  parts.authority = std::string(authority);
  return parts;
}

std::string origin_of(std::string_view url) {
  const auto parts = split_url(url);
  if (!parts) return {};
  return parts->scheme + "://" + to_lower(parts->authority);
}

std::string redact_url(std::string_view url) {
  const auto parts = split_url(url);
  if (!parts) return "<unparsable URL>";
  std::string out = parts->scheme + "://" + parts->authority + parts->path;
  if (parts->has_query) out += "?<redacted>";
  return out;
}

}  // namespace plancal::http
