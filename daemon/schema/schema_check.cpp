#include "schema/schema_check.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "base/text.h"
#include "schema/safe_keywords.h"
#include "schema/schema_walk.h"

namespace plancal {

namespace {

using nlohmann::json;

// --- the schema cache ------------------------------------------------------------------------

struct CompiledSchema {
  json document;     ///< as embedded: what messages and the walker read
  json for_checker;  ///< with the keywords plancal checks itself (safe_keywords.h)
  valijson::Schema schema;
  std::string parse_error;  ///< set when the schema itself is broken (a bug in plancal)
};

const CompiledSchema& compiled(std::string_view schema_json) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<CompiledSchema>, std::less<>> cache;
  const std::lock_guard lock(mutex);
  if (const auto it = cache.find(schema_json); it != cache.end()) return *it->second;
  auto entry = std::make_unique<CompiledSchema>();
  try {
    entry->document = json::parse(schema_json);
    entry->for_checker = with_safe_keywords(entry->document);
    valijson::SchemaParser parser;
    add_safe_keyword_checks(parser);
    valijson::adapters::NlohmannJsonAdapter adapter(entry->for_checker);
    parser.populateSchema(adapter, entry->schema);
  } catch (const std::exception& e) {
    entry->parse_error = e.what();
  }
  return *cache.emplace(std::string(schema_json), std::move(entry)).first->second;
}

// --- describing places and values ------------------------------------------------------------

bool is_noun(const std::string& title) {
  return !title.empty() && title.rfind("a ", 0) != 0 && title.rfind("an ", 0) != 0 &&
         title.rfind("one of", 0) != 0;
}

std::string parent_of(const std::string& pointer) { return pointer.substr(0, pointer.rfind('/')); }

std::string last_token(const std::string& pointer) {
  const auto tokens = pointer_tokens(pointer);
  return tokens.empty() ? std::string() : tokens.back();
}

const json* value_at(const json& root, const std::string& pointer) {
  try {
    return &root.at(json::json_pointer(pointer));
  } catch (const json::exception&) {
    return nullptr;
  }
}

class Describer {
 public:
  Describer(const MarkedJson& doc, const SchemaWalker& walker) : doc_(doc), walker_(walker) {}

  /// "meeting 3", "row \"tirsdag\"", "time of meeting 3", "\"B\" in dates of meeting 3".
  [[nodiscard]] std::string object(const std::string& pointer, int depth = 0) const {
    if (pointer.empty()) return "the plan";
    const std::string parent = parent_of(pointer);
    const json* parent_value = value_at(doc_.json, parent);
    const std::string title = walker_.title(pointer);
    const std::string token = last_token(pointer);
    if (parent_value && parent_value->is_array()) {
      const std::string label =
          (is_noun(title) ? title : std::string("item")) + " " + identifier(pointer, token);
      const std::string grand = parent_of(parent);
      return grand.empty() || depth >= 1 ? label : label + " of " + object(grand, depth + 1);
    }
    const bool fixed_key = !walker_.allowed_keys(parent).empty();
    if (!fixed_key)
      return fmt::format("{} in {}", quoted_text(token), object(parent, depth + 1));  // map entry
    const std::string label = is_noun(title) ? title : quoted_text(token);
    return parent.empty() || depth >= 2 ? label : label + " of " + object(parent, depth + 1);
  }

  /// A scalar's place: "\"from\" in row \"tirsdag\"", "item 2 of \"teams\" in rotation \"x\"".
  [[nodiscard]] std::string field(const std::string& pointer) const {
    if (pointer.empty()) return "the plan";
    const std::string parent = parent_of(pointer);
    const json* parent_value = value_at(doc_.json, parent);
    if (parent_value && parent_value->is_array()) {
      return fmt::format("item {} of {} in {}", std::stoul(last_token(pointer)) + 1,
                         quoted_text(last_token(parent)), object(parent_of(parent)));
    }
    if (parent.empty()) return quoted_text(last_token(pointer));
    return fmt::format("{} in {}", quoted_text(last_token(pointer)), object(parent));
  }

