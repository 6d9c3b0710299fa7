#include "schema/yaml_json.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "base/text.h"

namespace plancal {

namespace {

using nlohmann::json;

// --- positions -------------------------------------------------------------------------------

SourceLocation location_at_offset(std::string_view text, std::size_t offset,
                                  const std::string& file) {
  SourceLocation where{file, 1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++where.line;
      where.column = 1;
    } else {
      ++where.column;
    }
  }
  return where;
}

SourceLocation location_of(const YAML::Mark& mark, const std::string& file) {
  if (mark.is_null() || mark.line < 0) return SourceLocation{file, 0, 0};
  return SourceLocation{file, mark.line + 1, mark.column + 1};
}

// --- scalars (YAML 1.2 core schema) ----------------------------------------------------------

bool is_core_null(const std::string& text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

std::optional<bool> core_bool(const std::string& text) {
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  return std::nullopt;
}

bool all_digits(std::string_view text, int base) {
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(), [base](char c) {
    if (base == 8) return c >= '0' && c <= '7';
    if (base == 16) return std::isxdigit(static_cast<unsigned char>(c)) != 0;
    return c >= '0' && c <= '9';
  });
}

std::optional<std::int64_t> core_int(const std::string& text) {
  std::string_view digits = text;
  int base = 10;
  if (digits.substr(0, 2) == "0o") {
    base = 8;
    digits.remove_prefix(2);
  } else if (digits.substr(0, 2) == "0x") {
    base = 16;
    digits.remove_prefix(2);
  } else if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) {
    if (digits.front() == '+') digits.remove_prefix(1);
    if (!all_digits(digits.substr(digits.front() == '-' ? 1 : 0), 10)) return std::nullopt;
  }
  if (base != 10 || digits.empty() || digits.front() != '-') {
    if (!all_digits(digits, base)) return std::nullopt;
  }
  std::int64_t value = 0;
  const auto [end, error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (error != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

std::optional<double> core_float(const std::string& text) {
  // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
  std::size_t i = 0;
  const auto digits = [&text, &i] {
    const std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i - start;
  };
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  const std::size_t whole = digits();
  std::size_t fraction = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    fraction = digits();
  }
  if (whole == 0 && fraction == 0) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (digits() == 0) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  try {
    return std::stod(text);
  } catch (const std::exception&) {
    return std::nullopt;  // out of range: keep it as text
  }
}

/// A plain scalar's JSON value; quoted and explicitly tagged scalars stay text.
json scalar_value(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() != "?") return text;
  if (is_core_null(text)) return nullptr;
  if (const auto b = core_bool(text)) return *b;
  if (const auto i = core_int(text)) return *i;
  if (const auto f = core_float(text)) return *f;
  return text;
}

/// The first character a value may not hold even when a quoted scalar's escape writes it
/// (\0, \a, \x1B, \N): C0 controls other than tab, line feed and carriage return, DEL, and C1
/// controls. `text` is valid UTF-8.
std::optional<unsigned> forbidden_character(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) return c;
    if (c == 0xc2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9f) return next;  // U+0080..U+009F
    }
  }
  return std::nullopt;
}

// --- the tree walk ---------------------------------------------------------------------------

class Converter {
 public:
  /// `max_nodes` bounds the work: a document cannot hold more values than it has bytes
  /// unless aliases (*name) repeat parts of it ("billion laughs").
  Converter(const std::string& file, MarkedJson& out, Diagnostics& diagnostics,
            std::size_t max_nodes)
      : file_(file), out_(out), diagnostics_(diagnostics), max_nodes_(max_nodes) {}

  /// `in_list`: the node is an item of a sequence (for messages about it).
  json convert(const YAML::Node& node, const std::string& pointer, SourceLocation fallback,
               int depth, bool in_list) {
    if (failed_) return nullptr;
    SourceLocation where = location_of(node.Mark(), file_);
    if (where.line == 0) where = fallback;
    if (!mark(pointer, where)) return nullptr;
    if (++nodes_ > max_nodes_) {
      return fail(
          where, fmt::format("the file expands to more than {} values", max_nodes_),
          "aliases (*name) repeat parts of the file too often; write the values out instead");
    }
    if (depth > kMaxYamlDepth)
      return fail(where, fmt::format("values are nested more than {} levels deep", kMaxYamlDepth),
                  "a plan needs only a few levels; check the brackets");
    switch (node.Type()) {
      case YAML::NodeType::Sequence:
        return sequence(node, pointer, depth);
      case YAML::NodeType::Map:
        return mapping(node, pointer, depth);
      case YAML::NodeType::Scalar:
        return scalar(node, pointer, where, in_list);
      default:
        return nullptr;
    }
  }

