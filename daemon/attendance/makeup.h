#pragma once
/// Make-up dates: someone registered absent ("fravær" or "gyldig fravær") from their own
/// date of a meeting, and not registered present at any other date of it, is offered the
/// other teams' dates of that meeting that are still ahead:
/// "Du kan ta igjen møte 4 med Team C mandag 25. mars". Coming to one is registered as an
/// added person at that date, and counts in the hours ledger.

#include <string>
#include <vector>

#include "attendance/records.h"
#include "base/civil.h"
#include "expand/occurrence.h"
#include "plan/model.h"

namespace plancal {

struct MakeupOption {
  const Occurrence* missed = nullptr;  ///< the person's own date they were absent from
  const Occurrence* option = nullptr;  ///< another team's date of the same meeting, ahead
  std::string text;                    ///< "Du kan ta igjen møte 4 med Team C mandag 25. mars"
};

/// The options of `person` at `now` (wall-clock time in the plan's zone), by date.
/// `occurrences` is the plan's whole expansion.
[[nodiscard]] std::vector<MakeupOption> makeup_options(const Plan& plan,
                                                       const std::vector<Occurrence>& occurrences,
                                                       const std::vector<AttendanceRecord>& records,
                                                       const Person& person, LocalDateTime now);

/// "Du kan ta igjen møte 4 med Team C mandag 25. mars" (the year is left out: it is the
/// programme's year).
[[nodiscard]] std::string makeup_text_nb(const Plan& plan, const Occurrence& option);

}  // namespace plancal
