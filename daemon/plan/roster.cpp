#include "plan/roster.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/text.h"
#include "plan/builder.h"
#include "plan/csv.h"
#include "plan/loader.h"
#include "schema/schema_check.h"
#include "schema/yaml_json.h"

namespace plancal {

namespace {

const std::vector<std::string> kColumns{"id",     "name",       "email", "team",
                                        "leader", "reports_to", "roles"};

/// The most errors one roster file gets before its remaining rows are left unchecked.
constexpr std::size_t kMaxRosterErrors = 100;

/// The longest text each column may hold: the maxLength of the same field of a person in the
/// plan schema (for roles, of one role key), so a CSV roster has the limits of an inline one.
const std::map<std::string, std::size_t>& column_limits() {
  static const std::map<std::string, std::size_t> kLimits = [] {
    const nlohmann::json plan = nlohmann::json::parse(plan_schema_json());
    const nlohmann::json& definitions = plan.at("definitions");
    const auto limit_of = [&definitions](const nlohmann::json& field) -> std::size_t {
      const nlohmann::json* schema = &field;
      if (schema->contains("$ref")) {
        const std::string ref = schema->at("$ref").get<std::string>();
        schema = &definitions.at(ref.substr(ref.rfind('/') + 1));
      }
      return schema->value("maxLength", kMaxYamlScalarChars);
    };
    std::map<std::string, std::size_t> limits;
    const nlohmann::json& person = definitions.at("person").at("properties");
    for (const auto& column : kColumns) {
      if (column == "leader") continue;
      limits[column] = column == "roles" ? limit_of(person.at("roles").at("items"))
                                         : limit_of(person.at(column));
    }
    return limits;
  }();
  return kLimits;
}

std::string trim_blanks(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

/// Maps header names to column indexes, reporting unknown, repeated and missing columns.
std::map<std::string, std::size_t> read_header(const CsvRecord& header, const std::string& file,
                                               Diagnostics& d) {
  std::map<std::string, std::size_t> columns;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string name = lower(trim_blanks(header[i].text));
    const SourceLocation where{file, header[i].line, header[i].column};
    if (std::find(kColumns.begin(), kColumns.end(), name) == kColumns.end()) {
      static const std::map<std::string, std::string> kNorwegian{{"navn", "name"},
                                                                 {"epost", "email"},
                                                                 {"e-post", "email"},
                                                                 {"lag", "team"},
                                                                 {"leder", "leader"},
                                                                 {"roller", "roles"},
                                                                 {"rapporterer_til", "reports_to"}};
      const auto translated = kNorwegian.find(name);
      const std::string suggestion =
          translated != kNorwegian.end() ? translated->second : closest_word(name, kColumns);
      d.error(where, fmt::format("unknown column {} in the roster header", quoted_text(name)),
              suggestion.empty() ? fmt::format("the columns are {}", fmt::join(kColumns, ","))
                                 : fmt::format("did you mean {}?", quoted_text(suggestion)));
    } else if (!columns.emplace(name, i).second) {
      d.error(where,
              fmt::format("column {} appears twice in the roster header", quoted_text(name)));
    }
  }
  for (const char* required : {"id", "name"}) {
    if (!columns.count(required)) {
      d.error({file, header.empty() ? 1 : header[0].line, 1},
              fmt::format("the roster header has no \"{}\" column", required),
              fmt::format("the first line names the columns: {}", fmt::join(kColumns, ",")));
    }
  }
  return columns;
}

std::optional<bool> parse_leader(const std::string& text) {
  const std::string value = lower(trim_blanks(text));
  if (value.empty() || value == "no" || value == "false" || value == "nei") return false;
  if (value == "yes" || value == "true" || value == "ja") return true;
  return std::nullopt;
}

class CsvRosterReader {
 public:
  CsvRosterReader(const std::string& file, Diagnostics& d) : file_(file), d_(d) {}

