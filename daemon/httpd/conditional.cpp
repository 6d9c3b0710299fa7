#include "httpd/conditional.h"
#include "base/text.h"

#include "base/http_date.h"

namespace plancal::httpd {

namespace {

/// The opaque tag with its quotes, without a "W/" prefix; empty when malformed.
std::string_view opaque_tag(std::string_view tag) {
  if (tag.starts_with("W/")) tag.remove_prefix(2);
  if (tag.size() < 2 || tag.front() != '"' || tag.back() != '"') return {};
  return tag;
}

/// Entity tags may not contain commas or quotes inside, so a list splits on commas outside
/// quotes; a malformed element simply matches nothing.
std::vector<std::string_view> split_tag_list(std::string_view header) {
  std::vector<std::string_view> tags;
  bool in_quotes = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= header.size(); ++i) {
    if (i == header.size() || (header[i] == ',' && !in_quotes)) {
      const auto element = trim(header.substr(start, i - start));
      if (!element.empty()) tags.push_back(element);
      start = i + 1;
    } else if (header[i] == '"') {
      in_quotes = !in_quotes;
    }
  }
  return tags;
}

bool matches_any(std::string_view tag, const std::vector<std::string_view>& etags) {
  const auto wanted = opaque_tag(tag);
  if (wanted.empty()) return false;
  for (const auto etag : etags) {
    if (opaque_tag(etag) == wanted) return true;
  }
  return false;
}

}  // namespace

bool if_none_match_matches(std::string_view header, const std::vector<std::string_view>& etags) {
  if (trim(header) == "*") return !etags.empty();
  for (const auto tag : split_tag_list(header)) {
    if (matches_any(tag, etags)) return true;
  }
  return false;
}

bool is_not_modified(const ConditionalHeaders& request, const Validators& current) {
  if (request.if_none_match) return if_none_match_matches(*request.if_none_match, current.etags);
  if (!request.if_modified_since || current.last_modified <= 0) return false;
  const auto since = parse_http_date(trim(*request.if_modified_since));
  return since && *since <= current.now && current.last_modified <= *since;
}

}  // namespace plancal::httpd
