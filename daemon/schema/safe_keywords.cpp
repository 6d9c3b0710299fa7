#include "schema/safe_keywords.h"

#include <algorithm>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <valijson/constraint_builder.hpp>
#include <valijson/constraints/concrete_constraints.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>

#include "schema/pattern.h"

namespace plancal {

namespace {

using nlohmann::json;

constexpr const char* kPattern = "x-plancal-pattern";
constexpr const char* kUniqueItems = "x-plancal-uniqueItems";
constexpr const char* kFormat = "x-plancal-format";

/// Keywords whose value is one subschema, a list of them, or a map of names to them.
constexpr std::array<const char*, 9> kSubschema{
    "additionalProperties", "items", "additionalItems", "not", "if", "then", "else", "contains",
    "propertyNames"};
constexpr std::array<const char*, 3> kSubschemaLists{"allOf", "anyOf", "oneOf"};
constexpr std::array<const char*, 4> kSubschemaMaps{"properties", "patternProperties",
                                                    "definitions", "dependencies"};

void rename_keywords(json& schema, int depth) {
  if (!schema.is_object() || depth > 64) return;
  for (const auto& [from, to] :
       {std::pair{"pattern", kPattern}, std::pair{"uniqueItems", kUniqueItems},
        std::pair{"format", kFormat}}) {
    if (const auto it = schema.find(from); it != schema.end()) {
      schema[to] = std::move(*it);
      schema.erase(from);
    }
  }
  for (const char* keyword : kSubschema) {
    if (const auto it = schema.find(keyword); it != schema.end()) {
      if (it->is_array()) {
        for (auto& item : *it) rename_keywords(item, depth + 1);
      } else {
        rename_keywords(*it, depth + 1);
      }
    }
  }
  for (const char* keyword : kSubschemaLists) {
    if (const auto it = schema.find(keyword); it != schema.end() && it->is_array()) {
      for (auto& item : *it) rename_keywords(item, depth + 1);
    }
  }
  for (const char* keyword : kSubschemaMaps) {
    if (const auto it = schema.find(keyword); it != schema.end() && it->is_object()) {
      for (auto& [name, sub] : it->items()) rename_keywords(sub, depth + 1);
    }
  }
}

using valijson::adapters::Adapter;
using valijson::constraints::Constraint;
using valijson::constraints::PolyConstraint;

/// `pattern`, matched by schema/pattern.h.
class PatternConstraint : public PolyConstraint {
 public:
  explicit PatternConstraint(std::shared_ptr<const Pattern> pattern)
      : pattern_(std::move(pattern)) {}

  bool validate(const Adapter& target, const std::vector<std::string>& context,
                valijson::ValidationResults* results) const override {
    if (!target.isString() || pattern_->search(target.getString())) return true;
    if (results)
      results->pushError(context, "Failed to match regex specified by 'pattern' constraint.");
    return false;
  }

 private:
  Constraint* cloneInto(void* memory) const override {
    return new (memory) PatternConstraint(*this);
  }
  [[nodiscard]] size_t sizeOf() const override { return sizeof(PatternConstraint); }

  std::shared_ptr<const Pattern> pattern_;
};

/// A value as text that is equal for values JSON Schema calls equal (1 and 1.0 too).
std::string canonical(const Adapter& value, int depth) {
  if (depth > 64) return "?";
  if (value.isNull()) return "n";
  if (value.isBool()) return value.getBool() ? "t" : "f";
  if (value.isNumber()) return fmt::format("#{}", value.getNumber());
  if (value.isString()) return "s" + value.getString();
  std::string out;
  if (value.isArray()) {
    out = "[";
    (void)value.applyToArray([&out, depth](const Adapter& item) {
      out += canonical(item, depth + 1) + ",";
      return true;
    });
    return out + "]";
  }
  out = "{";
  (void)value.applyToObject([&out, depth](const std::string& name, const Adapter& member) {
    out += fmt::format("{}:{}:{},", name.size(), name, canonical(member, depth + 1));
    return true;
  });
  return out + "}";
}

/// `uniqueItems: true`, by sorting: each repeated value is reported once, at its first two
/// positions.
class UniqueItemsConstraint : public PolyConstraint {
 public:
  bool validate(const Adapter& target, const std::vector<std::string>& context,
                valijson::ValidationResults* results) const override {
    if (!target.isArray()) return true;
    std::vector<std::pair<std::string, std::size_t>> items;
    (void)target.applyToArray([&items](const Adapter& item) {
      items.emplace_back(canonical(item, 0), items.size());
      return true;
    });
    std::stable_sort(items.begin(), items.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    bool unique = true;
    for (std::size_t i = 1; i < items.size(); ++i) {
      if (items[i].first != items[i - 1].first) continue;
      const bool first_repeat = i < 2 || items[i - 2].first != items[i].first;
      if (first_repeat && results) {
        results->pushError(context,
                           fmt::format("Elements at indexes #{} and #{} violate uniqueness "
                                       "constraint.",
                                       items[i - 1].second, items[i].second));
      }
      unique = false;
    }
    return unique;
  }

 private:
  Constraint* cloneInto(void* memory) const override {
    return new (memory) UniqueItemsConstraint(*this);
  }
  [[nodiscard]] size_t sizeOf() const override { return sizeof(UniqueItemsConstraint); }
};

/// A constraint that always holds: `format` and `uniqueItems: false`.
class NoConstraint : public PolyConstraint {
 public:
  bool validate(const Adapter& /*target*/, const std::vector<std::string>& /*context*/,
                valijson::ValidationResults* /*results*/) const override {
    return true;
  }

 private:
  Constraint* cloneInto(void* memory) const override { return new (memory) NoConstraint(*this); }
  [[nodiscard]] size_t sizeOf() const override { return sizeof(NoConstraint); }
};

class PatternBuilder : public valijson::ConstraintBuilder {
 public:
  Constraint* make(const Adapter& value) const override {
    if (!value.isString()) throw std::runtime_error("a pattern must be a string");
    auto pattern = Pattern::compile(value.getString());
    if (!pattern.ok()) throw std::runtime_error(pattern.error().message);
    return new PatternConstraint(std::make_shared<const Pattern>(std::move(pattern).value()));
  }
};

class UniqueItemsBuilder : public valijson::ConstraintBuilder {
 public:
  Constraint* make(const Adapter& value) const override {
    if (value.isBool() && value.getBool()) return new UniqueItemsConstraint();
    return new NoConstraint();
  }
};

class FormatBuilder : public valijson::ConstraintBuilder {
 public:
  Constraint* make(const Adapter& /*value*/) const override { return new NoConstraint(); }
};

}  // namespace

json with_safe_keywords(const json& schema) {
  json copy = schema;
  rename_keywords(copy, 0);
  return copy;
}

void add_safe_keyword_checks(valijson::SchemaParser& parser) {
  parser.addConstraintBuilder(kPattern, new PatternBuilder());  // the parser owns the builders
  parser.addConstraintBuilder(kUniqueItems, new UniqueItemsBuilder());
  parser.addConstraintBuilder(kFormat, new FormatBuilder());
}

}  // namespace plancal
