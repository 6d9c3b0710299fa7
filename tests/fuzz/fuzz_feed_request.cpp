// libFuzzer target: the feed server's request handling, from a request head to the response.
// It runs what the server runs for every request that arrived whole (httpd::answer: the
// Host and framing rules, then the feed routes), so it exercises path parsing and feed
// secrets, If-None-Match lists, HTTP dates in If-Modified-Since and Accept-Encoding q-values.
//
// Input: the bytes of a request head: "METHOD PATH VERSION" and then "Name: value" lines,
// separated by CRLF or LF. A response that breaks a rule a client relies on aborts, so the
// fuzzer reports it like a crash.
//
// Build (what the fuzz build does for every tests/fuzz/fuzz_*.cpp): clang++ with
// -fsanitize=fuzzer,address,undefined, linked against plancal_core built the same way.

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "feed/catalog.h"
#include "feed/feed_body.h"
#include "feed/request_handler.h"
#include "httpd/gzip.h"
#include "httpd/request_checks.h"

namespace {

using plancal::FeedToken;
using namespace plancal::feed;
namespace httpd = plancal::httpd;

constexpr std::int64_t kNow = 1704067200;           // 2024-01-01T00:00:00Z
constexpr std::int64_t kLastModified = 1703980800;  // a day earlier
const std::string kSecret = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";
const std::string kNotBuiltYet = "Zbcdefghijklmnopqrstuvwxyz0123456789-_ABCDE";

/// One feed behind one token, and a second token whose feed is not built yet.
struct FeedServer {
  Catalog catalog;
  Metrics metrics;
  AccessLog access_log;
  TokenResolver tokens{[](std::string_view secret) -> std::optional<FeedToken> {
    if (secret == kSecret) return FeedToken{7, "p", "team:A", "", kNow, {}, {}, {}};
    if (secret == kNotBuiltYet) return FeedToken{8, "p", "team:A", "", kNow, {}, {}, {}};
    return std::nullopt;
  }};
  FeedRequestHandler handler{HandlerDependencies{
      .catalog = &catalog,
      .tokens = &tokens,
      .metrics = &metrics,
      .access_log = &access_log,
      .database_problem = [] { return std::optional<std::string>(); },
      .now = [] { return kNow; },
      .request_rebuild = [] {},
  }};
  std::shared_ptr<const FeedEntry> feed;

  FeedServer() {
    auto entry = std::make_shared<FeedEntry>();
    entry->feed_id = "p/team:A";
    entry->body = make_feed_body(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//plancal//fuzz//NO\r\n"
        "BEGIN:VEVENT\r\nUID:p.1@plancal\r\nDTSTAMP:20240101T000000Z\r\n"
        "DTSTART:20240115T080000Z\r\nSUMMARY:Møte\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        kLastModified);
    entry->event_count = 1;
    feed = entry;
    catalog.replace(std::make_shared<const CatalogSnapshot>(
        std::vector<std::shared_ptr<const FeedEntry>>{entry}, std::vector<TokenBinding>{{7, entry}},
        kNow));
  }
};

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

/// The request as libmicrohttpd would hand it over: the path without its query string, the
/// headers looked up by name without regard to case (the first one of a name wins).
httpd::HttpRequest parse_head(std::string_view head) {
  httpd::HttpRequest request;
  request.client_address = "192.0.2.1";
  const auto lines = lines_of(head);
  if (lines.empty()) return request;
  std::string_view start = trim(lines.front());
  const auto first_space = start.find(' ');
  request.method = start.substr(0, first_space);
  if (first_space != std::string_view::npos) {
    start.remove_prefix(first_space + 1);
    const auto second_space = start.find(' ');
    request.path = start.substr(0, second_space);
    request.path = request.path.substr(0, request.path.find('?'));
    if (second_space != std::string_view::npos) request.version = start.substr(second_space + 1);
  }
  const std::pair<std::string_view, std::optional<std::string_view>*> fields[] = {
      {"Host", &request.host},
      {"If-None-Match", &request.if_none_match},
      {"If-Modified-Since", &request.if_modified_since},
      {"Accept-Encoding", &request.accept_encoding},
      {"Content-Length", &request.content_length},
      {"Transfer-Encoding", &request.transfer_encoding},
  };
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto colon = lines[i].find(':');
    if (colon == std::string_view::npos) continue;
    const auto name = lines[i].substr(0, colon);
    for (const auto& [field, slot] : fields) {
      if (same_name(name, field) && !*slot) *slot = trim(lines[i].substr(colon + 1));
    }
  }
  return request;
}

/// Stops the run (the fuzzer saves the input) when a response breaks a promise.
void require(bool promise) {
  if (!promise) std::abort();
}

void check(const FeedServer& server, const httpd::HttpRequest& request,
           const httpd::HttpResponse& response) {
  require(response.status >= 100 && response.status <= 599);
  if (request.version == "HTTP/1.1" && !request.host) require(response.status == 400);
  if (request.content_length && request.transfer_encoding) require(response.status == 400);
  const std::string payload = response.payload();
  require(payload.find(kSecret) == std::string_view::npos);
  for (const auto& [name, value] : response.headers) {
    require(value.find(kSecret) == std::string::npos);
    require(value.find('\n') == std::string::npos && value.find('\r') == std::string::npos);
  }
  if (response.status == 304) require(payload.empty());
  if (response.status == 200 && response.header("Content-Type") == "text/calendar; charset=utf-8") {
    const auto& body = server.feed->body;
    if (response.header("Content-Encoding") == "gzip") {
      require(payload == body.gzip());
      require(httpd::gzip_decompress(payload) == body.text());
    } else {
      require(payload == body.text());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const FeedServer server;
  const std::string head(reinterpret_cast<const char*>(data), size);
  const httpd::HttpRequest request = parse_head(head);
  const httpd::HttpResponse response = httpd::answer(server.handler, request);
  check(server, request, response);
  return 0;
}
