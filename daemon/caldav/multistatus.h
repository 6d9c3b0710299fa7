#pragma once
/// WebDAV multistatus (RFC 4918 §13) and error bodies (§16), as value types.
///
/// Every PROPFIND and REPORT answer is a 207 multistatus: per resource either one status
/// (sync-collection uses 404 for removed members, and 507 on the collection itself for a
/// truncated answer, RFC 6578 §3.6) or properties grouped by status (propstat). Failed writes
/// explain themselves in a DAV:error body naming a precondition (RFC 4791 §5.3.2.1).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "caldav/xml.h"

namespace plancal::caldav {

struct PropStat {
  int status = 0;
  std::vector<xml::Node> props;  ///< the children of DAV:prop
};

struct MultistatusResponse {
  std::string href;  ///< as the server wrote it (not yet normalised)
  int status = 0;    ///< the response-level status; 0 when the propstat form is used
  std::vector<PropStat> propstats;
  std::optional<xml::Node> error;  ///< DAV:error, when the server explains a status

  /// A property reported with a 2xx status, or nullptr (absent, or 404 for "not defined").
  [[nodiscard]] const xml::Node* found_prop(std::string_view ns, std::string_view local) const;
  /// The trimmed text of a found property; empty when not found.
  [[nodiscard]] std::string prop_text(std::string_view ns, std::string_view local) const;
};

struct Multistatus {
  std::vector<MultistatusResponse> responses;  ///< one per href
  std::string sync_token;                      ///< DAV:sync-token (sync-collection only)
};

/// "HTTP/1.1 404 Not Found" -> 404; 0 when malformed.
[[nodiscard]] int parse_status_line(std::string_view line);

/// Parses a DAV:multistatus document; an Error when it is malformed or has another root.
[[nodiscard]] Result<Multistatus> parse_multistatus(std::string_view body);

/// A precondition or postcondition named in a DAV:error body.
struct Condition {
  std::string ns;
  std::string name;  ///< e.g. "no-uid-conflict", "valid-sync-token"
  std::string href;  ///< the DAV:href inside it (no-uid-conflict names the existing resource)

  [[nodiscard]] bool is(std::string_view ns_uri, std::string_view local) const {
    return ns == ns_uri && name == local;
  }
};

/// The conditions of a DAV:error element.
[[nodiscard]] std::vector<Condition> conditions_of(const xml::Node& error);
/// The conditions in an error response body; empty when the body is not a DAV:error document
/// (servers also answer with HTML or plain text).
[[nodiscard]] std::vector<Condition> parse_error_body(std::string_view body);

}  // namespace plancal::caldav
