#pragma once
/// RFC 4180 CSV reading that remembers where every field was written, so a roster exported
/// from a spreadsheet gets errors at FILE:LINE:COL like a plan does.

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

}  // namespace plancal
