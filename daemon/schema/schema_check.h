#pragma once
/// Checking a YAML document (as MarkedJson) against a JSON Schema, with errors a person
/// editing the file understands.
///
/// valijson does the validation; its terse messages ("Failed to match regex specified by
/// 'pattern' constraint." at "<root>[meetings][3][date]") are translated here into
/// "expected a date YYYY-MM-DD for "date" in meeting 3, found "2024-1-5"" at the line and
/// column of the value. The schema's `title` keywords name what a value should be (scalars) or
/// what an object is (objects: "meeting", "row"), and its `description`s become hints, so the
/// schema stays the single description of a file format.

#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "schema/yaml_json.h"

namespace plancal {

/// Gives plain scalars back their text where the schema wants text: `title: 2024` or
/// `key: 1` were read as numbers (YAML 1.2), but the schema says string, so they become "2024"
/// and "1". Call before check_against_schema.
void coerce_to_schema_types(MarkedJson& doc, std::string_view schema_json);

/// Validates `doc` against the JSON Schema text (draft-07) and reports every error, not just
/// the first, each at its position in `file`. The schema is parsed once and cached.
/// `error_pointers`, when given, receives the JSON pointer of every value found wrong, so a
/// caller can go on checking the parts of the document that are right.
[[nodiscard]] Diagnostics check_against_schema(const MarkedJson& doc, std::string_view schema_json,
                                               const std::string& file,
                                               std::vector<std::string>* error_pointers = nullptr);

/// The closest of `candidates` to `word` by edit distance, when close enough to be a likely
/// typo ("locaton" -> "location"); empty otherwise.
[[nodiscard]] std::string closest_word(std::string_view word,
                                       const std::vector<std::string>& candidates);

}  // namespace plancal
