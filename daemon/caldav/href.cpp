#include "caldav/href.h"

#include <vector>

#include "base/hash.h"
#include "http/url.h"

namespace plancal::caldav {

namespace {

constexpr std::size_t kMaxPlainUidLength = 128;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool is_pchar_literal(char c) {
  constexpr std::string_view kOthers = "!$&'()*+,;=:@";
  return is_unreserved(c) || kOthers.find(c) != std::string_view::npos;
}

/// The path part of a URL, or the text itself when it is already a path/reference.
std::string_view strip_query_and_fragment(std::string_view text) {
  return text.substr(0, text.find_first_of("?#"));
}

bool has_http_scheme(std::string_view text) {
  return text.starts_with("http://") || text.starts_with("https://");
}

std::string path_of(std::string_view url_or_path) {
  // Xandikos 0.2 writes hrefs of missing resources as a quoted URL ("http%3A//host%3A8000/x").
  const std::string decoded = percent_decode(url_or_path.substr(0, 16));
  if (!has_http_scheme(url_or_path) && has_http_scheme(decoded)) {
    return path_of(percent_decode(url_or_path));
  }
  if (url_or_path.find("://") != std::string_view::npos) {
    const auto parts = http::split_url(url_or_path);
    return parts ? parts->path : std::string("/");
  }
  return std::string(strip_query_and_fragment(url_or_path));
}

/// Splits an absolute path into decoded segments, applying "." and ".." (RFC 3986 §5.2.4).
/// The last segment is empty when the path ends with '/'.
std::vector<std::string> decoded_segments(std::string_view path) {
  std::vector<std::string> segments;
  std::size_t start = 1;  // after the leading '/'
  while (start <= path.size()) {
    const auto end = std::min(path.find('/', start), path.size());
    const std::string segment = percent_decode(path.substr(start, end - start));
    const bool last = end == path.size();
    if (segment == "." || segment == "..") {
      if (segment == ".." && !segments.empty()) segments.pop_back();
      if (last) segments.emplace_back();
    } else {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  return segments;
}

std::string join_encoded(const std::vector<std::string>& segments) {
  std::string out;
  for (const auto& segment : segments) {
    out += '/';
    out += percent_encode_segment(segment);
  }
  return out.empty() ? "/" : out;
}

}  // namespace

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string percent_encode_segment(std::string_view segment) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (const char c : segment) {
    if (is_pchar_literal(c)) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

bool uid_is_href_safe(std::string_view uid) {
  if (uid.empty() || uid.size() > kMaxPlainUidLength || uid.front() == '.') return false;
  for (const char c : uid) {
    if (!is_unreserved(c) && c != '@') return false;
  }
  return true;
}

std::string resource_name_for_uid(std::string_view uid) {
  return (uid_is_href_safe(uid) ? std::string(uid) : sha256_hex(uid)) + ".ics";
}

std::string href_for_uid(std::string_view collection, std::string_view uid) {
  return collection_path(collection) + resource_name_for_uid(uid);
}

std::string normalize_href(std::string_view href, std::string_view collection) {
  std::string path = path_of(href);
  if (path.empty() || path.front() != '/') {
    path = collection_path(collection) + path;  // a relative reference
  }
  return join_encoded(decoded_segments(path));
}

std::string collection_path(std::string_view url_or_path) {
  std::string path = path_of(url_or_path);
  if (path.empty() || path.front() != '/') path.insert(path.begin(), '/');
  std::string canonical = join_encoded(decoded_segments(path));
  if (canonical.back() != '/') canonical += '/';
  return canonical;
}

bool is_discovery_entry(std::string_view url_or_path) {
  const std::string path = collection_path(url_or_path);
  return path == "/" || path == std::string(kWellKnownCaldav) + "/";
}

std::string parent_collection(std::string_view href) {
  std::string path = path_of(href);
  if (path.ends_with('/')) path.pop_back();
  return path.substr(0, path.rfind('/') + 1);
}

}  // namespace plancal::caldav
