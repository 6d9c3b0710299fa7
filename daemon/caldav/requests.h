#pragma once
/// The XML bodies of the WebDAV/CalDAV requests plancal sends.
///
/// Our own documents use fixed prefixes (d:, c:, cs:) declared on the root element; hrefs and
/// tokens are escaped, since a sync-token is an opaque URI and hrefs may contain '&'.

#include <string>
#include <string_view>
#include <vector>

namespace plancal::caldav {

struct PropName {
  std::string_view ns;
  std::string_view local;
};

/// PROPFIND asking for the named properties.
[[nodiscard]] std::string propfind_body(const std::vector<PropName>& props);

/// sync-collection REPORT (RFC 6578 §3.2) asking for getetag; an empty token asks for the
/// initial listing.
[[nodiscard]] std::string sync_collection_body(std::string_view token);

/// calendar-multiget REPORT (RFC 4791 §7.9) for getetag and calendar-data of these hrefs.
[[nodiscard]] std::string multiget_body(const std::vector<std::string>& hrefs);

/// calendar-query REPORT (RFC 4791 §7.8) for the getetag of events whose UID contains `uid`
/// (text-match is a substring match: callers check the UID of what they fetch).
[[nodiscard]] std::string uid_query_body(std::string_view uid);

/// MKCALENDAR (RFC 4791 §5.3.1) of a VEVENT calendar with a display name.
[[nodiscard]] std::string mkcalendar_body(std::string_view display_name);

}  // namespace plancal::caldav
