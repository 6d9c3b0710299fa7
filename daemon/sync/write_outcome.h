#pragma once
/// The one classification of an answer to a write, for every adapter: HTTP status (and what
/// the protocol's error body adds) -> the engine's Outcome. CalDAV (caldav_calendar.cpp) and
/// Graph (graph_calendar.cpp) read their protocol's body into a Refusal and leave the rest
/// to write_outcome(), so the two cannot drift apart on what, say, a 404 during a delete or
/// a 429 after the retries means.
///
/// | answer                                   | outcome                                     |
/// |------------------------------------------|---------------------------------------------|
/// | 2xx                                      | Done                                        |
/// | no answer (status 0), "try again later"  | Failed: tried again next sync               |
/// |   (http::is_retryable_status), other 5xx |                                             |
/// | 401, 403, Refusal::Access                | Unauthorized: the target stops              |
/// | 404, 410                                 | NotFound (a delete: already gone)           |
/// | 412, Refusal::Exists                     | create: Exists; update, delete: Conflict    |
/// | 507, other 4xx, Refusal::Event           | Rejected: this event is reported, run goes on|
///
/// A Refusal, when the body names one, wins over the status: a 403 with CALDAV:valid-
/// calendar-data is about one event, not about the account's rights.

#include "sync/remote_calendar.h"

namespace plancal::sync {

/// What an error body says beyond its status.
enum class Refusal {
  None,    ///< nothing: the status decides
  Exists,  ///< the UID or version is taken (CALDAV:no-uid-conflict, Graph's 409)
  Event,   ///< this one event is refused: its data, size or kind, or a server rule about it
  Access,  ///< the account may not write here
};

[[nodiscard]] Outcome write_outcome(OperationKind kind, int status,
                                    Refusal refusal = Refusal::None);

}  // namespace plancal::sync
