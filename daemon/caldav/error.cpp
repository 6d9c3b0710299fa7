#include "caldav/error.h"

#include "caldav/href.h"
#include "caldav/multistatus.h"

namespace plancal::caldav {

const char* failure_name(Failure failure) {
  switch (failure) {
    case Failure::PreconditionFailed:
      return "precondition failed";
    case Failure::NotFound:
      return "not found";
    case Failure::Unauthorized:
      return "unauthorized";
    case Failure::Forbidden:
      return "forbidden";
    case Failure::InsufficientStorage:
      return "insufficient storage";
    case Failure::UidConflict:
      return "UID conflict";
    case Failure::UidInOtherCalendar:
      return "refused: unique-scheduling-object-resource";
    case Failure::InvalidCalendarData:
      return "invalid calendar data";
    case Failure::UnsupportedComponent:
      return "unsupported calendar component";
    case Failure::ResourceTooLarge:
      return "resource too large";
    case Failure::InvalidSyncToken:
      return "invalid sync token";
    case Failure::ServerError:
      return "server error";
    case Failure::Transport:
      return "no answer";
    case Failure::Protocol:
      return "unusable answer";
    case Failure::Other:
      return "unexpected answer";
  }
  return "unknown";
}

}  // namespace plancal::caldav

namespace plancal::caldav {

namespace {

struct ConditionMapping {
  std::string_view ns;
  std::string_view name;
  Failure failure;
};

constexpr ConditionMapping kConditions[] = {
    {xml::kCalDav, "no-uid-conflict", Failure::UidConflict},
    {xml::kCalDav, "unique-scheduling-object-resource", Failure::UidInOtherCalendar},
    {xml::kCalDav, "valid-calendar-data", Failure::InvalidCalendarData},
    {xml::kCalDav, "valid-calendar-object-resource", Failure::InvalidCalendarData},
    {xml::kCalDav, "supported-calendar-data", Failure::InvalidCalendarData},
    {xml::kCalDav, "calendar-collection-location-ok", Failure::Forbidden},
    {xml::kCalDav, "supported-calendar-component", Failure::UnsupportedComponent},
    {xml::kCalDav, "max-resource-size", Failure::ResourceTooLarge},
    {xml::kDav, "valid-sync-token", Failure::InvalidSyncToken},
};

Failure failure_for_status(int status) {
  switch (status) {
    case 401:
      return Failure::Unauthorized;
    case 403:
      return Failure::Forbidden;
    case 404:
    case 410:
      return Failure::NotFound;
    case 412:
      return Failure::PreconditionFailed;
    case 413:
      return Failure::ResourceTooLarge;
    case 507:
      return Failure::InsufficientStorage;
    default:
      return status >= 500 ? Failure::ServerError : Failure::Other;
  }
}

}  // namespace

namespace {

/// unique-scheduling-object-resource: the account holds the UID at `error.href`. Inside the
/// calendar written to, that is a no-uid-conflict by another name (Cyrus uses this one for
/// both); in another calendar, the event cannot go into this one at all.
DavError scheduling_uid_conflict(DavError error, std::string_view what,
                                 std::string_view request_url) {
  const std::string calendar = parent_collection(normalize_href(request_url, request_url));
  if (!error.href.empty() && parent_collection(error.href) == calendar) {
    error.kind = Failure::UidConflict;
    error.message = std::string(what) + ": HTTP " + std::to_string(error.status) +
                    " (UID conflict, unique-scheduling-object-resource: " + error.href + ")";
    return error;
  }
  error.message = std::string(what) + ": HTTP " + std::to_string(error.status) + " (" +
                  failure_name(error.kind) + "): the account already holds this UID " +
                  (error.href.empty() ? "in another calendar" : "at " + error.href);
  return error;
}

DavError error_from(int status, const std::vector<Condition>& conditions, std::string_view what,
                    std::string_view request_url) {
  DavError error;
  error.status = status;
  error.kind = failure_for_status(status);
  std::string condition_text;
  for (const auto& condition : conditions) {
    for (const auto& mapping : kConditions) {
      if (!condition.is(mapping.ns, mapping.name)) continue;
      error.kind = mapping.failure;
      condition_text = condition.name;
      if (!condition.href.empty()) error.href = normalize_href(condition.href, request_url);
    }
  }
  if (error.kind == Failure::UidInOtherCalendar)
    return scheduling_uid_conflict(std::move(error), what, request_url);
  error.message = std::string(what) + ": HTTP " + std::to_string(status) + " (" +
                  failure_name(error.kind) + (condition_text.empty() ? "" : ", " + condition_text) +
                  ")";
  return error;
}

}  // namespace

DavError error_from_response(const http::HttpResponse& response, std::string_view what,
                             std::string_view request_url) {
  return error_from(response.status, parse_error_body(response.body), what, request_url);
}

std::optional<DavError> error_in_multistatus(const http::HttpResponse& response,
                                             std::string_view what, std::string_view request_url) {
  if (response.status != 207) return std::nullopt;
  auto parsed = parse_multistatus(response.body);
  if (!parsed) return std::nullopt;
  for (const auto& entry : parsed->responses) {
    if (entry.status < 300) continue;
    return error_from(entry.status,
                      entry.error ? conditions_of(*entry.error) : std::vector<Condition>{}, what,
                      request_url);
  }
  return std::nullopt;
}

DavError transport_error(const Error& error) {
  return DavError{Failure::Transport, 0, error.message, {}};
}

}  // namespace plancal::caldav
