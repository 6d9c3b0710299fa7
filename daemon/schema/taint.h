#pragma once
/// Going on after schema errors: which parts of a plan the semantic checks can still trust.
///
/// A leader should see every mistake in one run, including a wrong weekday in meeting 5 when
/// meeting 3 has a misspelt key. But a part with a schema error is built from defaults, and
/// checking it would add noise ("not a Monday" for a date that failed to parse). So each wrong
/// value taints the list item holding it (a meeting, a row, a person) or, outside lists, its
/// top-level section; semantic findings inside tainted lines are dropped.

#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "schema/yaml_json.h"

namespace plancal {

class Taint {
 public:
  /// `error_pointers`: where the schema check found wrong values (check_against_schema).
  Taint(const MarkedJson& doc, const std::vector<std::string>& error_pointers);

  /// Whether any tainted part lies under `pointer` ("/teams": a team entry is broken).
  [[nodiscard]] bool touches(const std::string& pointer) const;
  /// Findings of later checks that are not inside a tainted part of `file`.
  [[nodiscard]] Diagnostics filter(const Diagnostics& findings, const std::string& file) const;

 private:
  struct Span {
    int first_line;
    int last_line;
  };
  std::vector<std::string> units_;
  std::vector<Span> spans_;
};

}  // namespace plancal
