#pragma once
/// Diagnostics: what went wrong, where, and what to do about it.
///
/// Every problem found in a user's file is reported as `FILE:LINE:COL: error: message`
/// (the format compilers use, so editors can jump to it), optionally followed by a hint.
/// Checks collect every diagnostic in a file before giving up, so a leader fixing a plan
/// sees all mistakes at once rather than one per run.

#include <string>
#include <vector>

namespace plancal {

struct SourceLocation {
  std::string file;
  int line = 0;    ///< 1-based; 0 when unknown
  int column = 0;  ///< 1-based; 0 when unknown
};

enum class Severity { Error, Warning };

struct Diagnostic {
  Severity severity = Severity::Error;
  SourceLocation where;
  std::string message;  ///< what is wrong, in one sentence
  std::string hint;     ///< what to do about it; may be empty
};

/// "plan.yaml:12:5: error: message" plus "\n  hint: ..." when there is a hint.
[[nodiscard]] std::string format_diagnostic(const Diagnostic& diagnostic);

/// An ordered collection of diagnostics for one run of checks.
class Diagnostics {
 public:
  void error(SourceLocation where, std::string message, std::string hint = {});
  void warning(SourceLocation where, std::string message, std::string hint = {});
  void add(Diagnostic diagnostic);
  void append(const Diagnostics& other);

  /// Turns every warning into an error (`--strict`).
  void promote_warnings();

  [[nodiscard]] bool has_errors() const;
  [[nodiscard]] std::size_t error_count() const;
  [[nodiscard]] std::size_t warning_count() const;
  [[nodiscard]] const std::vector<Diagnostic>& all() const { return items_; }
  [[nodiscard]] bool empty() const { return items_.empty(); }

  /// Sorted by file, line and column, so output reads top to bottom.
  void sort();

  /// Keeps the first `max_items` and, when there were more, adds an error at `file` saying
  /// how many are not shown: a file of garbage gives a screenful, not a million lines.
  void truncate(std::size_t max_items, const std::string& file);

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace plancal