 private:
  [[nodiscard]] std::string identifier(const std::string& pointer, const std::string& index) const {
    const json* value = value_at(doc_.json, pointer);
    if (value && value->is_object()) {
      for (const char* name : {"number", "key", "id"}) {
        const auto it = value->find(name);
        if (it == value->end()) continue;
        if (it->is_number_integer()) return std::to_string(it->get<long long>());
        if (it->is_string() && std::string(name) != "number")
          return quoted_text(it->get<std::string>());
      }
    }
    return "#" + std::to_string(std::stoul(index) + 1);
  }

  const MarkedJson& doc_;
  const SchemaWalker& walker_;
};

std::string describe_value(const json& value) {
  switch (value.type()) {
    case json::value_t::string: {
      const auto& text = value.get_ref<const std::string&>();
      return text.empty() ? "empty text" : quoted_text(text);
    }
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return fmt::format("the number {}", value.dump());
    case json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case json::value_t::null:
      return "nothing (an empty value)";
    case json::value_t::array:
      return "a list";
    case json::value_t::object:
      return "a mapping (key: value lines)";
    default:
      return "a value";
  }
}

std::string describe_types(const std::vector<std::string>& types) {
  static const std::map<std::string, std::string> kNames{
      {"string", "text"},     {"integer", "a whole number"},
      {"number", "a number"}, {"boolean", "true or false"},
      {"array", "a list"},    {"object", "a mapping (key: value lines)"},
      {"null", "nothing"}};
  std::string out;
  for (std::size_t i = 0; i < types.size(); ++i) {
    if (i > 0) out += i + 1 == types.size() ? " or " : ", ";
    const auto it = kNames.find(types[i]);
    out += it == kNames.end() ? types[i] : it->second;
  }
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// --- translating valijson's errors -----------------------------------------------------------

std::string pointer_from_context(const std::vector<std::string>& context) {
  std::string pointer;
  for (const auto& part : context) {
    if (part == "<root>") continue;
    std::string token = part;
    if (token.size() >= 2 && token.front() == '[' && token.back() == ']')
      token = token.substr(1, token.size() - 2);
    pointer = pointer_append(pointer, token);
  }
  return pointer;
}

bool starts_with(const std::string& text, std::string_view prefix) {
  return text.rfind(prefix, 0) == 0;
}

std::string quoted_between(const std::string& text, char quote) {
  const auto first = text.find(quote);
  const auto last = text.rfind(quote);
  if (first == std::string::npos || last <= first) return {};
  return text.substr(first + 1, last - first - 1);
}

/// Cascade messages repeat a child's failure at its parent; the child's error says it all.
bool is_cascade(const std::string& description) {
  return starts_with(description, "Failed to validate item #") ||
         starts_with(description, "Failed to validate against schema associated with") ||
         starts_with(description, "Failed to validate against additional properties schema") ||
         starts_with(description, "Failed to validate against any") ||
         starts_with(description, "Failed to validate against exactly one") ||
         starts_with(description, "Cannot validate item #");
}

class Translator {
 public:
  /// `too_long`: where a value is over its maxLength; its pattern is not judged there too.
  Translator(const MarkedJson& doc, const SchemaWalker& walker, const std::string& file,
             std::set<std::string> too_long)
      : doc_(doc),
        walker_(walker),
        describer_(doc, walker),
        file_(file),
        too_long_(std::move(too_long)) {}

  void translate(const std::string& pointer, const std::string& description) {
    if (is_cascade(description)) return;
    if (starts_with(description, "Failed to match regex") && too_long_.count(pointer)) return;
    if (!seen_.insert(pointer + "\n" + description).second) return;
    if (!starts_with(description, "Object contains a property")) pointers_.push_back(pointer);
    if (diagnostics_.all().size() >= kMaxMessages) {  // a file of garbage: say so, stay fast
      ++not_shown_;
      return;
    }
    const json* value = value_at(doc_.json, pointer);
    if (starts_with(description, "Object contains a property")) return unknown_keys(pointer);
    if (starts_with(description, "Missing required property"))
      return missing(pointer, quoted_between(description, '\''));
    if (!value) return generic(pointer, description);
    if (starts_with(description, "Value type not permitted")) return wrong_type(pointer, *value);
    if (starts_with(description, "Failed to match regex") ||
        starts_with(description, "Failed to match against any enum"))
      return wrong_value(pointer, *value);
    if (starts_with(description, "Expected number")) return out_of_range(pointer, *value);
    if (starts_with(description, "String should be no more than")) return too_long(pointer, *value);
    if (starts_with(description, "Elements at indexes")) return repeated_item(pointer, description);
    if (starts_with(description, "String should be no fewer")) {
      return add(doc_.where(pointer),
                 fmt::format("{} must not be empty", describer_.field(pointer)), hint_for(pointer));
    }
    if (starts_with(description, "Array should contain no fewer") ||
        starts_with(description, "Object should have no fewer")) {
      return add(doc_.where(pointer),
                 fmt::format("{} must not be empty", describer_.field(pointer)), hint_for(pointer));
    }
    generic(pointer, description);
  }

  Diagnostics take() {
    if (not_shown_ > 0) {
      add({file_, 0, 0}, fmt::format("{} more problems in this file are not shown", not_shown_),
          "fix the errors above first; is this the right file?");
    }
    return std::move(diagnostics_);
  }
  std::vector<std::string> take_pointers() { return std::move(pointers_); }

 private:
  void add(SourceLocation where, std::string message, std::string hint) {
    if (where.file.empty()) where.file = file_;
    diagnostics_.error(std::move(where), std::move(message), std::move(hint));
  }

  std::string hint_for(const std::string& pointer) const {
    const std::string parent = parent_of(pointer);
    const json* parent_value = value_at(doc_.json, parent);
    const std::string description = walker_.property_description(parent, last_token(pointer));
    if (description.empty() || (parent_value && parent_value->is_array())) return description;
    return fmt::format("{}: {}", quoted_text(last_token(pointer)), description);
  }

  void unknown_keys(const std::string& pointer) {
    const json* value = value_at(doc_.json, pointer);
    if (!value || !value->is_object()) return;
    const auto allowed = walker_.allowed_keys(pointer);
    for (const auto& [key, unused] : value->items()) {
      if (walker_.allows_key(pointer, key)) continue;
      pointers_.push_back(pointer_append(pointer, key));
      if (diagnostics_.all().size() >= kMaxMessages) {
        ++not_shown_;
        continue;
      }
      const std::string suggestion = closest_word(key, allowed);
      std::string hint =
          suggestion.empty()
              ? fmt::format("the keys allowed here are: {}", fmt::join(allowed, ", "))
              : fmt::format("did you mean {}?", quoted_text(suggestion));
      add(doc_.key_where(pointer_append(pointer, key)),
          fmt::format("unknown key {} {}", quoted_text(key),
                      pointer.empty() ? "at the top level of the plan"
                                      : "in " + describer_.object(pointer)),
          std::move(hint));
    }
  }

  void missing(const std::string& pointer, const std::string& key) {
    const std::string description = walker_.property_description(pointer, key);
    add(doc_.where(pointer),
        fmt::format("missing required key {} in {}", quoted_text(key), describer_.object(pointer)),
        description.empty() ? std::string() : fmt::format("add \"{}:\": {}", key, description));
  }

  std::string expected(const std::string& pointer) const {
    const std::string title = walker_.title(pointer);
    if (!title.empty() && !is_noun(title)) return title;
    return describe_types(walker_.types(pointer));
  }

  /// The value as the message shows it; never the value itself where the schema marks the
  /// field writeOnly (a secret source: someone who wrote a password inline must not see it
  /// echoed into logs and terminals).
  std::string shown(const std::string& pointer, const json& value) {
    for (const json* schema : walker_.at(pointer)) {
      if (schema->value("writeOnly", false)) return "a value not repeated here (it may be secret)";
    }
    return describe_value(value);
  }

  void wrong_type(const std::string& pointer, const json& value) {
    std::string hint = hint_for(pointer);
    const auto types = walker_.types(pointer);
    const bool wants_number = std::find(types.begin(), types.end(), "integer") != types.end();
    const bool wants_bool = std::find(types.begin(), types.end(), "boolean") != types.end();
    if (value.is_string() && (wants_number || wants_bool)) {
      static const std::set<std::string> kYesNo{"yes", "no", "ja", "nei", "on", "off", "y", "n"};
      const bool yes_no = kYesNo.count(lower(value.get<std::string>())) > 0;
      hint = !wants_bool ? "write the number without quotes"
             : yes_no    ? "write true or false (yes, no, ja and nei are read as text)"
                         : "write true or false without quotes";
    }
    add(doc_.where(pointer),
        fmt::format("expected {} for {}, found {}", expected(pointer), describer_.field(pointer),
                    shown(pointer, value)),
        std::move(hint));
  }

  void wrong_value(const std::string& pointer, const json& value) {
    std::string hint = hint_for(pointer);
    std::vector<std::string> choices;
    for (const json* schema : walker_.at(pointer)) {
      if (const auto it = schema->find("enum"); it != schema->end() && it->is_array()) {
        for (const auto& choice : *it) {
          if (choice.is_string()) choices.push_back(choice.get<std::string>());
        }
      }
    }
    if (value.is_string() && !choices.empty()) {
      if (const auto suggestion = closest_word(value.get<std::string>(), choices);
          !suggestion.empty()) {
        hint = fmt::format("did you mean {}?", quoted_text(suggestion));
      }
    }
    add(doc_.where(pointer),
        fmt::format("expected {} for {}, found {}", expected(pointer), describer_.field(pointer),
                    shown(pointer, value)),
        std::move(hint));
  }

  void out_of_range(const std::string& pointer, const json& value) {
    std::string limit;
    for (const json* schema : walker_.at(pointer)) {
      const auto minimum = schema->find("minimum");
      const auto maximum = schema->find("maximum");
      if (minimum != schema->end() && value.is_number() && value < *minimum)
        limit = "at least " + minimum->dump();
      if (maximum != schema->end() && value.is_number() && value > *maximum)
        limit = "at most " + maximum->dump();
    }
    add(doc_.where(pointer),
        fmt::format("{} must be {}, found {}", describer_.field(pointer), limit,
                    shown(pointer, value)),
        hint_for(pointer));
  }

  void too_long(const std::string& pointer, const json& value) {
    std::size_t limit = 0;
    for (const json* schema : walker_.at(pointer)) {
      if (const auto it = schema->find("maxLength");
          it != schema->end() && it->is_number_unsigned())
        limit = limit == 0 ? it->get<std::size_t>() : std::min(limit, it->get<std::size_t>());
    }
    const std::size_t length =
        value.is_string() ? character_count(value.get_ref<const std::string&>()) : 0;
    add(doc_.where(pointer),
        fmt::format("{} is {} characters long; at most {} are allowed", describer_.field(pointer),
                    length, limit),
        hint_for(pointer));
  }

  /// "Elements at indexes #0 and #2 violate uniqueness constraint."
  void repeated_item(const std::string& pointer, const std::string& description) {
    const auto index_after = [&description](std::size_t from) -> std::optional<std::size_t> {
      const auto hash = description.find('#', from);
      std::size_t index = 0;
      if (hash == std::string::npos) return std::nullopt;
      const char* begin = description.data() + hash + 1;
      const auto [end, problem] =
          std::from_chars(begin, description.data() + description.size(), index);
      if (problem != std::errc{} || end == begin) return std::nullopt;
      return index;
    };
    const auto first = index_after(0);
    const auto second = first ? index_after(description.find('#') + 1) : std::nullopt;
    if (!first || !second) return generic(pointer, description);
    const std::string item = pointer_append(pointer, *second);
    const json* value = value_at(doc_.json, item);
    add(doc_.where(item),
        fmt::format("{} lists {} twice (items {} and {})", describer_.field(pointer),
                    value ? describe_value(*value) : std::string("a value"), *first + 1,
                    *second + 1),
        "remove one of them");
  }

  void generic(const std::string& pointer, const std::string& description) {
    add(doc_.where(pointer), fmt::format("{}: {}", describer_.field(pointer), description),
        hint_for(pointer));
  }

  const MarkedJson& doc_;
  const SchemaWalker& walker_;
  Describer describer_;
  const std::string& file_;
  Diagnostics diagnostics_;
  std::set<std::string> too_long_;
  std::set<std::string> seen_;
  std::vector<std::string> pointers_;
  std::size_t not_shown_ = 0;
  /// More messages than this from one file help nobody and cost time (every unknown key is
  /// compared with every allowed one).
  static constexpr std::size_t kMaxMessages = 100;
};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment distance: insertions, deletions, substitutions, transpositions.
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string closest_word(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(1, word.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    // The distance is at least the difference in length: skip what cannot be closer (and
    // never build a table for a word of megabytes).
    const std::size_t longer = std::max(word.size(), candidate.size());
    if (longer - std::min(word.size(), candidate.size()) >= best_distance) continue;
    const std::size_t distance = edit_distance(lower(word), lower(candidate));
    if (distance < best_distance && (distance < word.size() || lower(word) == lower(candidate))) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

void coerce_to_schema_types(MarkedJson& doc, std::string_view schema_json) {
  const CompiledSchema& schema = compiled(schema_json);
  if (!schema.parse_error.empty()) return;
  const SchemaWalker walker(schema.document);
  for (const auto& [pointer, text] : doc.plain_text) {
    json* value = nullptr;
    try {
      value = &doc.json.at(json::json_pointer(pointer));
    } catch (const json::exception&) {
      continue;
    }
    const auto types = walker.types(pointer);
    if (types.empty() || std::find(types.begin(), types.end(), "string") == types.end()) continue;
    const bool accepted = std::any_of(types.begin(), types.end(), [value](const std::string& t) {
      return (t == "integer" && value->is_number_integer()) ||
             (t == "number" && value->is_number()) || (t == "boolean" && value->is_boolean()) ||
             (t == "null" && value->is_null());
    });
    if (!accepted && !value->is_null()) *value = text;
  }
}

Diagnostics check_against_schema(const MarkedJson& doc, std::string_view schema_json,
                                 const std::string& file,
                                 std::vector<std::string>* error_pointers) {
  const CompiledSchema& schema = compiled(schema_json);
  if (!schema.parse_error.empty()) {
    Diagnostics diagnostics;
    diagnostics.error(
        {file, 0, 0},
        "internal error: the embedded JSON Schema cannot be read: " + schema.parse_error,
        "this is a bug in plancal; please report it");
    return diagnostics;
  }
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter adapter(doc.json);
  validator.validate(schema.schema, adapter, &results);
  std::vector<std::pair<std::string, std::string>> errors;
  std::set<std::string> too_long;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    errors.emplace_back(pointer_from_context(error.context), std::move(error.description));
    if (starts_with(errors.back().second, "String should be no more than"))
      too_long.insert(errors.back().first);
  }
  const SchemaWalker walker(schema.document);
  Translator translator(doc, walker, file, std::move(too_long));
  for (const auto& [pointer, description] : errors) translator.translate(pointer, description);
  if (error_pointers) *error_pointers = translator.take_pointers();
  return translator.take();
}

}  // namespace plancal