 private:
  json fail(const SourceLocation& where, std::string message, std::string hint) {
    diagnostics_.error(where, std::move(message), std::move(hint));
    failed_ = true;
    return nullptr;
  }

  /// Records where `pointer` is, within the budget for pointers; false when it is spent.
  bool mark(const std::string& pointer, const SourceLocation& where) {
    pointer_bytes_ += pointer.size() + 8;
    if (pointer_bytes_ > kMaxYamlPointerBytes) {
      fail(where, "the file holds too many values under long keys to be checked",
           "use shorter keys, or fewer values under them");
      return false;
    }
    out_.marks[pointer] = where;
    return true;
  }

  /// Reports text over `limit` characters; false when it is too long. `what` names the text
  /// in the message.
  template <class What>
  bool within_limit(const std::string& text, std::size_t limit, const SourceLocation& where,
                    What what, std::string hint) {
    if (text.size() <= limit) return true;  // bytes >= characters
    const std::size_t characters = character_count(text);
    if (characters <= limit) return true;
    diagnostics_.error(
        where,
        fmt::format("{} is {} characters long; at most {} are allowed", what(), characters, limit),
        std::move(hint));
    if (++length_errors_ >= kMaxLengthErrors) failed_ = true;
    return false;
  }

  /// Reports text that escapes made into something no file may hold; false then.
  template <class What>
  bool readable(const std::string& text, const SourceLocation& where, What what) {
    if (find_invalid_utf8(text) != std::string_view::npos) {
      diagnostics_.error(where, fmt::format("{} is not valid UTF-8 text", what()),
                         "an escape like \\uD800 writes half of a character; write the "
                         "character itself");
    } else if (const auto c = forbidden_character(text)) {
      diagnostics_.error(where,
                         fmt::format("{} contains the control character U+{:04X}", what(), *c),
                         "remove it; in quoted text, escapes like \\0, \\a or \\x1B write "
                         "invisible control characters");
    } else {
      return true;
    }
    if (++length_errors_ >= kMaxLengthErrors) failed_ = true;
    return false;
  }

  json scalar(const YAML::Node& node, const std::string& pointer, const SourceLocation& where,
              bool in_list) {
    const auto what = [&pointer, in_list] {
      const auto tokens = pointer_tokens(pointer);
      if (tokens.empty()) return std::string("the value");
      if (!in_list) return fmt::format("the value of {}", quoted_text(tokens.back()));
      return fmt::format(
          "item {} of {}", std::stoul(tokens.back()) + 1,
          tokens.size() > 1 ? quoted_text(tokens[tokens.size() - 2]) : std::string("the list"));
    };
    if (!within_limit(node.Scalar(), kMaxYamlScalarChars, where, what,
                      "is this the right text? Keep long texts in a document and link to it") ||
        !readable(node.Scalar(), where, what))
      return nullptr;
    json value = scalar_value(node);
    if (!value.is_string()) out_.plain_text[pointer] = node.Scalar();
    return value;
  }

  json sequence(const YAML::Node& node, const std::string& pointer, int depth) {
    json array = json::array();
    const SourceLocation here = out_.marks[pointer];
    std::size_t index = 0;
    for (const auto& item : node) {
      array.push_back(convert(item, pointer_append(pointer, index++), here, depth + 1, true));
    }
    return array;
  }

  json mapping(const YAML::Node& node, const std::string& pointer, int depth) {
    json object = json::object();
    for (auto it = node.begin(); it != node.end(); ++it) {
      const SourceLocation key_where = location_of(it->first.Mark(), file_);
      if (!it->first.IsScalar()) {
        diagnostics_.error(key_where, "a key must be a single word or text, not a list or mapping",
                           "write the key as plain text followed by a colon");
        continue;
      }
      const std::string key = it->first.Scalar();
      const auto a_key = [] { return std::string("a key"); };
      if (!within_limit(key, kMaxYamlKeyChars, key_where, a_key,
                        "keys are short names; is a line break or a space after a ':' missing?") ||
          !readable(key, key_where, a_key))
        continue;
      const std::string child = pointer_append(pointer, key);
      if (object.contains(key)) {
        if (out_.duplicates.size() < kMaxDuplicates)  // enough to report; the rest is noise
          out_.duplicates.push_back({pointer, key, out_.key_where(child), key_where});
        continue;
      }
      if (!mark(child + "#key", key_where)) return object;
      object[key] = convert(it->second, child, key_where, depth + 1, false);
    }
    return object;
  }

