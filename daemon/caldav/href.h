#pragma once
/// Resource names (hrefs) in a calendar collection.
///
/// plancal picks the href of every event it creates from the event's UID, so a crashed sync
/// that re-sends a PUT hits the same resource (and gets 412) instead of making a duplicate.
/// Servers echo hrefs back in their own spelling (absolute URL or path, '@' or "%40",
/// relative to the collection), so hrefs are compared only after `normalize_href`.

#include <string>
#include <string_view>

namespace plancal::caldav {

/// Decodes %XX escapes; malformed escapes are kept as written.
[[nodiscard]] std::string percent_decode(std::string_view text);

/// Encodes one path segment: RFC 3986 unreserved characters and the other pchar characters
/// (sub-delims, ':' and '@') stay, everything else (including '/', '%', space, non-ASCII
/// bytes) becomes %XX with upper-case hex.
[[nodiscard]] std::string percent_encode_segment(std::string_view segment);

/// True when the UID can be used as the resource name as it is: 1..128 characters from
/// RFC 3986 unreserved plus '@' ([A-Za-z0-9._~@-]), not starting with '.' (Radicale refuses
/// hidden file names).
[[nodiscard]] bool uid_is_href_safe(std::string_view uid);

/// The resource name for a UID: "<uid>.ics" when uid_is_href_safe, otherwise
/// "<sha256 hex of the UID>.ics". Deterministic: the same UID always gives the same name.
[[nodiscard]] std::string resource_name_for_uid(std::string_view uid);

/// The href of the UID's resource inside a collection path ("/cal/" + name).
[[nodiscard]] std::string href_for_uid(std::string_view collection_path, std::string_view uid);

/// Canonical form of an href for comparison and for building request URLs: an absolute path
/// (scheme and host stripped, relative references resolved against `collection`, "." and
/// ".." removed, query and fragment dropped) whose segments are decoded and re-encoded with
/// percent_encode_segment. `collection` may be a URL or a path.
[[nodiscard]] std::string normalize_href(std::string_view href, std::string_view collection);

/// The path of a URL or path, canonical as in normalize_href, with a trailing '/' (for
/// collections).
[[nodiscard]] std::string collection_path(std::string_view url_or_path);

/// The path where a server says where its CalDAV service is (RFC 6764 §5), without a slash.
inline constexpr std::string_view kWellKnownCaldav = "/.well-known/caldav";

/// True for the places discovery starts from: a server root and /.well-known/caldav (with or
/// without a trailing slash). Neither is ever a calendar, nor a place to create one.
[[nodiscard]] bool is_discovery_entry(std::string_view url_or_path);

/// The collection holding a resource: its href up to and including the last '/'.
[[nodiscard]] std::string parent_collection(std::string_view href);

}  // namespace plancal::caldav
