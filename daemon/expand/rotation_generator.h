#pragma once
/// Proposes dates for a rotation (`plancal rotate`): every meeting is held once per team on
/// consecutive eligible weekdays, the team order shifts by one from meeting to meeting so
/// no team is always first, and public holidays and blackout ranges are skipped.

#include <string>
#include <vector>

#include "base/civil.h"
#include "plan/model.h"

namespace plancal {

struct RotationRule {
  Weekday weekday = Weekday::Monday;
  Date from;                        ///< the first candidate date (moved to `weekday` if needed)
  std::vector<std::string> teams;   ///< e.g. {"A", "B", "C"}
  int meetings = 0;                 ///< how many numbered meetings
  std::vector<Blackout> blackouts;  ///< ranges without meetings (summer, Christmas)
  bool skip_holidays = true;
};

struct ProposedDate {
  std::string team;
  Date date;
};

struct ProposedMeeting {
  int number = 0;
  std::vector<ProposedDate> dates;  ///< in date order
};

[[nodiscard]] std::vector<ProposedMeeting> propose_rotation(const RotationRule& rule);

}  // namespace plancal
