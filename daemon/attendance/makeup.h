#pragma once
/// Make-up dates: someone registered absent ("fravær" or "gyldig fravær") from their own
/// date of a meeting, and not registered present at any other date of it, is offered the
/// other teams' dates of that meeting that are still ahead:
/// "Du kan ta igjen møte 4 med Team C mandag 25. mars". Coming to one is registered as an
/// added person at that date, and counts in the hours ledger.
///
/// A leader may move the person to one of those dates (a MakeupMove, attendance/records.h).
/// Publishing then adds a make-up copy of that date for the person alone (makeup_copies), so
/// their personal feed, their pushed calendar and their leader's reminders follow through
/// the paths every occurrence takes; the team's own event is untouched, and nothing about the
/// absence reaches anyone else's calendar.

#include <functional>
#include <map>
#include <string>
#include <string_view>
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
  bool moved_here = false;             ///< a leader has moved the person to this date
};

/// The options of `person` at `now` (wall-clock time in the plan's zone), by date.
/// `occurrences` is the plan's whole expansion.
[[nodiscard]] std::vector<MakeupOption> makeup_options(const Plan& plan,
                                                       const std::vector<Occurrence>& occurrences,
                                                       const std::vector<AttendanceRecord>& records,
                                                       const Person& person, LocalDateTime now);

/// The same, marking the options the person has been moved to (`moves` may hold anyone's).
[[nodiscard]] std::vector<MakeupOption> makeup_options(const Plan& plan,
                                                       const std::vector<Occurrence>& occurrences,
                                                       const std::vector<AttendanceRecord>& records,
                                                       const std::vector<MakeupMove>& moves,
                                                       const Person& person, LocalDateTime now);

/// Make-up options by person id.
using MakeupOptionsByPerson = std::map<std::string, std::vector<MakeupOption>, std::less<>>;

/// The options of every roster person with an absence in `records` (anyone's registrations
/// of the plan), for their own pages; people without options are left out.
[[nodiscard]] MakeupOptionsByPerson makeup_options_by_person(
    const Plan& plan, const std::vector<Occurrence>& occurrences,
    const std::vector<AttendanceRecord>& records, const std::vector<MakeupMove>& moves,
    LocalDateTime now);

/// "Du kan ta igjen møte 4 med Team C mandag 25. mars" (the year is left out: it is the
/// programme's year).
[[nodiscard]] std::string makeup_text_nb(const Plan& plan, const Occurrence& option);

/// "Flyttet til møte 4 med Team C mandag 25. mars": an option the person was moved to.
[[nodiscard]] std::string moved_text_nb(const Plan& plan, const Occurrence& option);

/// The make-up copies of `plan`'s moves: for each move whose person is on the roster and
/// whose date is among `occurrences`, that date with the person's make-up audience, UID
/// "<the date's UID stem>.makeup-<person>@plancal" and `makeup_of` set. A cancelled date
/// gives a cancelled copy; a date gone from the plan gives none, so the copy leaves the
/// person's calendar with it.
[[nodiscard]] std::vector<Occurrence> makeup_copies(const Plan& plan,
                                                    const std::vector<Occurrence>& occurrences,
                                                    const std::vector<MakeupMove>& moves);

/// Appends makeup_copies() to `occurrences`: what publishing and sync both add to a plan
/// file's expansion, so the person's feed and pushed calendars agree.
void append_makeup_copies(const Plan& plan, std::vector<Occurrence>& occurrences,
                          const std::vector<MakeupMove>& moves);

/// The id of the person a make-up copy is for (from its audience "makeup:ID").
[[nodiscard]] std::string moved_person(const Occurrence& copy);

/// The move of `person_id` into the date `uid`, or nullptr.
[[nodiscard]] const MakeupMove* move_into(const std::vector<MakeupMove>& moves,
                                          std::string_view person_id, std::string_view uid);

}  // namespace plancal
