// Schema errors as a leader editing a plan sees them: what, where, and what to do.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "plan/loader.h"
#include "test_support.h"

namespace plancal {
namespace {

using testing::diagnostics_text;

/// A diagnostic at LINE:COL whose message contains `message` (and whose hint contains `hint`).
::testing::AssertionResult has_error(const PlanLoad& load, int line, int column,
                                     const std::string& message, const std::string& hint = {}) {
  for (const auto& d : load.diagnostics.all()) {
    if (d.where.line == line && d.where.column == column &&
        d.message.find(message) != std::string::npos && d.hint.find(hint) != std::string::npos &&
        d.severity == Severity::Error) {
      return ::testing::AssertionSuccess();
    }
  }
  return ::testing::AssertionFailure() << "no error at " << line << ":" << column << " with \""
                                       << message << "\" (hint \"" << hint << "\") in:\n"
                                       << diagnostics_text(load.diagnostics);
}

PlanLoad load(const std::string& yaml) { return load_plan_text(yaml, "plan.yaml", ""); }

const std::string kRotationHead =
    "plan: p\n"                                       // 1
    "title: T\n"                                      // 2
    "teams: [{key: A, name: Team A}]\n"               // 3
    "rotations:\n"                                    // 4
    "  - key: m\n"                                    // 5
    "    title: M\n"                                  // 6
    "    weekday: MO\n"                               // 7
    "    teams: [A]\n"                                // 8
    "    time: {start: \"09:00\", end: \"12:00\"}\n"  // 9
    "    meetings:\n";                                // 10

TEST(PlanSchemaTest, UnknownKeySuggestsTheClosestAllowedKey) {
  const PlanLoad result = load(kRotationHead +
                               "      - number: 1\n"  // 11
                               "        dates: {A: 2024-01-15}\n"
                               "      - number: 3\n"        // 13
                               "        locaton: Brakka\n"  // 14
                               "        dates: {A: 2024-01-22}\n");
  EXPECT_FALSE(result.plan);
  EXPECT_TRUE(has_error(result, 14, 9, "unknown key \"locaton\" in meeting 3",
                        "did you mean \"location\"?"));
  EXPECT_EQ(result.diagnostics.error_count(), 1u) << diagnostics_text(result.diagnostics);
}

TEST(PlanSchemaTest, UnknownKeyWithoutCloseMatchListsTheAllowedKeys) {
  const PlanLoad result = load("plan: p\ntitle: T\nfrobnicate: 1\n");
  EXPECT_TRUE(has_error(result, 3, 1, "unknown key \"frobnicate\" at the top level",
                        "the keys allowed here are: calendar_name"));
}

TEST(PlanSchemaTest, MissingRequiredKeyNamesTheKeyAndExplainsIt) {
  const PlanLoad result = load(kRotationHead + "      - number: 1\n        topic: Tema\n");
  EXPECT_TRUE(
      has_error(result, 11, 9, "missing required key \"dates\" in meeting 1", "One date per team"));
}

TEST(PlanSchemaTest, MalformedDateSaysWhatADateLooksLike) {
  const PlanLoad result =
      load(kRotationHead + "      - number: 1\n        dates: {A: 15.01.2024}\n");
  EXPECT_TRUE(has_error(result, 12, 20, "expected a date YYYY-MM-DD", ""));
  EXPECT_TRUE(has_error(result, 12, 20, "found \"15.01.2024\""));
}

TEST(PlanSchemaTest, WrongTypesAreExplainedWithHints) {
  const PlanLoad result = load(
      "plan: p\ntitle: T\n"
      "series:\n"
      "  - key: s\n"  // 4
      "    title: S\n"
      "    interval_weeks: \"2\"\n"                                                             // 6
      "    time: {start: \"9\", end: \"11:00\"}\n"                                              // 7
      "    rows: [{key: r, name: R, weekday: Tue, from: 2021-09-07, count: 4, full: yes}]\n");  // 8
  EXPECT_TRUE(has_error(result, 6, 21,
                        "expected a whole number for \"interval_weeks\" in series \"s\"",
                        "write the number without quotes"));
  EXPECT_TRUE(has_error(result, 7, 19, "expected a time HH:MM"));
  EXPECT_TRUE(has_error(result, 8, 39, "expected a weekday code MO, TU, WE, TH, FR, SA or SU",
                        "did you mean \"TU\"?"));
  EXPECT_TRUE(has_error(result, 8, 78, "expected true or false for \"full\" in row \"r\"",
                        "yes, no, ja and nei are read as text"));
}

TEST(PlanSchemaTest, EveryErrorInTheFileIsReportedInOrder) {
  const PlanLoad result = load(
      "plan: Not An Id\n"  // 1: pattern
      "title: T\n"
      "colour: blue\n"  // 3: unknown key
      "teams:\n"
      "  - {key: A}\n"                                         // 5: missing name
      "  - {key: B, nme: x}\n"                                 // 6: unknown key + missing name
      "wheel: {years: {from: 2024, to: 2025}, items: []}\n");  // 7: empty list
  EXPECT_GE(result.diagnostics.error_count(), 6u) << diagnostics_text(result.diagnostics);
  EXPECT_TRUE(has_error(result, 1, 7, "expected a plan id"));
  EXPECT_TRUE(has_error(result, 3, 1, "unknown key \"colour\""));
  EXPECT_TRUE(has_error(result, 5, 5, "missing required key \"name\" in team \"A\""));
  EXPECT_TRUE(
      has_error(result, 6, 14, "unknown key \"nme\" in team \"B\"", "did you mean \"name\"?"));
  EXPECT_TRUE(has_error(result, 7, 47, "\"items\" in wheel must not be empty"));
  const auto& all = result.diagnostics.all();
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
  }));
}

