#pragma once
/// IANA time-zone names -> the Windows names Microsoft Graph accepts in dateTimeTimeZone.
///
/// Graph rejects most IANA names (TimeZoneNotSupportedException) but takes every Windows
/// zone. The mapping comes from ICU (CLDR's windowsZones table, kept current by Debian's
/// libicu), never from a hand-written list that would silently go stale.

#include <string>

#include "base/result.h"

namespace plancal::graph {

/// "Europe/Oslo" -> "W. Europe Standard Time"; an error naming the zone when ICU knows no
/// Windows equivalent.
[[nodiscard]] Result<std::string> windows_zone(const std::string& iana);

}  // namespace plancal::graph
