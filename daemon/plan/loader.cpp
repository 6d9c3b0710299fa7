#include "plan/loader.h"

#include <exception>
#include <filesystem>

#include <fmt/format.h>

#include "base/text.h"
#include "plan/builder.h"
#include "plan/checks.h"
#include "plan/expansion_size.h"
#include "plan/roster.h"
#include "schema/schema_check.h"
#include "schema/taint.h"
#include "schema/yaml_json.h"

namespace plancal::embedded {
extern const std::string_view kPlanSchema;
}  // namespace plancal::embedded

namespace plancal {

namespace {

using nlohmann::json;

/// The most diagnostics one plan file gets: enough to fix a plan, few enough to read.
constexpr std::size_t kMaxReportedPlanErrors = 100;

std::string kind_of(const json& value) {
  switch (value.type()) {
    case json::value_t::array:
      return "a list";
    case json::value_t::null:
      return "empty";
    case json::value_t::object:
      return "a mapping";
    case json::value_t::string:
      return fmt::format("a single value ({})", quoted_text(value.get_ref<const std::string&>()));
    default:
      return fmt::format("a single value ({})", value.dump());
  }
}

/// "team \"B\" is listed twice in the dates of meeting 3" and the like, for keys YAML lets
/// through but the plan cannot mean.
void report_duplicates(const MarkedJson& doc, Diagnostics& diagnostics) {
  for (const auto& dup : doc.duplicates) {
    const std::string hint =
        fmt::format("the first is at line {}; remove one of them", dup.first.line);
    const auto tokens = pointer_tokens(dup.parent_pointer);
    if (!tokens.empty() && tokens.back() == "dates" && tokens.size() >= 2) {
      const json::json_pointer number(dup.parent_pointer.substr(0, dup.parent_pointer.rfind('/')) +
                                      "/number");
      const json* value = doc.json.contains(number) ? &doc.json.at(number) : nullptr;
      const std::string meeting = !value               ? std::string()
                                  : value->is_string() ? quoted_text(value->get<std::string>())
                                                       : value->dump();
      diagnostics.error(dup.second,
                        fmt::format("team {} is listed twice in the dates of meeting {}",
                                    shown_text(dup.key), meeting),
                        fmt::format("the first is at line {}; each team has one date per meeting",
                                    dup.first.line));
    } else if (!tokens.empty() && tokens.back() == "changes") {
      diagnostics.error(dup.second,
                        fmt::format("meeting {} is listed twice in changes", shown_text(dup.key)),
                        hint);
    } else {
      diagnostics.error(dup.second, fmt::format("key {} is written twice", quoted_text(dup.key)),
                        hint);
    }
  }
}

/// Loads the roster file named in the plan; problems opening it are placed at `roster:`.
bool load_roster(Plan& plan, const MarkedJson& doc, const std::string& base_dir,
                 Diagnostics& diagnostics) {
  const std::string name = doc.json.at("roster").get<std::string>();
  std::filesystem::path path(name);
  if (path.is_relative() && !base_dir.empty()) path = std::filesystem::path(base_dir) / path;
  RosterLoad roster = load_roster_file(path.lexically_normal().string());
  for (Diagnostic d : roster.diagnostics.all()) {
    if (d.where.line == 0) {
      d.message = fmt::format("roster {}: {}", quoted_text(name), d.message);
      d.hint = fmt::format("a roster path is relative to the plan file's folder (looked for {})",
                           quoted_text(d.where.file, 200));
      d.where = doc.where("/roster");
    }
    diagnostics.add(std::move(d));
  }
  plan.roster = std::move(roster.people);
  return !roster.diagnostics.has_errors();
}

PlanLoad load(std::string_view text, const std::string& file, const std::string& base_dir) {
  PlanLoad result;
  Diagnostics& d = result.diagnostics;
  YamlLoad yaml = yaml_to_json(text, file, "plan file");
  d = std::move(yaml.diagnostics);
  if (d.has_errors()) return result;
  MarkedJson& doc = yaml.doc;
  if (!doc.json.is_object()) {
    d.error(
        doc.where(""),
        fmt::format("a plan must be a mapping of keys (plan:, title:, ...), but this file is {}",
                    kind_of(doc.json)),
        "start with lines like \"plan: my-plan\" and \"title: My plan\"");
    return result;
  }
  coerce_to_schema_types(doc, plan_schema_json());
  std::vector<std::string> wrong;
  d.append(check_against_schema(doc, plan_schema_json(), file, &wrong));
  report_duplicates(doc, d);  // the first of two keys is kept, so checking can go on
  const Taint taint(doc, wrong);

  // Build and check what the schema found right, so every mistake is reported in one run.
  Diagnostics findings;
  Plan plan = build_plan(doc, file, findings);
  CheckScope scope;
  scope.roster_inline = !doc.json.contains("roster") || !doc.json["roster"].is_string();
  scope.teams_complete = !taint.touches("/teams");
  scope.roles_complete = !taint.touches("/roles");
  scope.roster_complete = !taint.touches("/roster");
  if (!scope.roster_inline && scope.roster_complete)
    scope.roster_complete = load_roster(plan, doc, base_dir, d);
  findings.append(check_plan(plan, doc, scope));
  if (!d.has_errors() && !findings.has_errors()) findings.append(check_expansion_size(plan));
  d.append(taint.filter(findings, file));
  if (!d.has_errors()) {
    plan.roster_by_id = positions_by_id(plan.roster);
    result.plan = std::move(plan);
  }
  return result;
}

PlanLoad finish(PlanLoad result, const std::string& file) {
  result.diagnostics.sort();
  result.diagnostics.truncate(kMaxReportedPlanErrors, file);
  if (result.diagnostics.has_errors()) result.plan.reset();
  return result;
}

}  // namespace

std::string_view plan_schema_json() { return embedded::kPlanSchema; }

PlanLoad load_plan_text(std::string_view text, const std::string& file_name,
                        const std::string& base_dir) {
  try {
    return finish(load(text, file_name, base_dir), file_name);
  } catch (const std::exception& e) {  // a bug, but a leader's plan must never crash the daemon
    PlanLoad failed;
    failed.diagnostics.error({file_name, 0, 0},
                             fmt::format("internal error while reading the plan: {}", e.what()),
                             "this is a bug in plancal; please report it with the plan file");
    return failed;
  }
}

PlanLoad load_plan_file(const std::string& path) {
  PlanLoad result;
  std::string text;
  if (!read_text_file(path, kMaxYamlBytes, text, result.diagnostics, "plan file"))
    return finish(std::move(result), path);
  const std::string base_dir = std::filesystem::path(path).parent_path().string();
  return load_plan_text(text, path, base_dir);
}

}  // namespace plancal
