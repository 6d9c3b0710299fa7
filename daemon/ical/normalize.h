#pragma once
/// A hash of what an event *says*, not how it is written.
///
/// CalDAV servers may rewrite what they store (RFC 4791 §5.3.4): reorder properties, refold
/// lines, add their own properties, change DTSTAMP, drop PRODID or the VTIMEZONE. Comparing
/// raw bytes would make plancal rewrite such an event on every sync, or report an edit nobody
/// made. The normalised form keeps only the properties plancal itself writes (and the
/// VALARMs' action, trigger and text), each as name, sorted parameters and value, sorted;
/// stamps (DTSTAMP, LAST-MODIFIED, CREATED, SEQUENCE), PRODID, VTIMEZONE and anything a
/// server adds are left out.

#include <optional>
#include <string>
#include <string_view>

namespace plancal::ical {

/// SHA-256 (hex) of the normalised first VEVENT of `ics`; nullopt when the text holds no
/// parseable VEVENT.
[[nodiscard]] std::optional<std::string> normalized_event_hash(std::string_view ics);

/// The normalised text itself (one line per property), for tests and debugging.
[[nodiscard]] std::optional<std::string> normalized_event_text(std::string_view ics);

/// The UID of the first VEVENT of `ics`; "" when there is none.
[[nodiscard]] std::string event_uid(std::string_view ics);

/// The SEQUENCE of the first VEVENT of `ics`; nullopt when it has none (or there is none).
[[nodiscard]] std::optional<int> event_sequence(std::string_view ics);

}  // namespace plancal::ical