  std::optional<Person> person(const CsvRecord& record,
                               const std::map<std::string, std::size_t>& columns,
                               std::size_t width) {
    const SourceLocation row{file_, record[0].line, 1};
    if (record.size() != width) {
      d_.error(row,
               fmt::format("this row has {} fields, but the header has {}", record.size(), width),
               "a field holding a comma must be in quotes: \"Nordmann, Kari\"");
      return std::nullopt;
    }
    const auto field = [&](const char* name) -> const CsvField* {
      const auto it = columns.find(name);
      return it == columns.end() ? nullptr : &record[it->second];
    };
    const auto text = [&](const char* name) {
      return field(name) ? trim_blanks(field(name)->text) : std::string();
    };
    const auto where = [&](const char* name) {
      return SourceLocation{file_, field(name)->line, field(name)->column};
    };
    bool fits = true;
    for (const auto& [column, limit] : column_limits()) {
      if (field(column.c_str()) && !fits_limit(column, *field(column.c_str()), limit)) fits = false;
    }
    if (!fits) return std::nullopt;
    Person p;
    p.where = row;
    p.id = text("id");
    p.name = text("name");
    p.email = text("email");
    p.team = text("team");
    p.reports_to = text("reports_to");
    bool ok = check(p.id, valid_person_id, "id",
                    "a person id of lower-case letters, digits, '.', '-' and '_'", field("id"));
    if (p.name.empty() && field("name")) {
      d_.error(where("name"), fmt::format("person {} has no name", quoted_text(p.id)),
               "fill in the name column");
      ok = false;
    }
    if (!p.team.empty()) ok = check(p.team, valid_key, "team", "a team key", field("team")) && ok;
    if (!p.reports_to.empty())
      ok = check(p.reports_to, valid_person_id, "reports_to", "a person id", field("reports_to")) &&
           ok;
    if (field("leader")) {
      const auto leader = parse_leader(field("leader")->text);
      if (!leader) {
        d_.error(where("leader"),
                 fmt::format("expected yes or no for leader, found {}",
                             quoted_text(trim_blanks(field("leader")->text))),
                 "leader is one of yes/no, ja/nei, true/false, or empty for no");
        ok = false;
      }
      p.leader = leader.value_or(false);
    }
    for (std::size_t start = 0; field("roles") && start <= field("roles")->text.size();) {
      const std::string& roles = field("roles")->text;
      auto end = roles.find(';', start);
      if (end == std::string::npos) end = roles.size();
      if (std::string role = trim_blanks(std::string_view(roles).substr(start, end - start));
          !role.empty()) {
        ok = check(role, valid_key, "roles", "role keys separated by ';'", field("roles")) && ok;
        p.roles.push_back(std::move(role));
      }
      start = end + 1;
    }
    if (!ok) return std::nullopt;
    return p;
  }

 private:
  /// Whether the column's text (each role, for roles) is within `limit` characters; reports
  /// it when not.
  bool fits_limit(const std::string& column, const CsvField& f, std::size_t limit) {
    std::size_t longest = 0;
    if (column == "roles") {
      for (std::size_t start = 0; start <= f.text.size();) {
        const auto end = std::min(f.text.find(';', start), f.text.size());
        longest = std::max(
            longest,
            character_count(trim_blanks(std::string_view(f.text).substr(start, end - start))));
        start = end + 1;
      }
    } else {
      longest = character_count(trim_blanks(f.text));
    }
    if (longest <= limit) return true;
    d_.error({file_, f.line, f.column},
             fmt::format("{} in column {} is {} characters long; at most {} are allowed",
                         column == "roles" ? "a role" : "the value", column, longest, limit),
             f.text.find('"') != std::string::npos
                 ? "is a quote missing? a quoted field runs until its closing quote"
                 : "is this the right column?");
    return false;
  }

  bool check(const std::string& value, bool (*valid)(std::string_view), const char* column,
             const char* expected, const CsvField* f) {
    if (valid(value)) return true;
    d_.error(
        {file_, f->line, f->column},
        fmt::format("expected {} in column {}, found {}", expected, column, quoted_text(value)),
        value.empty() ? "every person needs an id, e.g. kari" : std::string());
    return false;
  }

  /// ^[a-z0-9][a-z0-9._-]*$, as in the schema's person_id.
  static bool valid_person_id(std::string_view text) {
    const auto lower_or_digit = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    };
    return !text.empty() && lower_or_digit(text[0]) &&
           std::all_of(text.begin(), text.end(), [&](char c) {
             return lower_or_digit(c) || c == '.' || c == '_' || c == '-';
           });
  }
  /// ^[A-Za-z0-9][A-Za-z0-9_-]*$, as in the schema's key.
  static bool valid_key(std::string_view text) {
    const auto alnum = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    };
    return !text.empty() && alnum(text[0]) && std::all_of(text.begin(), text.end(), [&](char c) {
      return alnum(c) || c == '_' || c == '-';
    });
  }
  const std::string& file_;
  Diagnostics& d_;
};

bool has_extension(const std::string& path, std::string_view extension) {
  return path.size() >= extension.size() &&
         lower(path.substr(path.size() - extension.size())) == extension;
}

}  // namespace

const std::string& roster_schema_json() {
  static const std::string kSchema = [] {
    nlohmann::json plan = nlohmann::json::parse(plan_schema_json());
    nlohmann::json roster;
    roster["$schema"] = "http://json-schema.org/draft-07/schema#";
    roster["title"] = "roster";
    roster["description"] = "A roster file: a list of people, or {people: [...]}.";
    roster["type"] = {"array", "object"};
    roster["items"] = {{"$ref", "#/definitions/person"}};
    roster["required"] = nlohmann::json::array({"people"});
    roster["properties"]["people"] = {{"description", "The people of the roster."},
                                      {"type", "array"},
                                      {"items", {{"$ref", "#/definitions/person"}}}};
    roster["additionalProperties"] = false;
    roster["definitions"] = plan["definitions"];
    return roster.dump();
  }();
  return kSchema;
}

