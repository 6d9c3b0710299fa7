#pragma once
/// RFC 4180 CSV: reading that remembers where every field was written, so a roster exported
/// from a spreadsheet gets errors at FILE:LINE:COL like a plan does; and writing the lines
/// of the reports plancal exports (attendance, hours, registrations).

#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"

namespace plancal {

struct CsvField {
  std::string text;
  int line = 0;    ///< 1-based, where the field starts
  int column = 0;  ///< 1-based
};

using CsvRecord = std::vector<CsvField>;

/// Splits `text` into records: fields separated by ',', records by CRLF or LF, fields quoted
/// with '"' may hold commas, line breaks and doubled quotes (""). A leading UTF-8 byte order
/// mark is skipped; blank lines are dropped. Malformed quoting is reported to `diagnostics`.
[[nodiscard]] std::vector<CsvRecord> parse_csv(std::string_view text, const std::string& file,
                                               Diagnostics& diagnostics);

/// One record as a CSV line ending in CRLF: a field is quoted when it holds a comma, quote or
/// line break (quotes doubled), and one that a spreadsheet would read as a formula (leading
/// = + - @) gets a leading apostrophe, since exported fields hold what people typed.
[[nodiscard]] std::string csv_line(const std::vector<std::string>& fields);

}  // namespace plancal
