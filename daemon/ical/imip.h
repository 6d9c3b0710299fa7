#pragma once
/// One meeting as an iMIP message body (RFC 6047, iTIP RFC 5546): a VCALENDAR with METHOD
/// REQUEST or CANCEL, the zone's VTIMEZONE and exactly one VEVENT with the occurrence's stable
/// UID, the SEQUENCE given, the sending address as ORGANIZER and the recipient as ATTENDEE.
/// One meeting per message, since several clients handle a request with many events badly.

#include <cstdint>
#include <string>

#include "expand/occurrence.h"

namespace plancal::ical {

struct ImipParty {
  std::string name;     ///< CN, may be empty
  std::string address;  ///< "kurs@example.no" (written as mailto:)
};

struct ImipMessage {
  bool cancel = false;  ///< METHOD:CANCEL and STATUS:CANCELLED; else METHOD:REQUEST
  const Occurrence* meeting = nullptr;
  int sequence = 0;
  std::int64_t dtstamp = 0;  ///< Unix seconds: when the message was made
  ImipParty organizer;
  ImipParty attendee;
};

/// The calendar text, folded, CRLF line ends.
[[nodiscard]] std::string render_imip(const ImipMessage& message);

}  // namespace plancal::ical
