#include "schema/schema_walk.h"

#include <algorithm>

#include "schema/pattern.h"
#include "schema/yaml_json.h"

namespace plancal {

namespace {

using nlohmann::json;

bool is_index(const std::string& token) {
  return !token.empty() &&
         std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// A patternProperties name against a key (with the matcher that cannot overflow the stack).
bool regex_matches(const std::string& pattern, const std::string& text) {
  const auto compiled = Pattern::compile(pattern);
  return compiled.ok() && compiled->search(text);
}

}  // namespace

const json* SchemaWalker::resolve(const json* schema) const {
  for (int hops = 0; hops < 16 && schema->is_object() && schema->contains("$ref"); ++hops) {
    const auto& ref = (*schema)["$ref"];
    if (!ref.is_string() || ref.get<std::string>().rfind("#", 0) != 0) return schema;
    try {
      schema = &root_.at(json::json_pointer(ref.get<std::string>().substr(1)));
    } catch (const json::exception&) {
      return schema;
    }
  }
  return schema;
}

void SchemaWalker::expand(const json* schema, std::vector<const json*>& out, int depth) const {
  schema = resolve(schema);
  if (!schema->is_object() || depth > 16) return;
  out.push_back(schema);
  for (const char* combinator : {"allOf", "anyOf", "oneOf"}) {
    if (const auto it = schema->find(combinator); it != schema->end() && it->is_array()) {
      for (const auto& branch : *it) expand(&branch, out, depth + 1);
    }
  }
}

void SchemaWalker::step(const json* schema, const std::string& token,
                        std::vector<const json*>& out) const {
  bool matched = false;
  if (const auto props = schema->find("properties");
      props != schema->end() && props->contains(token)) {
    expand(&(*props)[token], out, 0);
    matched = true;
  }
  if (const auto patterns = schema->find("patternProperties");
      patterns != schema->end() && patterns->is_object()) {
    for (const auto& [pattern, sub] : patterns->items()) {
      if (regex_matches(pattern, token)) {
        expand(&sub, out, 0);
        matched = true;
      }
    }
  }
  if (const auto extra = schema->find("additionalProperties");
      !matched && extra != schema->end() && extra->is_object()) {
    expand(&*extra, out, 0);
  }
  if (const auto items = schema->find("items");
      is_index(token) && items != schema->end() && items->is_object()) {
    expand(&*items, out, 0);
  }
}

std::vector<const json*> SchemaWalker::at(const std::string& pointer) const {
  if (const auto it = memo_.find(pointer); it != memo_.end()) return it->second;
  std::vector<const json*> found;
  if (pointer.empty()) {
    expand(&root_, found, 0);
  } else {  // one step from the parent, which is mostly known already (a list's items share it)
    const auto slash = pointer.rfind('/');
    const auto tokens = pointer_tokens(pointer.substr(slash));
    const std::string token = tokens.empty() ? std::string() : tokens.front();
    for (const json* schema : at(pointer.substr(0, slash))) step(schema, token, found);
  }
  if (memo_.size() >= kMaxMemo) memo_.clear();
  memo_.emplace(pointer, found);
  return found;
}

std::string SchemaWalker::title(const std::string& pointer) const {
  for (const json* schema : at(pointer)) {
    if (const auto it = schema->find("title"); it != schema->end() && it->is_string())
      return it->get<std::string>();
  }
  return {};
}

std::string SchemaWalker::property_description(const std::string& pointer,
                                               const std::string& key) const {
  for (const json* schema : at(pointer_append(pointer, key))) {
    if (const auto it = schema->find("description"); it != schema->end() && it->is_string())
      return it->get<std::string>();
  }
  for (const json* schema :
       at(pointer)) {  // a $ref'd property keeps its description beside the $ref
    const auto props = schema->find("properties");
    if (props == schema->end() || !props->contains(key)) continue;
    const auto& prop = (*props)[key];
    if (prop.contains("description") && prop["description"].is_string())
      return prop["description"].get<std::string>();
  }
  return {};
}

std::vector<std::string> SchemaWalker::allowed_keys(const std::string& pointer) const {
  std::vector<std::string> keys;
  for (const json* schema : at(pointer)) {
    if (const auto props = schema->find("properties");
        props != schema->end() && props->is_object()) {
      for (const auto& [key, unused] : props->items()) {
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
      }
    }
  }
  return keys;
}

bool SchemaWalker::allows_key(const std::string& pointer, const std::string& key) const {
  for (const json* schema : at(pointer)) {
    if (const auto props = schema->find("properties");
        props != schema->end() && props->contains(key))
      return true;
    if (const auto patterns = schema->find("patternProperties");
        patterns != schema->end() && patterns->is_object()) {
      for (const auto& [pattern, unused] : patterns->items()) {
        if (regex_matches(pattern, key)) return true;
      }
    }
    if (const auto extra = schema->find("additionalProperties");
        extra != schema->end() && !extra->is_boolean())
      return true;
  }
  return false;
}

std::vector<std::string> SchemaWalker::types(const std::string& pointer) const {
  std::vector<std::string> out;
  for (const json* schema : at(pointer)) {
    const auto it = schema->find("type");
    if (it == schema->end()) continue;
    const auto add = [&out](const std::string& t) {
      if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
    };
    if (it->is_string()) add(it->get<std::string>());
    if (it->is_array()) {
      for (const auto& t : *it) {
        if (t.is_string()) add(t.get<std::string>());
      }
    }
  }
  return out;
}

}  // namespace plancal
