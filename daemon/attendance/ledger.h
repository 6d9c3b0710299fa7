#pragma once
/// The hours ledger: per person, programme and year, how the hours stand against the
/// programme's attendance rule (seed 000: 33 hours a year in the Monday meetings).
///
/// Every figure is in minutes and counts each occurrence by its real length (meeting 6 of
/// seed 000 is 4 hours, the others 3):
///  - planned: the meetings the person is scheduled for (their team, role or person);
///  - attended: meetings registered "møtt" or "møtt for sent", their own or any other
///    (a make-up date, a meeting they came to as extra staff);
///  - excused / absent: their scheduled meetings registered "gyldig fravær" / "fravær";
///  - unregistered: scheduled meetings that have ended with nothing registered;
///  - upcoming: scheduled meetings that have not ended yet.
/// Whether the rule can still be met: attended hours, plus for every meeting not yet
/// attended the longest date of it that could still count — the person's own date if it is
/// ahead or not registered yet, else another team's date still ahead (a make-up date) —
/// reach the rule. Late arrivals count their meeting's full length: the register knows that
/// they came late, not when.

#include <optional>
#include <string>
#include <vector>

#include "attendance/records.h"
#include "base/civil.h"
#include "expand/occurrence.h"
#include "plan/model.h"

namespace plancal {

struct HoursLine {
  const Person* person = nullptr;
  std::string plan_id;
  std::string programme_key;    ///< the rotation, series or weekly slot with the rule
  std::string programme_title;  ///< its title
  int year = 0;
  int required_minutes = 0;           ///< the rule's programme_hours
  std::optional<int> yearly_minutes;  ///< the rule's yearly_hours, when stated
  int planned_minutes = 0;
  int attended_minutes = 0;
  int excused_minutes = 0;
  int absent_minutes = 0;
  int unregistered_minutes = 0;
  int upcoming_minutes = 0;
  int reachable_minutes = 0;  ///< attended + what may still count (see above)

  [[nodiscard]] bool met() const { return attended_minutes >= required_minutes; }
  [[nodiscard]] bool can_still_meet() const { return reachable_minutes >= required_minutes; }
};

/// One line per person in `people` and programme of `plan` with a rule, for `year`, at
/// `now` (wall-clock time in the plan's zone). `occurrences` is the plan's whole expansion;
/// `records` may hold other plans' registrations too (they are left out).
/// Costs one pass over the year's meetings per person.
[[nodiscard]] std::vector<HoursLine> hours_ledger(const Plan& plan,
                                                  const std::vector<Occurrence>& occurrences,
                                                  const std::vector<AttendanceRecord>& records,
                                                  const std::vector<const Person*>& people,
                                                  int year, LocalDateTime now);

}  // namespace plancal
