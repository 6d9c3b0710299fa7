#include "attendance/report.h"

#include <fmt/format.h>

#include <cmath>

#include "attendance/programme.h"
#include "attendance/status.h"
#include "expand/audience.h"
#include "plan/csv.h"

namespace plancal {

namespace {

using xlsx::Cell;

std::vector<std::string> report_texts(const std::vector<Cell>& row) {
  std::vector<std::string> fields;
  for (const Cell& cell : row) {
    switch (cell.kind) {
      case Cell::Kind::Text:
        fields.push_back(cell.text);
        break;
      case Cell::Kind::Number:
        fields.push_back(hours_decimal(static_cast<int>(std::lround(cell.number * 60))));
        break;
      case Cell::Kind::Date:
        fields.push_back(format_date(cell.date));
        break;
    }
  }
  return fields;
}

}  // namespace

const std::vector<std::string>& attendance_report_columns() {
  static const std::vector<std::string> kColumns = {
      "date",  "person", "name",        "plan", "meeting", "group",         "meeting_hours",
      "hours", "status", "status_code", "note", "added",   "registered_by", "registered_at"};
  return kColumns;
}

std::string utc_timestamp_text(std::int64_t unix_seconds) {
  const UtcDateTime utc = utc_date_time(unix_seconds);
  return fmt::format("{}T{:02}:{:02}:{:02}Z", format_date(utc.date), utc.hour, utc.minute,
                     utc.second);
}

std::vector<Cell> attendance_report_row(const ReportLookup& lookup, const AttendanceRecord& r) {
  const Plan* plan = lookup.plan ? lookup.plan(r.plan_id) : nullptr;
  const Occurrence* o =
      plan != nullptr && lookup.occurrence ? lookup.occurrence(r.plan_id, r.uid) : nullptr;
  const Person* person = plan == nullptr ? nullptr : find_person(*plan, r.person_id);
  const double hours = o == nullptr ? 0 : duration_minutes(*o) / 60.0;
  const bool credited = counts_as_present(r.status) && o != nullptr;
  return {Cell::of_date(r.date),
          Cell::of_text(r.person_id),
          Cell::of_text(person == nullptr ? std::string() : person->name),
          Cell::of_text(r.plan_id),
          Cell::of_text(o == nullptr ? r.uid : meeting_label_nb(*plan, *o)),
          Cell::of_text(o == nullptr ? std::string() : occurrence_group_name(*plan, *o)),
          o == nullptr ? Cell::of_text("") : Cell::of_number(hours),
          Cell::of_number(credited ? hours : 0),
          Cell::of_text(std::string(status_label_nb(r.status))),
          Cell::of_text(std::string(status_code(r.status))),
          Cell::of_text(r.note),
          Cell::of_text(r.added ? "yes" : "no"),
          Cell::of_text(r.registered_by),
          Cell::of_text(utc_timestamp_text(r.registered_at))};
}

xlsx::Sheet attendance_report_sheet(const ReportLookup& lookup,
                                    const std::vector<AttendanceRecord>& records) {
  xlsx::Sheet sheet{"Oppmøte", attendance_report_columns(), {}};
  sheet.rows.reserve(records.size());
  for (const auto& r : records) sheet.rows.push_back(attendance_report_row(lookup, r));
  return sheet;
}

std::string report_csv(const std::vector<xlsx::Sheet>& sheets) {
  std::string text;
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    if (i > 0) text += "\r\n";  // the next sheet after an empty line
    text += csv_line(sheets[i].header);
    for (const auto& row : sheets[i].rows) text += csv_line(report_texts(row));
  }
  return text;
}

}  // namespace plancal
