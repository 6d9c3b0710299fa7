#pragma once
/// EventRevision: what a subscriber's calendar has been told about one occurrence so far.
///
/// The state store keeps it and the iCalendar renderer prints it; it lives beside Occurrence
/// so that neither of those two has to include the other.

#include <cstdint>

namespace plancal {

/// What the state store knows about an event's history. A plain export uses sequence 0 and
/// the current time; feeds use what the store recorded, so unchanged events render
/// byte-identically.
struct EventRevision {
  int sequence = 0;
  std::int64_t dtstamp = 0;        ///< Unix seconds (UTC)
  std::int64_t last_modified = 0;  ///< Unix seconds (UTC); 0 = omit LAST-MODIFIED
  bool cancelled = false;          ///< STATUS:CANCELLED and summary prefixed "AVLYST: "
};

}  // namespace plancal
