#include "base/diagnostic.h"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

namespace plancal {

std::string format_diagnostic(const Diagnostic& diagnostic) {
  const char* severity = diagnostic.severity == Severity::Error ? "error" : "warning";
  std::string location = diagnostic.where.file;
  if (diagnostic.where.line > 0) {
    location += fmt::format(":{}:{}", diagnostic.where.line, std::max(diagnostic.where.column, 1));
  }
  std::string text = location.empty()
                         ? fmt::format("{}: {}", severity, diagnostic.message)
                         : fmt::format("{}: {}: {}", location, severity, diagnostic.message);
  if (!diagnostic.hint.empty()) text += fmt::format("\n  hint: {}", diagnostic.hint);
  return text;
}

void Diagnostics::error(SourceLocation where, std::string message, std::string hint) {
  items_.push_back({Severity::Error, std::move(where), std::move(message), std::move(hint)});
}

void Diagnostics::warning(SourceLocation where, std::string message, std::string hint) {
  items_.push_back({Severity::Warning, std::move(where), std::move(message), std::move(hint)});
}

void Diagnostics::add(Diagnostic diagnostic) { items_.push_back(std::move(diagnostic)); }

void Diagnostics::append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

void Diagnostics::promote_warnings() {
  for (auto& item : items_) item.severity = Severity::Error;
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

std::size_t Diagnostics::error_count() const {
  return static_cast<std::size_t>(
      std::count_if(items_.begin(), items_.end(),
                    [](const Diagnostic& d) { return d.severity == Severity::Error; }));
}

std::size_t Diagnostics::warning_count() const { return items_.size() - error_count(); }

void Diagnostics::sort() {
  std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.where.file, a.where.line, a.where.column) <
           std::tie(b.where.file, b.where.line, b.where.column);
  });
}

void Diagnostics::truncate(std::size_t max_items, const std::string& file) {
  if (items_.size() <= max_items) return;
  const std::size_t hidden = items_.size() - max_items;
  const bool errors_hidden =
      std::any_of(items_.begin() + static_cast<std::ptrdiff_t>(max_items), items_.end(),
                  [](const Diagnostic& d) { return d.severity == Severity::Error; });
  items_.resize(max_items);
  Diagnostic summary;
  summary.severity = errors_hidden ? Severity::Error : Severity::Warning;
  summary.where.file = file;
  summary.message = fmt::format("{} more problems in this file are not shown", hidden);
  summary.hint = "fix the ones above first; is this the right file?";
  items_.push_back(std::move(summary));
}

}  // namespace plancal
