#include "sync/write_outcome.h"

#include "http/retry.h"

namespace plancal::sync {

namespace {

Outcome taken(OperationKind kind) {
  return kind == OperationKind::Create ? Outcome::Exists : Outcome::Conflict;
}

Outcome outcome_of_status(OperationKind kind, int status) {
  if (status >= 200 && status < 300) return Outcome::Done;
  if (status == 0 || http::is_retryable_status(status)) return Outcome::Failed;
  switch (status) {
    case 401:
    case 403:
      return Outcome::Unauthorized;
    case 404:
    case 410:
      return Outcome::NotFound;
    case 412:
      return taken(kind);
    case 507:  // quota: this event is too much, a smaller one may still fit
      return Outcome::Rejected;
    default:
      return status >= 500 ? Outcome::Failed : Outcome::Rejected;
  }
}

}  // namespace

Outcome write_outcome(OperationKind kind, int status, Refusal refusal) {
  switch (refusal) {
    case Refusal::Exists:
      return taken(kind);
    case Refusal::Event:
      return Outcome::Rejected;
    case Refusal::Access:
      return Outcome::Unauthorized;
    case Refusal::None:
      break;
  }
  return outcome_of_status(kind, status);
}

}  // namespace plancal::sync
