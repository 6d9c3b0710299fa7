#pragma once
/// The values attendance is kept in: what the store holds and the rules below it compute
/// with. Plain types without behaviour; the store (store/attendance_registers.h) reads and
/// writes them, the ledger, registers and make-up dates (this folder) read them.
///
/// A registration names its occurrence by UID as well as by date: the UID of a plan's
/// occurrence stays when the plan moves the meeting to another day, so a register follows
/// the meeting; the date is kept beside it as the leader saw it, for retention and reports.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "attendance/status.h"
#include "base/civil.h"

namespace plancal {

/// The longest note kept with a registration, from the web page, `attendance mark` or an
/// imported file alike: a line or two for a leader, not a document.
constexpr std::size_t kMaxAttendanceNoteBytes = 2000;

/// One person's registration for one occurrence.
struct AttendanceRecord {
  std::string plan_id;
  std::string uid;  ///< the occurrence
  std::string person_id;
  Date date;  ///< the occurrence's date when it was registered
  AttendanceStatus status = AttendanceStatus::Attended;
  std::string note;
  /// True when the person was not scheduled for this occurrence: extra staff
  /// ("ekstravakter"), or someone from another team making up a missed meeting.
  bool added = false;
  std::string registered_by;  ///< who made the latest change (`--by`, a leader's id)
  std::int64_t registered_at = 0;
  /// Grows by one with every change: a page sends back the version it showed, and a save
  /// against a newer one is refused as a conflict (store/attendance_registers.h).
  std::int64_t version = 0;
};

/// A leader's move of someone absent from their own date of a meeting (`from_uid`) to another
/// team's date of the same meeting (`to_uid`): publishing puts a copy of that date in the
/// person's own calendar (attendance/makeup.h), and its register expects them there.
struct MakeupMove {
  std::string plan_id;
  std::string person_id;
  std::string from_uid;
  Date from_date;
  std::string to_uid;
  Date to_date;
  std::string moved_by;  ///< the leader's id (or address, for an admin outside the roster)
  std::int64_t moved_at = 0;
};

/// One change to a registration, kept for good (until retention removes the register).
struct AttendanceAudit {
  std::int64_t id = 0;
  std::string plan_id;
  std::string uid;
  std::string person_id;
  Date date;
  std::optional<AttendanceStatus> old_status;  ///< nullopt: the registration was new
  std::optional<AttendanceStatus> new_status;  ///< nullopt: the registration was removed
  std::string old_note;
  std::string new_note;
  std::string changed_by;
  std::int64_t changed_at = 0;
  std::string source;  ///< "web", "cli", "import"
};

}  // namespace plancal
