#pragma once
/// Typed CalDAV failures, so the reconcile engine can act on what went wrong (adopt an
/// existing event on a UID conflict, restore one deleted remotely, stop a target on 401,
/// report one oversized event and go on) without parsing messages.

#include <optional>
#include <string>
#include <utility>

#include "base/result.h"
#include "http/client.h"

namespace plancal::caldav {

enum class Failure {
  PreconditionFailed,   ///< 412: If-Match / If-None-Match did not hold
  NotFound,             ///< 404 (or 410)
  Unauthorized,         ///< 401: credentials rejected — stop the target
  Forbidden,            ///< 403 without a more specific condition — stop the target
  InsufficientStorage,  ///< 507: quota
  UidConflict,          ///< CALDAV:no-uid-conflict; `href` names the resource holding the UID
  /// CALDAV:unique-scheduling-object-resource (RFC 6638 §3.2.4.1) naming a resource in
  /// another calendar of the account (`href`): the server keeps one copy of a UID per
  /// account (Cyrus, Fastmail), so this event is refused here. Naming a resource in the
  /// same calendar, the condition is a UidConflict.
  UidInOtherCalendar,
  InvalidCalendarData,   ///< CALDAV:valid-calendar-data / valid-calendar-object-resource
  UnsupportedComponent,  ///< CALDAV:supported-calendar-component
  ResourceTooLarge,      ///< CALDAV:max-resource-size (or 413)
  InvalidSyncToken,      ///< DAV:valid-sync-token: fall back to a full listing
  ServerError,           ///< another 5xx, after retries
  Transport,             ///< no answer: connection, timeout, TLS
  Protocol,              ///< an answer we cannot use (malformed XML, missing parts)
  Other,                 ///< another unexpected status
};

[[nodiscard]] const char* failure_name(Failure failure);

struct DavError {
  Failure kind = Failure::Other;
  int status = 0;       ///< HTTP status, 0 when there was no answer
  std::string message;  ///< for people: method, redacted URL, status, condition
  std::string href;     ///< UidConflict, UidInOtherCalendar: the resource holding the UID

  /// Whether the rest of the target's work is pointless (credentials or permissions).
  [[nodiscard]] bool stops_target() const {
    return kind == Failure::Unauthorized || kind == Failure::Forbidden;
  }
};

/// A value or the DavError that says why there is none.
template <class T>
using DavResult = Result<T, DavError>;

using DavStatus = DavResult<Ok>;

/// The DavError for an answer that is not a success: a WebDAV/CalDAV condition named in a
/// DAV:error body wins over the bare status (a 403 with valid-calendar-data is about one
/// event, not about permissions). `what` is "METHOD redacted-url", for the message;
/// `request_url` resolves the href in a no-uid-conflict.
[[nodiscard]] DavError error_from_response(const http::HttpResponse& response,
                                           std::string_view what, std::string_view request_url);

/// The failure a 207 Multi-Status answer to a single-resource request carries (Xandikos
/// answers a PUT that way: 207 holding a 412 with no-uid-conflict); nullopt when none.
[[nodiscard]] std::optional<DavError> error_in_multistatus(const http::HttpResponse& response,
                                                           std::string_view what,
                                                           std::string_view request_url);

/// A DavError of kind Transport for an HttpClient error.
[[nodiscard]] DavError transport_error(const Error& error);

}  // namespace plancal::caldav
