#include "schema/taint.h"

#include <algorithm>

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
  for (const auto& pointer : error_pointers) {
    const std::string unit = unit_of(doc.json, pointer);
    if (unit.empty() || std::find(units_.begin(), units_.end(), unit) != units_.end()) continue;
    units_.push_back(unit);
    Span span{doc.key_where(unit).line, doc.key_where(unit).line};
    for (auto it = doc.marks.lower_bound(unit);
         it != doc.marks.end() && it->first.compare(0, unit.size(), unit) == 0; ++it) {
      if (!has_prefix(it->first, unit) || it->second.line == 0) continue;
      span.first_line = std::min(span.first_line, it->second.line);
      span.last_line = std::max(span.last_line, it->second.line);
    }
    spans_.push_back(span);
  }
}

bool Taint::touches(const std::string& pointer) const {
  return std::any_of(units_.begin(), units_.end(),
                     [&](const std::string& unit) { return has_prefix(unit, pointer); });
}

Diagnostics Taint::filter(const Diagnostics& findings, const std::string& file) const {
  Diagnostics kept;
  for (const auto& d : findings.all()) {
    const bool tainted =
        d.where.file == file && std::any_of(spans_.begin(), spans_.end(), [&](const Span& s) {
          return d.where.line >= s.first_line && d.where.line <= s.last_line;
        });
    if (!tainted) kept.add(d);
  }
  return kept;
}

}  // namespace plancal