RosterLoad parse_roster_csv(std::string_view text, const std::string& file) {
  RosterLoad load;
  if (const auto bad = find_invalid_utf8(text); bad != std::string_view::npos) {
    const auto line =
        1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n');
    load.diagnostics.error({file, static_cast<int>(line), 1},
                           "the roster file is not valid UTF-8 text",
                           "export the spreadsheet as \"CSV UTF-8\"");
    return load;
  }
  const auto records = parse_csv(text, file, load.diagnostics);
  if (records.empty()) {
    load.diagnostics.error(
        {file, 0, 0}, "the roster file is empty",
        fmt::format("the first line names the columns: {}", fmt::join(kColumns, ",")));
    return load;
  }
  Diagnostics header_errors;
  const auto columns = read_header(records[0], file, header_errors);
  load.diagnostics.append(header_errors);
  if (header_errors.has_errors()) return load;
  CsvRosterReader reader(file, load.diagnostics);
  for (std::size_t i = 1; i < records.size(); ++i) {
    if (load.diagnostics.error_count() >= kMaxRosterErrors) {
      load.diagnostics.error({file, records[i][0].line, 1},
                             fmt::format("{} more rows are not checked", records.size() - i),
                             "fix the errors above first; is this the right file?");
      break;
    }
    if (auto person = reader.person(records[i], columns, records[0].size()))
      load.people.push_back(std::move(*person));
  }
  return load;
}

RosterLoad parse_roster_yaml(std::string_view text, const std::string& file) {
  RosterLoad load;
  YamlLoad yaml = yaml_to_json(text, file, "roster file");
  load.diagnostics = std::move(yaml.diagnostics);
  if (load.diagnostics.has_errors()) return load;
  coerce_to_schema_types(yaml.doc, roster_schema_json());
  load.diagnostics.append(check_against_schema(yaml.doc, roster_schema_json(), file));
  for (const auto& duplicate : yaml.doc.duplicates) {
    load.diagnostics.error(
        duplicate.second, fmt::format("key {} is written twice", quoted_text(duplicate.key)),
        fmt::format("the first is at line {}; remove one", duplicate.first.line));
  }
  if (load.diagnostics.has_errors()) return load;
  const bool wrapped = yaml.doc.json.is_object();
  const auto& list = wrapped ? yaml.doc.json["people"] : yaml.doc.json;
  for (std::size_t i = 0; i < list.size(); ++i) {
    load.people.push_back(build_person(yaml.doc, pointer_append(wrapped ? "/people" : "", i)));
  }
  return load;
}

namespace {

RosterLoad parse_roster_file(const std::string& text, const std::string& path) {
  if (has_extension(path, ".csv")) return parse_roster_csv(text, path);
  if (has_extension(path, ".yaml") || has_extension(path, ".yml"))
    return parse_roster_yaml(text, path);
  RosterLoad load;
  load.diagnostics.error({path, 0, 0}, "a roster file must end in .yaml, .yml or .csv");
  return load;
}

/// The last parse of each roster file, by path, with the bytes it was parsed from. Parsing is
/// a pure function of the path and the bytes, so a parse kept for the same bytes is the parse
/// anew. A process keeps few rosters; past kMaxKept paths it starts over.
class RosterMemo {
 public:
  /// The kept parse of `path` when it was made from exactly `text`.
  std::optional<RosterLoad> find(const std::string& path, const std::string& text) const {
    const std::lock_guard lock(mutex_);
    const auto found = kept_.find(path);
    if (found == kept_.end() || found->second.text != text) return std::nullopt;
    return found->second.load;
  }

  void keep(const std::string& path, std::string text, const RosterLoad& load) {
    const std::lock_guard lock(mutex_);
    if (kept_.size() >= kMaxKept && !kept_.contains(path)) kept_.clear();
    kept_[path] = Kept{std::move(text), load};
  }

 private:
  static constexpr std::size_t kMaxKept = 16;
  struct Kept {
    std::string text;
    RosterLoad load;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Kept> kept_;
};

RosterMemo& roster_memo() {
  static RosterMemo memo;
  return memo;
}

}  // namespace

RosterLoad load_roster_file(const std::string& path) {
  RosterLoad load;
  std::string text;
  if (!read_text_file(path, kMaxYamlBytes, text, load.diagnostics, "roster file")) return load;
  if (auto kept = roster_memo().find(path, text)) return std::move(*kept);
  load = parse_roster_file(text, path);
  roster_memo().keep(path, std::move(text), load);
  return load;
}

}  // namespace plancal

namespace plancal {

std::vector<std::uint32_t> positions_by_id(const std::vector<Person>& people) {
  std::vector<std::uint32_t> positions(people.size());
  for (std::uint32_t i = 0; i < positions.size(); ++i) positions[i] = i;
  std::stable_sort(positions.begin(), positions.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return people[a].id < people[b].id; });
  return positions;
}

}  // namespace plancal
