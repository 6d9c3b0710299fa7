#pragma once
/// CaldavClient: the CalDAV protocol operations the sync engine needs, over an HttpClient.
///
/// It speaks the protocol — discovery, collection state, sync-collection, multiget,
/// conditional writes — and reports typed results; it never decides what to change (that is
/// the reconcile engine's job). Every href it returns is normalised (normalize_href), and
/// hrefs it is given may be in any spelling a server used. Methods are safe to call from
/// several threads when the HttpClient is (the curl client bounds requests in flight).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caldav/error.h"
#include "caldav/multistatus.h"
#include "http/client.h"

namespace plancal::caldav {

struct CalendarInfo {
  std::string href;  ///< normalised collection path, ending in '/'
  std::string url;   ///< absolute URL of the collection
  std::string display_name;
  std::string ctag;             ///< CS:getctag; empty when the server has none
  std::string sync_token;       ///< DAV:sync-token; empty when sync-collection is unsupported
  bool is_calendar = false;     ///< resourcetype has CALDAV:calendar
  bool supports_vevent = true;  ///< no supported-calendar-component-set means "all"
};

/// A member resource and its entity tag (quoted, as the server sent it).
struct ResourceRef {
  std::string href;
  std::string etag;
  auto operator<=>(const ResourceRef&) const = default;
};

struct SyncChanges {
  std::vector<ResourceRef> changed;  ///< new or modified since the token (etag may be empty)
  std::vector<std::string> removed;  ///< deleted since the token
  std::string token;                 ///< store this for the next sync
  int requests = 0;                  ///< REPORTs made (more than one after 507 truncation)
};

struct FetchedEvent {
  std::string href;
  std::string etag;
  std::string calendar_data;
};

struct MultigetResult {
  std::vector<FetchedEvent> found;
  std::vector<std::string> missing;  ///< asked for, but answered 404 or left out
};

struct WriteOk {
  std::string href;
  /// The new entity tag; nullopt when the server gave none (it may have rewritten the event,
  /// RFC 4791 §5.3.4): learn it with fetch_etag or multiget, never guess it.
  std::optional<std::string> etag;
};

struct CaldavOptions {
  std::size_t multiget_chunk = 100;  ///< hrefs per calendar-multiget REPORT
  int max_redirects = 5;             ///< during discovery, same origin only
  int max_sync_rounds = 50;          ///< sync-collection continuations after 507
};

class CaldavClient {
 public:
  /// `base_url`: what the user configured — a server root, a principal, a calendar home or
  /// a calendar collection. Requests go to its origin (scheme, host, port).
  CaldavClient(http::HttpClient& http, std::string base_url, CaldavOptions options = {});

  /// RFC 6764/4791 discovery: current-user-principal -> calendar-home-set -> the calendars
  /// in the home that support VEVENT. The principal is asked for at the base URL, then at
  /// /.well-known/caldav; a base URL that is the server root or the well-known URL itself
  /// starts at the well-known URL (following its redirect), then tries the root. Without a
  /// principal, the base URL itself is listed (the root instead of the well-known URL).
  [[nodiscard]] DavResult<std::vector<CalendarInfo>> discover();

  /// The calendar homes discovery finds (the configured URL when there is no principal):
  /// where a new calendar goes.
  [[nodiscard]] DavResult<std::vector<std::string>> calendar_homes();

  /// The VEVENT calendars in these homes (discover() is calendar_homes() then this).
  [[nodiscard]] DavResult<std::vector<CalendarInfo>> calendars_in_homes(
      const std::vector<std::string>& homes);

  /// PROPFIND Depth 0 on one collection: kind, name, getctag, sync-token. A discovery entry
  /// (is_discovery_entry: the server root, the well-known URL) is answered without a request
  /// as a collection that is not a calendar: discovery, not a PROPFIND, says what is there.
  [[nodiscard]] DavResult<CalendarInfo> calendar_info(std::string_view collection);

