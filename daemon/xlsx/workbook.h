#pragma once
/// Excel workbooks for the reports payroll asks for ("rapport om utført arbeid"), written with
/// Debian's libxlsxwriter: text stays text, hours are numbers a sheet can sum, dates are real
/// dates (shown yyyy-mm-dd). The file appears whole or not at all (written beside it, then
/// renamed), so a half-written report is never picked up.

#include <string>
#include <vector>

#include "base/civil.h"
#include "base/result.h"

namespace plancal::xlsx {

struct Cell {
  enum class Kind { Text, Number, Date };
  Kind kind = Kind::Text;
  std::string text;
  double number = 0;
  Date date{};

  static Cell of_text(std::string value) { return {Kind::Text, std::move(value), 0, {}}; }
  static Cell of_number(double value) { return {Kind::Number, {}, value, {}}; }
  static Cell of_date(Date value) { return {Kind::Date, {}, 0, value}; }
};

struct Sheet {
  std::string name;  ///< at most 31 characters, as Excel allows
  std::vector<std::string> header;
  std::vector<std::vector<Cell>> rows;
};

/// Writes `sheets` to `path`. Errors name the file and what to do.
[[nodiscard]] Status write_workbook(const std::string& path, const std::vector<Sheet>& sheets);

/// The same workbook as bytes, for a download: written to a private temporary file (mode
/// 0600, removed before this returns), since libxlsxwriter writes files.
[[nodiscard]] Result<std::string> workbook_bytes(const std::vector<Sheet>& sheets);

}  // namespace plancal::xlsx
