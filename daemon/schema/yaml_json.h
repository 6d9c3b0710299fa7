#pragma once
/// YAML -> JSON with source positions.
///
/// JSON Schema validators speak JSON, but users edit YAML and need errors at the line they
/// wrote. So a YAML tree is converted to `nlohmann::json` while every node's JSON pointer
/// ("/meetings/3/date") is mapped to its YAML position. Any YAML file plancal reads (plans,
/// rosters, the daemon config) goes through here, then through schema_check.h.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/diagnostic.h"

namespace plancal {

/// A mapping key written twice. yaml-cpp keeps both; the JSON keeps the first.
struct DuplicateKey {
  std::string parent_pointer;  ///< JSON pointer of the mapping holding the key
  std::string key;
  SourceLocation first;   ///< where the key was first written
  SourceLocation second;  ///< the repeated key
};

struct MarkedJson {
  nlohmann::json json;
  /// JSON pointer -> where the value starts ("" is the root). For mapping members there is a
  /// second entry, pointer + "#key", for where the key itself is written.
  std::map<std::string, SourceLocation> marks;
  /// Plain (unquoted) scalars that were read as numbers, booleans or null: pointer -> the text
  /// as written, so a schema that wants text there can have it back (see schema_check.h).
  std::map<std::string, std::string> plain_text;
  std::vector<DuplicateKey> duplicates;

  /// The position of the value at `pointer`, or of its nearest ancestor that has one.
  [[nodiscard]] SourceLocation where(const std::string& pointer) const;
  /// The position of the key of the member at `pointer` (falls back to where()).
  [[nodiscard]] SourceLocation key_where(const std::string& pointer) const;
};

/// Limits that keep hostile or accidental input (a log file renamed .yaml) harmless.
inline constexpr std::size_t kMaxYamlBytes = std::size_t{8} * 1024 * 1024;
inline constexpr int kMaxYamlDepth = 64;
inline constexpr std::size_t kMaxYamlNodes = 1'000'000;
/// The longest text value any file may hold, in characters, whatever its field. Each field's
/// own, smaller limit is its schema's maxLength; this one stops a value of megabytes before
/// it is checked, copied into every occurrence or stored.
inline constexpr std::size_t kMaxYamlScalarChars = 65'536;
/// The longest mapping key, in characters: keys are names (team keys, field names), and every
/// value's JSON pointer repeats the keys above it.
inline constexpr std::size_t kMaxYamlKeyChars = 256;
/// The most characters of JSON pointers kept for positions: long keys above many values
/// would otherwise multiply into gigabytes.
inline constexpr std::size_t kMaxYamlPointerBytes = std::size_t{64} * 1024 * 1024;

/// A converted document, or the errors that stopped the conversion.
struct YamlLoad {
  MarkedJson doc;
  Diagnostics diagnostics;  ///< errors mean `doc` is unusable
};

/// Parses YAML text and converts it. Scalars follow the YAML 1.2 core schema: unquoted
/// integers, floats, true/false and null become JSON numbers, booleans and null; everything
/// else (dates too) stays text. Refuses, with a diagnostic and without throwing: text over
/// kMaxYamlBytes, bytes that are not UTF-8, an empty document, YAML syntax errors, nesting
/// deeper than kMaxYamlDepth, more values than the text has bytes (alias bombs), keys that
/// are not scalars, NUL bytes (binary files), values longer than kMaxYamlScalarChars and keys
/// longer than kMaxYamlKeyChars (each reported with its position, length and limit). `what` names
/// the file's kind in messages ("plan file", "roster file").
[[nodiscard]] YamlLoad yaml_to_json(std::string_view text, const std::string& file,
                                    std::string_view what = "file");

/// Reads a whole file (refusing files over `max_bytes` before reading them).
/// Returns false and an error diagnostic when it cannot.
bool read_text_file(const std::string& path, std::size_t max_bytes, std::string& out,
                    Diagnostics& diagnostics, std::string_view what = "file");

/// The offset of the first byte that is not valid UTF-8, or npos.
[[nodiscard]] std::size_t find_invalid_utf8(std::string_view text);

/// JSON pointer helpers: "/a/b~1c" <-> {"a", "b/c"}.
[[nodiscard]] std::string pointer_append(const std::string& pointer, std::string_view token);
[[nodiscard]] std::string pointer_append(const std::string& pointer, std::size_t index);
[[nodiscard]] std::vector<std::string> pointer_tokens(std::string_view pointer);

}  // namespace plancal