  const std::string& file_;
  MarkedJson& out_;
  Diagnostics& diagnostics_;
  std::size_t max_nodes_;
  std::size_t nodes_ = 0;
  std::size_t pointer_bytes_ = 0;
  std::size_t length_errors_ = 0;
  bool failed_ = false;
  /// After this many values or keys over their limit the rest of the file is not read.
  static constexpr std::size_t kMaxLengthErrors = 20;
  static constexpr std::size_t kMaxDuplicates = 100;
};

std::optional<std::size_t> find_control_byte(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) return i;
  }
  return std::nullopt;
}

/// Checks that make the text safe to hand to the YAML parser.
bool check_text(std::string_view text, const std::string& file, std::string_view what,
                Diagnostics& d) {
  if (text.size() > kMaxYamlBytes) {
    d.error({file, 0, 0},
            fmt::format("the {} is too large ({} bytes; the limit is {} MiB)", what, text.size(),
                        kMaxYamlBytes >> 20),
            "is this the right file? plans are text files of a few kilobytes");
    return false;
  }
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    d.error(location_at_offset(text, nul, file),
            fmt::format("the {} contains NUL bytes: it is a binary file, not YAML text", what),
            "is this the right file?");
    return false;
  }
  if (const auto bad = find_invalid_utf8(text); bad != std::string_view::npos) {
    d.error(location_at_offset(text, bad, file),
            fmt::format("the {} is not valid UTF-8 text (byte 0x{:02X})", what,
                        static_cast<unsigned char>(text[bad])),
            "save the file as UTF-8 (in most editors: \"Save with encoding\" -> UTF-8)");
    return false;
  }
  if (const auto control = find_control_byte(text)) {
    d.error(location_at_offset(text, *control, file),
            fmt::format("the {} contains a control character (byte 0x{:02X}); is it a binary file?",
                        what, static_cast<unsigned char>(text[*control])),
            "a plan is a YAML text file");
    return false;
  }
  return true;
}

/// The offset of the first '[' or '{' nested deeper than `limit` levels of flow brackets
/// (outside quotes and comments), to place the error when the YAML parser gave up on depth.
std::optional<std::size_t> find_deep_flow_nesting(std::string_view text, int limit) {
  int depth = 0;
  char quote = 0;
  bool comment = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (comment) {
      comment = c != '\n';
    } else if (quote != 0) {
      if (c == '\\' && quote == '"')
        ++i;
      else if (c == quote)
        quote = 0;
    } else if ((c == '"' || c == '\'') &&
               (i == 0 ||
                std::string_view(" \t\n[{,:").find(text[i - 1]) != std::string_view::npos)) {
      quote = c;  // a quote opens a scalar only where a scalar may start
    } else if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\n')) {
      comment = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

bool only_whitespace_and_comments(std::string_view text) {
  bool in_comment = false;
  for (const char c : text) {
    if (c == '\n')
      in_comment = false;
    else if (c == '#')
      in_comment = true;
    else if (!in_comment && c != ' ' && c != '\t' && c != '\r')
      return false;
  }
  return true;
}

}  // namespace

SourceLocation MarkedJson::where(const std::string& pointer) const {
  std::string p = pointer;
  while (true) {
    if (const auto it = marks.find(p); it != marks.end() && it->second.line > 0) return it->second;
    if (p.empty()) return marks.count("") ? marks.at("") : SourceLocation{};
    const auto slash = p.rfind('/');
    p.erase(slash == std::string::npos ? 0 : slash);
  }
}

SourceLocation MarkedJson::key_where(const std::string& pointer) const {
  if (const auto it = marks.find(pointer + "#key"); it != marks.end()) return it->second;
  return where(pointer);
}