  /// MKCALENDAR of a VEVENT calendar, then its calendar_info. Refused (Failure::Other) at a
  /// discovery entry.
  [[nodiscard]] DavResult<CalendarInfo> make_calendar(std::string_view collection,
                                                      std::string_view display_name);

  /// calendar_info, or make_calendar when the collection does not exist (404).
  [[nodiscard]] DavResult<CalendarInfo> ensure_calendar(std::string_view collection,
                                                        std::string_view display_name);

  /// sync-collection REPORT (RFC 6578) from `token` (empty: initial listing). A 507
  /// truncation is continued with the token it carries. Failure::InvalidSyncToken means the
  /// caller must fall back to list_resources: given for DAV:valid-sync-token, and for a
  /// token refused with 400/409/410/412/500 and no named condition (Xandikos answers 500).
  [[nodiscard]] DavResult<SyncChanges> sync_collection(std::string_view collection,
                                                       std::string_view token);

  /// PROPFIND Depth 1 getetag: every member resource of the collection.
  [[nodiscard]] DavResult<std::vector<ResourceRef>> list_resources(std::string_view collection);

  /// The hrefs of events whose UID contains `uid` (calendar-query): where a server that
  /// answers a create with no-uid-conflict but names no href keeps that UID.
  [[nodiscard]] DavResult<std::vector<std::string>> hrefs_with_uid(std::string_view collection,
                                                                   std::string_view uid);

  /// calendar-multiget REPORTs in chunks of options.multiget_chunk.
  [[nodiscard]] DavResult<MultigetResult> multiget(std::string_view collection,
                                                   const std::vector<std::string>& hrefs);

  /// PUT with If-None-Match: * — fails with PreconditionFailed when the href exists.
  [[nodiscard]] DavResult<WriteOk> create(std::string_view href, std::string_view ics);
  /// PUT with If-Match: etag — fails with PreconditionFailed when someone changed it.
  [[nodiscard]] DavResult<WriteOk> update(std::string_view href, std::string_view ics,
                                          std::string_view etag);
  /// DELETE with If-Match: etag.
  [[nodiscard]] DavStatus remove(std::string_view href, std::string_view etag);

  /// PROPFIND Depth 0 getetag on one resource (after a PUT that returned no ETag).
  [[nodiscard]] DavResult<std::string> fetch_etag(std::string_view href);

  /// The absolute URL for an href (normalised against the base URL).
  [[nodiscard]] std::string url_for(std::string_view href) const;
  [[nodiscard]] const std::string& base_url() const { return base_url_; }

 private:
  [[nodiscard]] DavResult<http::HttpResponse> exchange(http::HttpRequest request) const;
  [[nodiscard]] DavResult<Multistatus> propfind(std::string_view url, int depth,
                                                const std::string& body) const;
  [[nodiscard]] DavResult<Multistatus> report(std::string_view url, std::string body,
                                              int depth) const;
  /// PROPFIND and REPORT alike: an XML body, an optional Depth (-1: none), a 207 answer.
  [[nodiscard]] DavResult<Multistatus> multistatus_request(const char* method, std::string_view url,
                                                           std::string body, int depth) const;
  [[nodiscard]] DavResult<WriteOk> put(std::string_view href, std::string_view ics,
                                       http::Headers conditions);
  /// Where to ask for the principal, in order (RFC 6764 §6).
  [[nodiscard]] std::vector<std::string> principal_sources() const;
  /// The current-user-principal path from the first source that names one; "" when none.
  [[nodiscard]] DavResult<std::string> find_principal();
  [[nodiscard]] DavResult<std::string> follow_to_principal(std::string url);
  [[nodiscard]] DavResult<std::vector<CalendarInfo>> calendars_in(std::string_view url);
  [[nodiscard]] DavResult<MultigetResult> multiget_chunk(std::string_view collection,
                                                         const std::vector<std::string>& hrefs);
  [[nodiscard]] CalendarInfo to_calendar_info(const MultistatusResponse& response) const;

  http::HttpClient& http_;
  std::string base_url_;
  std::string origin_;
  CaldavOptions options_;
};

}  // namespace plancal::caldav
