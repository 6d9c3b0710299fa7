#pragma once
/// The payroll report of the registers ("rapport om utført arbeid"): one row per registration
/// with date, person, meeting, hours and status, typed for a workbook (hours as numbers, dates
/// as dates) and as CSV. One definition for `plancal attendance export` and the leaders'
/// download on the web, so the two never disagree on a column.

#include <functional>
#include <string>
#include <vector>

#include "attendance/records.h"
#include "expand/occurrence.h"
#include "plan/model.h"
#include "xlsx/workbook.h"

namespace plancal {

/// Where a report finds a registration's plan and meeting; either may answer nullptr (a plan
/// or meeting gone since: the row then keeps the stored UID and no hours).
struct ReportLookup {
  std::function<const Plan*(const std::string& plan_id)> plan;
  std::function<const Occurrence*(const std::string& plan_id, const std::string& uid)> occurrence;
};

/// The columns: date, person, name, plan, meeting, group, meeting_hours, hours, status,
/// status_code, note, added, registered_by, registered_at.
[[nodiscard]] const std::vector<std::string>& attendance_report_columns();

/// One registration's row: `hours` is what it credits (the meeting's length when attended).
[[nodiscard]] std::vector<xlsx::Cell> attendance_report_row(const ReportLookup& lookup,
                                                            const AttendanceRecord& record);

/// The "Oppmøte" sheet of `records`, in their order.
[[nodiscard]] xlsx::Sheet attendance_report_sheet(const ReportLookup& lookup,
                                                  const std::vector<AttendanceRecord>& records);

/// Sheets as CSV (CRLF), one after another with an empty line between: hours as the ledger
/// writes them ("3", "3.5"), dates ISO.
[[nodiscard]] std::string report_csv(const std::vector<xlsx::Sheet>& sheets);

/// Unix seconds as "2024-03-18T13:05:00Z".
[[nodiscard]] std::string utc_timestamp_text(std::int64_t unix_seconds);

}  // namespace plancal
