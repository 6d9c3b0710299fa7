#include "caldav/client.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include "caldav/href.h"
#include "caldav/requests.h"
#include "http/url.h"

namespace plancal::caldav {

namespace {

using xml::kDav;

constexpr std::string_view kXmlContentType = "application/xml; charset=utf-8";
constexpr std::string_view kCalendarContentType = "text/calendar; charset=utf-8";

std::string describe(const http::HttpRequest& request) {
  return request.method + " " + http::redact_url(request.url);
}

DavError protocol_error(const http::HttpRequest& request, const std::string& detail) {
  return DavError{Failure::Protocol, 207, describe(request) + ": " + detail, {}};
}

/// A strong entity tag from a response header; weak ones cannot be used with If-Match.
std::optional<std::string> strong_etag(const http::HttpResponse& response) {
  const auto etag = response.headers.find("ETag");
  if (!etag || etag->empty() || etag->starts_with("W/")) return std::nullopt;
  return std::string(*etag);
}

/// A server that refuses a token without naming DAV:valid-sync-token is treated as if it had:
/// Xandikos 0.2 answers 500 to a token it does not know, others 400, 409, 410 or 412. A full
/// listing is always a correct (only slower) fallback.
DavError rejected_token(DavError error, std::string_view token) {
  constexpr std::array kAmbiguous{400, 409, 410, 412, 500};
  if (!token.empty() && error.kind != Failure::InvalidSyncToken &&
      std::find(kAmbiguous.begin(), kAmbiguous.end(), error.status) != kAmbiguous.end()) {
    error.message += "; treating the sync-token as invalid";
    error.kind = Failure::InvalidSyncToken;
  }
  return error;
}

}  // namespace

CaldavClient::CaldavClient(http::HttpClient& http, std::string base_url, CaldavOptions options)
    : http_(http),
      base_url_(std::move(base_url)),
      origin_(http::origin_of(base_url_)),
      options_(options) {
  if (origin_.empty()) throw std::invalid_argument("CalDAV URL is not an absolute http(s) URL");
  if (options_.multiget_chunk == 0) options_.multiget_chunk = 1;
}

std::string CaldavClient::url_for(std::string_view href) const {
  return origin_ + normalize_href(href, base_url_);
}

DavResult<http::HttpResponse> CaldavClient::exchange(http::HttpRequest request) const {
  auto response = http_.send(request);
  if (!response) return transport_error(response.error());
  return std::move(response).value();
}

DavResult<Multistatus> CaldavClient::report(std::string_view url, std::string body,
                                            int depth) const {
  return multistatus_request("REPORT", url, std::move(body), depth);
}

DavResult<Multistatus> CaldavClient::propfind(std::string_view url, int depth,
                                              const std::string& body) const {
  return multistatus_request("PROPFIND", url, body, depth);
}

DavResult<Multistatus> CaldavClient::multistatus_request(const char* method, std::string_view url,
                                                         std::string body, int depth) const {
  auto request = http::HttpRequest::make(method, std::string(url), std::move(body));
  request.headers.add("Content-Type", std::string(kXmlContentType));
  if (depth >= 0) request.headers.add("Depth", std::to_string(depth));
  auto response = exchange(request);
  if (!response) return response.error();
  if (response->status != 207) return error_from_response(*response, describe(request), url);
  auto parsed = parse_multistatus(response->body);
  if (!parsed) return protocol_error(request, parsed.error().message);
  return std::move(parsed).value();
}

DavResult<SyncChanges> CaldavClient::sync_collection(std::string_view collection,
                                                     std::string_view token) {
  const std::string self = collection_path(collection);
  std::map<std::string, std::optional<std::string>> latest;  // href -> etag; nullopt: removed
  SyncChanges changes;
  changes.token = std::string(token);
  for (int round = 1; round <= options_.max_sync_rounds; ++round) {
    auto answer = report(url_for(self), sync_collection_body(changes.token), 0);
    if (!answer) return rejected_token(answer.error(), changes.token);
    ++changes.requests;
    bool truncated = false;
    for (const auto& response : answer->responses) {
      const std::string href = normalize_href(response.href, self);
      if (href == self) {
        truncated = truncated || response.status == 507;
      } else if (response.status == 404) {
        latest[href] = std::nullopt;
      } else {
        latest[href] = response.prop_text(kDav, "getetag");
      }
    }
    if (answer->sync_token.empty()) {
      return DavError{Failure::Protocol, 207, "sync-collection answer without a sync-token", {}};
    }
    const bool progressed = answer->sync_token != changes.token;
    changes.token = answer->sync_token;
    if (!truncated) break;
    if (!progressed) {
      return DavError{Failure::Protocol, 507, "sync-collection truncated without progress", {}};
    }
    spdlog::debug("caldav: sync-collection truncated (507), continuing");
  }
  for (auto& [href, etag] : latest) {
    if (etag) {
      changes.changed.push_back(ResourceRef{href, std::move(*etag)});
    } else {
      changes.removed.push_back(href);
    }
  }
  return changes;
}

DavResult<std::vector<ResourceRef>> CaldavClient::list_resources(std::string_view collection) {
  const std::string self = collection_path(collection);
  auto answer =
      propfind(url_for(self), 1, propfind_body({{kDav, "resourcetype"}, {kDav, "getetag"}}));
  if (!answer) return answer.error();
  std::vector<ResourceRef> resources;
  for (const auto& response : answer->responses) {
    const std::string href = normalize_href(response.href, self);
    const xml::Node* type = response.found_prop(kDav, "resourcetype");
    const bool is_collection = type != nullptr && type->child(kDav, "collection") != nullptr;
    if (href == self || is_collection || response.status == 404) continue;
    resources.push_back(ResourceRef{href, response.prop_text(kDav, "getetag")});
  }
  return resources;
}

DavResult<std::vector<std::string>> CaldavClient::hrefs_with_uid(std::string_view collection,
                                                                 std::string_view uid) {
  const std::string self = collection_path(collection);
  auto answer = report(url_for(self), uid_query_body(uid), 1);
  if (!answer) return answer.error();
  std::vector<std::string> hrefs;
  for (const auto& response : answer->responses) {
    if (response.status == 404) continue;
    const std::string href = normalize_href(response.href, self);
    if (href != self) hrefs.push_back(href);
  }
  return hrefs;
}

DavResult<MultigetResult> CaldavClient::multiget(std::string_view collection,
                                                 const std::vector<std::string>& hrefs) {
  MultigetResult result;
  for (std::size_t start = 0; start < hrefs.size(); start += options_.multiget_chunk) {
    const auto end = std::min(hrefs.size(), start + options_.multiget_chunk);
    const std::vector<std::string> chunk(hrefs.begin() + static_cast<std::ptrdiff_t>(start),
                                         hrefs.begin() + static_cast<std::ptrdiff_t>(end));
    auto part = multiget_chunk(collection, chunk);
    if (!part) return part.error();
    std::move(part->found.begin(), part->found.end(), std::back_inserter(result.found));
    std::move(part->missing.begin(), part->missing.end(), std::back_inserter(result.missing));
  }
  return result;
}

DavResult<MultigetResult> CaldavClient::multiget_chunk(std::string_view collection,
                                                       const std::vector<std::string>& hrefs) {
  const std::string self = collection_path(collection);
  std::vector<std::string> wanted;
  for (const auto& href : hrefs) wanted.push_back(normalize_href(href, self));
  auto answer = report(url_for(self), multiget_body(wanted), -1);
  if (!answer) return answer.error();
  MultigetResult result;
  std::set<std::string> seen;
  for (const auto& response : answer->responses) {
    const xml::Node* data = response.found_prop(xml::kCalDav, "calendar-data");
    if (response.status == 404 || data == nullptr) continue;
    FetchedEvent event{normalize_href(response.href, self), response.prop_text(kDav, "getetag"),
                       data->text};
    seen.insert(event.href);
    result.found.push_back(std::move(event));
  }
  for (const auto& href : wanted) {
    if (!seen.contains(href)) result.missing.push_back(href);
  }
  return result;
}

DavResult<WriteOk> CaldavClient::put(std::string_view href, std::string_view ics,
                                     http::Headers conditions) {
  auto request = http::HttpRequest::make("PUT", url_for(href), std::string(ics));
  request.headers = std::move(conditions);
  request.headers.add("Content-Type", std::string(kCalendarContentType));
  auto response = exchange(request);
  if (!response) return response.error();
  if (!response->is_success()) {
    return error_from_response(*response, describe(request), request.url);
  }
  if (auto failed = error_in_multistatus(*response, describe(request), request.url)) {
    return *failed;
  }
  return WriteOk{normalize_href(href, base_url_), strong_etag(*response)};
}

DavResult<WriteOk> CaldavClient::create(std::string_view href, std::string_view ics) {
  return put(href, ics, http::Headers{{"If-None-Match", "*"}});
}

DavResult<WriteOk> CaldavClient::update(std::string_view href, std::string_view ics,
                                        std::string_view etag) {
  return put(href, ics, http::Headers{{"If-Match", std::string(etag)}});
}

DavStatus CaldavClient::remove(std::string_view href, std::string_view etag) {
  auto request = http::HttpRequest::make("DELETE", url_for(href));
  request.headers.add("If-Match", std::string(etag));
  auto response = exchange(request);
  if (!response) return response.error();
  if (!response->is_success()) {
    return error_from_response(*response, describe(request), request.url);
  }
  return Ok{};
}

DavResult<std::string> CaldavClient::fetch_etag(std::string_view href) {
  const std::string url = url_for(href);
  auto answer = propfind(url, 0, propfind_body({{kDav, "getetag"}}));
  if (!answer) return answer.error();
  for (const auto& response : answer->responses) {
    if (response.status == 404) break;
    if (auto etag = response.prop_text(kDav, "getetag"); !etag.empty()) return etag;
  }
  return DavError{Failure::NotFound,
                  404,
                  "PROPFIND " + http::redact_url(url) + ": no getetag for the resource",
                  {}};
}

}  // namespace plancal::caldav