std::size_t find_invalid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = c < 0x80           ? 1
                         : (c >> 5) == 0x6  ? 2
                         : (c >> 4) == 0xe  ? 3
                         : (c >> 3) == 0x1e ? 4
                                            : 0;
    if (length == 0 || i + length > text.size()) return i;
    std::uint32_t code = length == 1   ? c
                         : length == 2 ? (c & 0x1f)
                         : length == 3 ? (c & 0x0f)
                                       : (c & 0x07);
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next >> 6) != 0x2) return i;
      code = (code << 6) | (next & 0x3f);
    }
    const bool overlong = (length == 2 && code < 0x80) || (length == 3 && code < 0x800) ||
                          (length == 4 && code < 0x10000);
    if (overlong || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += length;
  }
  return std::string_view::npos;
}

std::string pointer_append(const std::string& pointer, std::string_view token) {
  std::string out = pointer + "/";
  for (const char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string pointer_append(const std::string& pointer, std::size_t index) {
  return pointer + "/" + std::to_string(index);
}

std::vector<std::string> pointer_tokens(std::string_view pointer) {
  std::vector<std::string> tokens;
  std::size_t start = 1;
  while (start <= pointer.size() && !pointer.empty()) {
    std::size_t end = pointer.find('/', start);
    if (end == std::string_view::npos) end = pointer.size();
    std::string token;
    for (std::size_t i = start; i < end; ++i) {
      if (pointer[i] == '~' && i + 1 < end) {
        token += pointer[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        token += pointer[i];
      }
    }
    tokens.push_back(std::move(token));
    start = end + 1;
  }
  return tokens;
}

YamlLoad yaml_to_json(std::string_view text, const std::string& file, std::string_view what) {
  YamlLoad result;
  if (!check_text(text, file, what, result.diagnostics)) return result;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (only_whitespace_and_comments(text)) {
    result.diagnostics.error(
        {file, 0, 0}, fmt::format("the {} is empty", what),
        "see docs/plan-format.md or schemas/plan.schema.json for what to write");
    return result;
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::DeepRecursion& e) {  // yaml-cpp's own guard, far past ours
    const auto deep = find_deep_flow_nesting(text, kMaxYamlDepth);
    result.diagnostics.error(
        deep ? location_at_offset(text, *deep, file) : location_of(e.mark, file),
        fmt::format("values are nested more than {} levels deep", kMaxYamlDepth),
        "a plan needs only a few levels; check the brackets");
    return result;
  } catch (const YAML::ParserException& e) {
    result.diagnostics.error(
        location_of(e.mark, file), fmt::format("YAML syntax error: {}", e.msg),
        "check indentation, colons and quotes on this line and the one before");
    return result;
  } catch (const std::exception& e) {
    result.diagnostics.error({file, 0, 0}, fmt::format("could not read the YAML: {}", e.what()));
    return result;
  }
  Converter converter(file, result.doc, result.diagnostics,
                      std::min(kMaxYamlNodes, text.size() + 1000));
  try {
    result.doc.json = converter.convert(root, "", SourceLocation{file, 1, 1}, 0, false);
  } catch (const YAML::Exception& e) {
    result.diagnostics.error(location_of(e.mark, file),
                             fmt::format("could not read the YAML: {}", e.msg));
  } catch (const std::exception& e) {
    result.diagnostics.error({file, 0, 0}, fmt::format("could not read the YAML: {}", e.what()));
  }
  return result;
}

bool read_text_file(const std::string& path, std::size_t max_bytes, std::string& out,
                    Diagnostics& diagnostics, std::string_view what) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status)) {
    diagnostics.error({path, 0, 0}, fmt::format("cannot open the {}: it does not exist", what),
                      "check the path");
    return false;
  }
  if (!std::filesystem::is_regular_file(status)) {
    diagnostics.error({path, 0, 0},
                      fmt::format("cannot read the {}: it is not a regular file", what));
    return false;
  }
  const auto size = std::filesystem::file_size(path, error);
  if (!error && size > max_bytes) {
    diagnostics.error({path, 0, 0},
                      fmt::format("the {} is too large ({} bytes; the limit is {} MiB)", what, size,
                                  max_bytes >> 20),
                      "is this the right file? plans are text files of a few kilobytes");
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diagnostics.error({path, 0, 0}, fmt::format("cannot open the {} (permission denied?)", what));
    return false;
  }
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (out.size() > max_bytes) {  // the file grew while we read it
    diagnostics.error({path, 0, 0}, fmt::format("the {} is too large (the limit is {} MiB)", what,
                                                max_bytes >> 20));
    return false;
  }
  return true;
}

}  // namespace plancal
