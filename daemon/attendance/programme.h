#pragma once
/// Which occurrences attendance is kept for, and the facts about one occurrence that the
/// ledger, registers and make-up dates share: its real duration, which "meeting" it is an
/// instance of, and how a person reads it ("møte 4", "Team C").
///
/// Attendance is kept for the programmes that state an `attendance:` rule (plan/model.h);
/// a weekly supervision hour without one never asks a leader for a register.

#include <string>
#include <string_view>
#include <vector>

#include "expand/occurrence.h"
#include "plan/model.h"

namespace plancal {

/// The rule of the programme (rotation, series or weekly slot) with this key, or nullptr.
[[nodiscard]] const AttendanceRule* attendance_rule_for(const Plan& plan,
                                                        std::string_view component_key);

/// Whether the leader with id `leader_id` keeps `person`'s attendance: their own, and that of
/// everyone reporting to them (seed 000: "når eget personale deltar (inkludert seg selv …)").
[[nodiscard]] bool in_leaders_register(const Person& person, std::string_view leader_id);

/// Whether `person` is scheduled for `occurrence`: their own team, role or person audience.
[[nodiscard]] bool is_scheduled(const Person& person, const Occurrence& occurrence);

/// A confirmed, timed meeting of a programme with a rule: something a register is kept for.
/// Never a make-up copy: the person moved is registered at the date the copy shows.
[[nodiscard]] bool is_registered_meeting(const Plan& plan, const Occurrence& occurrence);

/// Wall-clock minutes from start to end: 180 for 09:00-12:00, 240 for meeting 6's 09:00-13:00.
[[nodiscard]] int duration_minutes(const Occurrence& occurrence);

/// What occurrences of "the same meeting" share, so another of them can make up for one
/// missed: a rotation meeting's number (held once per team), a series session's index
/// (held once per row), or the occurrence itself (a weekly slot).
[[nodiscard]] std::string meeting_identity(const Plan& plan, const Occurrence& occurrence);

/// "møte 4" for rotation meeting 4, "møte 2" for a series' second session; the summary
/// otherwise.
[[nodiscard]] std::string meeting_label_nb(const Plan& plan, const Occurrence& occurrence);

/// Whose occurrence it is, as people say it: "Team C" (a rotation's team), the row's name
/// (a series), or empty.
[[nodiscard]] std::string occurrence_group_name(const Plan& plan, const Occurrence& occurrence);

/// Minutes as hours the way Norwegians write them: "33", "3,5", "0,25".
[[nodiscard]] std::string hours_text_nb(int minutes);

/// Minutes as decimal hours for files read by programs (CSV, reports): "33", "3.5".
[[nodiscard]] std::string hours_decimal(int minutes);

}  // namespace plancal