TEST(PlanSchemaTest, AllUnknownKeysOfOneObjectAreReported) {
  const PlanLoad result = load("plan: p\ntitle: T\nfoo: 1\nbar: 2\nbaz: 3\n");
  EXPECT_TRUE(has_error(result, 3, 1, "unknown key \"foo\""));
  EXPECT_TRUE(has_error(result, 4, 1, "unknown key \"bar\""));
  EXPECT_TRUE(has_error(result, 5, 1, "unknown key \"baz\""));
}

TEST(PlanSchemaTest, QuotedAndPlainScalarsFollowYamlCore) {
  // "leader: True" is a boolean; 'leader: "true"' is text, which the schema refuses.
  const PlanLoad ok = load("plan: p\ntitle: T\nroster: [{id: kari, name: Kari, leader: True}]\n");
  ASSERT_TRUE(ok.plan) << diagnostics_text(ok.diagnostics);
  EXPECT_TRUE(ok.plan->roster[0].leader);
  const PlanLoad quoted =
      load("plan: p\ntitle: T\nroster: [{id: kari, name: Kari, leader: \"true\"}]\n");
  EXPECT_TRUE(has_error(quoted, 3, 41, "expected true or false", "without quotes"));
}

// The schema is the format's documentation: every property explains itself and no object
// accepts keys it does not describe.
void check_schema_node(const nlohmann::json& node, const std::string& path) {
  if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i)
      check_schema_node(node[i], path + "/" + std::to_string(i));
    return;
  }
  if (!node.is_object()) return;
  if (node.contains("properties")) {
    EXPECT_EQ(node.value("additionalProperties", nlohmann::json(true)), nlohmann::json(false))
        << path;
    for (const auto& [key, property] : node["properties"].items()) {
      EXPECT_TRUE(property.contains("description"))
          << path << "/properties/" << key << " has no description";
    }
  }
  for (const auto& [key, child] : node.items()) check_schema_node(child, path + "/" + key);
}

TEST(PlanSchemaTest, SchemaDescribesEveryPropertyAndForbidsUnknownKeys) {
  const auto schema = nlohmann::json::parse(plan_schema_json());
  EXPECT_EQ(schema["$schema"], "http://json-schema.org/draft-07/schema#");
  check_schema_node(schema, "");
}

}  // namespace
}  // namespace plancal
