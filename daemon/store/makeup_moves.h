#pragma once
/// Make-up moves (attendance/records.h MakeupMove): which absent person a leader moved to
/// another team's date of a meeting. One row per plan, person and missed date, so moving the
/// person again replaces the move, and undoing it removes the row. Publishing reads them to
/// give each person a copy of their new date (service/publish.h); the register of that date
/// expects them. A move is personal data like a register: nothing here logs a value, and
/// retention deletes a move with the registers of the date that was missed.

#include <string>
#include <vector>

#include "attendance/records.h"
#include "base/civil.h"
#include "base/result.h"
#include "store/database.h"

namespace plancal {

class MakeupMoves {
 public:
  explicit MakeupMoves(StateDatabase database) : database_(std::move(database)) {}

  /// Stores `move`, replacing the person's earlier move from the same date, then deletes the
  /// moves from dates before `keep_from` (retention).
  [[nodiscard]] Status put(const MakeupMove& move, Date keep_from);

  /// Removes the person's move from the date `from_uid`; removing none is no error.
  [[nodiscard]] Status remove(const std::string& plan_id, const std::string& person_id,
                              const std::string& from_uid);

  /// Every move of `plan_id` (every plan's when empty), by plan, person and missed date.
  [[nodiscard]] Result<std::vector<MakeupMove>> list(const std::string& plan_id = "");

  /// The moves of one person, for `attendance export --person` (everything stored about them).
  [[nodiscard]] Result<std::vector<MakeupMove>> of_person(const std::string& person_id);

 private:
  StateDatabase database_;
};

}  // namespace plancal
