#include "schema/taint.h"

#include <algorithm>
#include <iterator>
#include <set>

namespace plancal {

namespace {

using nlohmann::json;

bool has_prefix(const std::string& pointer, const std::string& unit) {
  if (pointer.compare(0, unit.size(), unit) != 0) return false;
  return pointer.size() == unit.size() || pointer[unit.size()] == '/' ||
         pointer[unit.size()] == '#';
}

/// The deepest object inside a list on the way to `pointer`, else its top-level section.
std::string unit_of(const json& root, const std::string& pointer) {
  const auto tokens = pointer_tokens(pointer);
  if (tokens.empty()) return {};
  std::string unit = pointer_append("", tokens[0]);
  std::string current;
  const json* node = &root;
  for (const auto& token : tokens) {
    const bool in_list = node->is_array();
    current = pointer_append(current, token);
    if (in_list) {
      const auto index = static_cast<std::size_t>(std::stoul(token));
      if (index >= node->size()) break;
      node = &(*node)[index];
      if (node->is_object()) unit = current;
    } else if (node->is_object() && node->contains(token)) {
      node = &(*node)[token];
    } else {
      break;
    }
  }
  return unit;
}

}  // namespace

Taint::Taint(const MarkedJson& doc, const std::vector<std::string>& error_pointers) {
  std::set<std::string> seen;
  for (const auto& pointer : error_pointers) {
    const std::string unit = unit_of(doc.json, pointer);
    if (unit.empty() || !seen.insert(unit).second) continue;
    units_.push_back(unit);
    Span span{doc.key_where(unit).line, doc.key_where(unit).line};
    const auto widen = [&span](const SourceLocation& where) {
      if (where.line == 0) return;
      span.first_line = std::min(span.first_line, where.line);
      span.last_line = std::max(span.last_line, where.line);
    };
    if (const auto it = doc.marks.find(unit); it != doc.marks.end()) widen(it->second);
    // Everything below the unit: pointers from unit + "/" up to (not including) unit + "0",
    // the character after '/'; a sibling such as "/rows/10" next to "/rows/1" is not visited.
    for (auto it = doc.marks.lower_bound(unit + "/"), end = doc.marks.lower_bound(unit + "0");
         it != end; ++it) {
      widen(it->second);
    }
    spans_.push_back(span);
  }
  // Sorted and merged, so filter() finds a line's span by binary search.
  std::sort(spans_.begin(), spans_.end(),
            [](const Span& a, const Span& b) { return a.first_line < b.first_line; });
  std::vector<Span> merged;
  for (const Span& span : spans_) {
    if (!merged.empty() && span.first_line <= merged.back().last_line + 1) {
      merged.back().last_line = std::max(merged.back().last_line, span.last_line);
    } else {
      merged.push_back(span);
    }
  }
  spans_ = std::move(merged);
}

bool Taint::touches(const std::string& pointer) const {
  return std::any_of(units_.begin(), units_.end(),
                     [&](const std::string& unit) { return has_prefix(unit, pointer); });
}

Diagnostics Taint::filter(const Diagnostics& findings, const std::string& file) const {
  Diagnostics kept;
  for (const auto& d : findings.all()) {
    // The last span starting at or before the line is the only one that can hold it.
    const auto after =
        std::upper_bound(spans_.begin(), spans_.end(), d.where.line,
                         [](int line, const Span& span) { return line < span.first_line; });
    const bool tainted = d.where.file == file && after != spans_.begin() &&
                         d.where.line <= std::prev(after)->last_line;
    if (!tainted) kept.add(d);
  }
  return kept;
}

}  // namespace plancal
