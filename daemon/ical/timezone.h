#pragma once
/// Wall-clock time <-> absolute time through libical's time-zone database, so results do not
/// depend on the server's own zone (TZ) and are right across daylight-saving changes.

#include <cstdint>
#include <string>

#include "base/civil.h"
#include "base/result.h"

namespace plancal {

/// True when libical knows the IANA zone (e.g. "Europe/Oslo").
[[nodiscard]] bool is_known_timezone(const std::string& tzid);

/// Offset from UTC in seconds of `local` in `tzid` (3600 for CET, 7200 for CEST).
[[nodiscard]] Result<int> utc_offset_seconds(const std::string& tzid, LocalDateTime local);

/// Seconds since the Unix epoch of `local` in `tzid`.
[[nodiscard]] Result<std::int64_t> to_unix_seconds(const std::string& tzid, LocalDateTime local);

/// The instant the day after `last_day` begins in `tzid`: when something open "until
/// `last_day`" closes (a sign-up's registration_deadline is its last day).
[[nodiscard]] Result<std::int64_t> end_of_day(const std::string& tzid, Date last_day);

/// The wall-clock time in `tzid` at `unix_seconds` (right across daylight-saving changes);
/// UTC's wall clock when the zone is unknown.
[[nodiscard]] LocalDateTime local_time_at(const std::string& tzid, std::int64_t unix_seconds);

/// "2024-03-25T09:00:00+01:00".
[[nodiscard]] Result<std::string> iso8601_with_offset(const std::string& tzid, LocalDateTime local);

}  // namespace plancal
