#pragma once
/// Attendance registers: who came to which occurrence, and every change ever made to that
/// (the audit trail). Attendance is personal data: nothing here is logged, and registers
/// older than the config's retention are deleted whenever registers are written.
///
/// One row per plan, occurrence (UID) and person, so the same registration written twice,
/// by an import run again after a crash or by two leaders at once, is one row and never
/// two. Every write runs in one transaction with its audit rows: a batch (a CSV import) is
/// kept whole or not at all. Two writers at once: both changes are kept in the audit trail
/// and the later one is the register's state, unless the writer says which version it saw
/// (`expected_version`), in which case a save against a newer version is refused.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "attendance/records.h"
#include "base/civil.h"
#include "base/result.h"
#include "store/database.h"

namespace plancal {

/// One registration to write.
struct AttendanceChange {
  AttendanceRecord record;  ///< registered_by / registered_at say who and when
  /// The version the writer saw (0: there was none); nullopt: write whatever is there.
  std::optional<std::int64_t> expected_version;
  std::string source;  ///< "cli", "import", "web": kept in the audit trail
};

/// What a write did.
struct AttendanceWriteSummary {
  int created = 0;
  int changed = 0;
  int unchanged = 0;  ///< the same status and note were there already: no audit row
  int expired = 0;    ///< registers deleted by retention
};

/// What to read; empty fields match everything.
struct AttendanceFilter {
  std::string plan_id;
  std::string person_id;
  std::optional<int> year;
};

class AttendanceRegisters {
 public:
  explicit AttendanceRegisters(StateDatabase database) : database_(std::move(database)) {}

  /// Writes `changes` in one transaction, then deletes registers (and their audit rows) of
  /// occurrences before `keep_from` (retention). Nothing is written when any change fails or
  /// meets a newer version than it expected: the error names the registration.
  [[nodiscard]] Result<AttendanceWriteSummary> write(const std::vector<AttendanceChange>& changes,
                                                     Date keep_from);

  /// The registrations matching `filter`, by date, plan, occurrence and person.
  [[nodiscard]] Result<std::vector<AttendanceRecord>> records(const AttendanceFilter& filter);

  /// The registrations in `plan_id` of everyone registered absent there (with or without a
  /// valid reason) at least once: what make-up dates are judged from, without reading every
  /// register of the year.
  [[nodiscard]] Result<std::vector<AttendanceRecord>> records_of_absent_people(
      const std::string& plan_id);

  /// The id of the newest audit row (0 when there is none): it grows with every change that
  /// is kept, so a reader tells from one indexed lookup whether the registers changed.
  [[nodiscard]] Result<std::int64_t> last_change_id();

  /// The audit trail matching `filter`, oldest first.
  [[nodiscard]] Result<std::vector<AttendanceAudit>> audit(const AttendanceFilter& filter);

 private:
  StateDatabase database_;
};

}  // namespace plancal
