// CaldavClient: discovery and collection properties (RFC 6764, RFC 4791 §6, RFC 5397).
#include <spdlog/spdlog.h>

#include "base/text.h"
#include "caldav/client.h"
#include "caldav/href.h"
#include "caldav/requests.h"
#include "http/url.h"

namespace plancal::caldav {

namespace {

using xml::kCalDav;
using xml::kCalendarServer;
using xml::kDav;

const std::vector<PropName>& calendar_props() {
  static const std::vector<PropName> kProps{{kDav, "resourcetype"},
                                            {kDav, "displayname"},
                                            {kCalDav, "supported-calendar-component-set"},
                                            {kCalendarServer, "getctag"},
                                            {kDav, "sync-token"}};
  return kProps;
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/// Failures that mean "this URL gives no principal", as opposed to "stop trying": a 403 on
/// a server root is common (the DAV tree lives below it), rejected credentials are not.
bool is_soft(const DavError& error) {
  return error.kind != Failure::Unauthorized && error.kind != Failure::Transport;
}

/// The first DAV:href inside a found property, normalised; empty when there is none.
std::string href_in(const MultistatusResponse& response, std::string_view ns,
                    std::string_view local, std::string_view base) {
  const xml::Node* prop = response.found_prop(ns, local);
  if (prop == nullptr) return {};
  const std::string href = prop->child_text(kDav, "href");
  return href.empty() ? std::string() : normalize_href(href, base);
}

}  // namespace

CalendarInfo CaldavClient::to_calendar_info(const MultistatusResponse& response) const {
  CalendarInfo info;
  info.href = collection_path(normalize_href(response.href, base_url_));
  info.url = origin_ + info.href;
  info.display_name = response.prop_text(kDav, "displayname");
  info.ctag = response.prop_text(kCalendarServer, "getctag");
  info.sync_token = response.prop_text(kDav, "sync-token");
  if (const xml::Node* type = response.found_prop(kDav, "resourcetype")) {
    info.is_calendar = type->child(kCalDav, "calendar") != nullptr;
  }
  if (const xml::Node* set = response.found_prop(kCalDav, "supported-calendar-component-set")) {
    info.supports_vevent = false;
    for (const xml::Node* comp : set->children_named(kCalDav, "comp")) {
      if (comp->attribute("name") == "VEVENT") info.supports_vevent = true;
    }
  }
  return info;
}

DavResult<std::string> CaldavClient::follow_to_principal(std::string url) {
  const std::string body = propfind_body({{kDav, "current-user-principal"}});
  for (int hop = 0; hop <= options_.max_redirects; ++hop) {
    auto request = http::HttpRequest::make("PROPFIND", url, body);
    request.headers.add("Content-Type", "application/xml; charset=utf-8");
    request.headers.add("Depth", "0");
    auto response = exchange(request);
    if (!response) return response.error();
    if (is_redirect(response->status)) {
      const auto location = response->headers.find("Location");
      if (!location) return std::string();
      const std::string target = location->find("://") != std::string_view::npos
                                     ? std::string(*location)
                                     : origin_ + normalize_href(*location, url);
      if (http::origin_of(target) != origin_) {
        spdlog::warn("caldav: not following a redirect to another origin: {}",
                     http::redact_url(target));
        return std::string();
      }
      url = target;
      continue;
    }
    if (response->status != 207) {
      return error_from_response(*response, "PROPFIND " + http::redact_url(url), url);
    }
    auto parsed = parse_multistatus(response->body);
    if (!parsed) return std::string();
    for (const auto& entry : parsed->responses) {
      if (auto href = href_in(entry, kDav, "current-user-principal", url); !href.empty()) {
        return href;
      }
    }
    return std::string();
  }
  return std::string();
}

DavResult<std::vector<CalendarInfo>> CaldavClient::calendars_in(std::string_view url) {
  const std::string self = collection_path(url);
  auto answer = propfind(origin_ + self, 1, propfind_body(calendar_props()));
  if (!answer) return answer.error();
  std::vector<CalendarInfo> calendars;
  for (const auto& response : answer->responses) {
    if (response.status != 0 && response.status != 200) continue;
    CalendarInfo info = to_calendar_info(response);
    if (info.is_calendar && info.supports_vevent) calendars.push_back(std::move(info));
  }
  return calendars;
}

std::vector<std::string> CaldavClient::principal_sources() const {
  const std::string well_known = origin_ + std::string(kWellKnownCaldav);
  if (is_discovery_entry(base_url_)) return {well_known, origin_ + "/"};
  return {base_url_, well_known};
}

DavResult<std::string> CaldavClient::find_principal() {
  for (const std::string& source : principal_sources()) {
    auto found = follow_to_principal(source);
    if (!found && !is_soft(found.error())) return found.error();
    if (found && !found->empty()) return found;
  }
  return std::string();
}

DavResult<std::vector<std::string>> CaldavClient::calendar_homes() {
  auto principal = find_principal();
  if (!principal) return principal.error();
  std::vector<std::string> homes;
  if (!principal->empty()) {
    auto answer =
        propfind(origin_ + *principal, 0, propfind_body({{kCalDav, "calendar-home-set"}}));
    if (!answer && !is_soft(answer.error())) return answer.error();
    if (answer) {
      for (const auto& response : answer->responses) {
        if (const xml::Node* set = response.found_prop(kCalDav, "calendar-home-set")) {
          for (const xml::Node* href : set->children_named(kDav, "href")) {
            homes.push_back(collection_path(normalize_href(trim(href->text), *principal)));
          }
        }
      }
    }
  }
  if (homes.empty()) {
    // A server without principals keeps calendars below the configured URL (never below the
    // well-known URL, which only points elsewhere).
    spdlog::debug("caldav: no principal or calendar home; listing the configured URL");
    homes.push_back(is_discovery_entry(base_url_) ? "/" : collection_path(base_url_));
  }
  return homes;
}

DavResult<std::vector<CalendarInfo>> CaldavClient::discover() {
  auto homes = calendar_homes();
  if (!homes) return homes.error();
  return calendars_in_homes(*homes);
}

DavResult<std::vector<CalendarInfo>> CaldavClient::calendars_in_homes(
    const std::vector<std::string>& homes) {
  std::vector<CalendarInfo> calendars;
  for (const auto& home : homes) {
    auto found = calendars_in(home);
    if (!found) return found.error();
    std::move(found->begin(), found->end(), std::back_inserter(calendars));
  }
  return calendars;
}

DavResult<CalendarInfo> CaldavClient::calendar_info(std::string_view collection) {
  const std::string url = origin_ + collection_path(normalize_href(collection, base_url_));
  if (is_discovery_entry(url)) {
    // Not asked: a server may answer 500 at its root (DAViCal) or 404 below the well-known
    // URL, and neither is ever a calendar or a place for one (RFC 6764 §5).
    CalendarInfo entry;
    entry.href = collection_path(url);
    entry.url = url;
    return entry;
  }
  auto answer = propfind(url, 0, propfind_body(calendar_props()));
  if (!answer) return answer.error();
  if (answer->responses.empty()) {
    return DavError{
        Failure::Protocol, 207, "PROPFIND " + http::redact_url(url) + ": empty answer", {}};
  }
  const MultistatusResponse& self = answer->responses.front();
  if (self.status == 404) {
    return DavError{
        Failure::NotFound, 404, "PROPFIND " + http::redact_url(url) + ": no such collection", {}};
  }
  return to_calendar_info(self);
}

DavResult<CalendarInfo> CaldavClient::make_calendar(std::string_view collection,
                                                    std::string_view display_name) {
  const std::string url = origin_ + collection_path(normalize_href(collection, base_url_));
  if (is_discovery_entry(url)) {
    return DavError{Failure::Other,
                    0,
                    "not creating a calendar at " + http::redact_url(url) +
                        ": it is where discovery starts; point the url at a calendar home",
                    {}};
  }
  auto request = http::HttpRequest::make("MKCALENDAR", url, mkcalendar_body(display_name));
  request.headers.add("Content-Type", "application/xml; charset=utf-8");
  auto response = exchange(request);
  if (!response) return response.error();
  if (!response->is_success()) {
    return error_from_response(*response, "MKCALENDAR " + http::redact_url(url), url);
  }
  return calendar_info(url);
}

DavResult<CalendarInfo> CaldavClient::ensure_calendar(std::string_view collection,
                                                      std::string_view display_name) {
  auto info = calendar_info(collection);
  if (!info && info.error().kind == Failure::NotFound)
    return make_calendar(collection, display_name);
  return info;
}

}  // namespace plancal::caldav
