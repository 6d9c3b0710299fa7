#pragma once
/// Registers a leader still owes: seed 000 makes keeping them a duty ("Avdelingsledere skal
/// føre oversikt over når eget personale deltar"), and a register left open for a day is one
/// the leader may have forgotten. The reminder job (service/reminders.h) mails each leader
/// once per such day; this is the pure part, tested with plain values.

#include <optional>
#include <string>
#include <vector>

#include "attendance/records.h"
#include "base/civil.h"
#include "expand/occurrence.h"
#include "plan/model.h"

namespace plancal {

/// One leader's register for one day whose registered meetings have all ended, in which some
/// of the leader's people (those reporting to them, and the leader) scheduled for them have
/// nothing registered.
struct RegisterGap {
  const Person* leader = nullptr;
  Date date;
  LocalDateTime ended;            ///< when the last of the day's meetings ended
  std::vector<std::string> uids;  ///< the day's registered meetings, by start
  int scheduled = 0;              ///< registrations the day asks for
  int missing = 0;                ///< of those, how many are not there
};

/// Every gap of `plan` at `now` (wall-clock time in the plan's zone), by leader and date.
/// `occurrences` are the plan's active occurrences; `records` its registrations (other
/// plans' are left out). A day with a meeting still to end has no gap yet. Someone moved to
/// another team's date (a make-up copy among `occurrences`) is expected at that date.
[[nodiscard]] std::vector<RegisterGap> register_gaps(
    const Plan& plan, const std::vector<const Occurrence*>& occurrences,
    const std::vector<AttendanceRecord>& records, LocalDateTime now);

}  // namespace plancal
