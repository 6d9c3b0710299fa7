#pragma once
/// Finding the part of a JSON Schema that applies to a place in a document.
///
/// Translating validation errors needs to know what the schema expected at a JSON pointer
/// (its title, its allowed keys, its types); this walks `properties`, `patternProperties`,
/// `additionalProperties`, `items`, `$ref` (local, "#/definitions/...") and the branches of
/// `allOf`/`anyOf`/`oneOf`.

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace plancal {

class SchemaWalker {
 public:
  explicit SchemaWalker(const nlohmann::json& schema) : root_(schema) {}

  /// Every subschema that applies to the value at `pointer` of `instance`. (The recursion
  /// over the pointer's parents is as deep as the document, which the loader bounds.)
  [[nodiscard]] std::vector<const nlohmann::json*> at(const std::string& pointer) const;

  /// The first `title` among the subschemas at `pointer`, or empty.
  [[nodiscard]] std::string title(const std::string& pointer) const;
  /// The first `description` of the property `key` of the object at `pointer`, or empty.
  [[nodiscard]] std::string property_description(const std::string& pointer,
                                                 const std::string& key) const;
  /// The property names the object at `pointer` may have.
  [[nodiscard]] std::vector<std::string> allowed_keys(const std::string& pointer) const;
  /// Whether the object at `pointer` may have `key` (properties or patternProperties).
  [[nodiscard]] bool allows_key(const std::string& pointer, const std::string& key) const;
  /// The union of `type`s accepted at `pointer`; empty when any type is accepted.
  [[nodiscard]] std::vector<std::string> types(const std::string& pointer) const;

 private:
  [[nodiscard]] const nlohmann::json* resolve(const nlohmann::json* schema) const;
  void expand(const nlohmann::json* schema, std::vector<const nlohmann::json*>& out,
              int depth) const;
  void step(const nlohmann::json* schema, const std::string& token,
            std::vector<const nlohmann::json*>& out) const;

  const nlohmann::json& root_;
  /// at() by pointer: checking a list of thousands of items asks for each of them, and a
  /// step from the parent is cheap where the walk from the root is not.
  mutable std::map<std::string, std::vector<const nlohmann::json*>> memo_;
  static constexpr std::size_t kMaxMemo = 100'000;
};

}  // namespace plancal
