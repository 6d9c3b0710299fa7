// YAML -> JSON with positions, and the schema check on its own: the pieces the daemon config
// will reuse.
#include <gtest/gtest.h>

#include "schema/schema_check.h"
#include "schema/yaml_json.h"
#include "test_support.h"

namespace plancal {
namespace {

using nlohmann::json;

using testing::diagnostics_text;

TEST(PlanYamlJsonTest, ScalarsFollowTheYaml12CoreSchema) {
  const YamlLoad load = yaml_to_json(
      "int: 42\nneg: -7\npos: +3\noct: 0o17\nhex: 0x1F\nfloat: 1.5\nexp: 1e3\ndot: .5\n"
      "t: true\nf: False\nn: ~\nempty:\nnull_word: null\n"
      "quoted: \"42\"\nsingle: 'true'\ndate: 2024-01-15\ntime: 09:00\nyes: yes\nleading_zero: "
      "0900\ntagged: !!str 12\n",
      "x.yaml");
  ASSERT_FALSE(load.diagnostics.has_errors()) << diagnostics_text(load.diagnostics);
  const json& j = load.doc.json;
  EXPECT_EQ(j["int"], 42);
  EXPECT_EQ(j["neg"], -7);
  EXPECT_EQ(j["pos"], 3);
  EXPECT_EQ(j["oct"], 15);
  EXPECT_EQ(j["hex"], 31);
  EXPECT_EQ(j["float"], 1.5);
  EXPECT_EQ(j["exp"], 1000.0);
  EXPECT_EQ(j["dot"], 0.5);
  EXPECT_EQ(j["t"], true);
  EXPECT_EQ(j["f"], false);
  EXPECT_TRUE(j["n"].is_null());
  EXPECT_TRUE(j["empty"].is_null());
  EXPECT_TRUE(j["null_word"].is_null());
  EXPECT_EQ(j["quoted"], "42");
  EXPECT_EQ(j["single"], "true");
  EXPECT_EQ(j["date"], "2024-01-15");
  EXPECT_EQ(j["time"], "09:00");
  EXPECT_EQ(j["yes"], "yes");
  EXPECT_EQ(j["leading_zero"], 900);
  EXPECT_EQ(load.doc.plain_text.at("/leading_zero"), "0900");
  EXPECT_EQ(j["tagged"], "12");
}

TEST(PlanYamlJsonTest, EveryValueAndKeyHasItsPosition) {
  const YamlLoad load = yaml_to_json("a:\n  b: [x, {c: 1}]\n  \"d/e\": 2\n", "x.yaml");
  ASSERT_FALSE(load.diagnostics.has_errors());
  const MarkedJson& doc = load.doc;
  EXPECT_EQ(doc.where("/a/b").line, 2);
  EXPECT_EQ(doc.where("/a/b").column, 6);
  EXPECT_EQ(doc.where("/a/b/1/c").line, 2);
  EXPECT_EQ(doc.where("/a/b/1/c").column, 14);
  EXPECT_EQ(doc.key_where("/a/b/1/c").column, 11);
  EXPECT_EQ(doc.where("/a/d~1e").line, 3);  // '/' in a key is escaped in the pointer
  EXPECT_EQ(doc.where("/a/d~1e").file, "x.yaml");
  EXPECT_EQ(doc.where("/a/nothing/here").line, 2);  // falls back to the nearest ancestor
  EXPECT_EQ(pointer_tokens("/a/d~1e/0"), (std::vector<std::string>{"a", "d/e", "0"}));
}

TEST(PlanYamlJsonTest, DuplicateKeysAreRecordedWithBothPositions) {
  const YamlLoad load = yaml_to_json("a: 1\nb: 2\na: 3\n", "x.yaml");
  ASSERT_EQ(load.doc.duplicates.size(), 1u);
  EXPECT_EQ(load.doc.duplicates[0].key, "a");
  EXPECT_EQ(load.doc.duplicates[0].first.line, 1);
  EXPECT_EQ(load.doc.duplicates[0].second.line, 3);
  EXPECT_EQ(load.doc.json["a"], 1);  // the first one is kept
}

TEST(PlanYamlJsonTest, Utf8Validation) {
  EXPECT_EQ(find_invalid_utf8("Møte på tirsdag – 😀"), std::string_view::npos);
  EXPECT_EQ(find_invalid_utf8("ab\xC3"), 2u);            // truncated sequence
  EXPECT_EQ(find_invalid_utf8("a\xC0\xAF"), 1u);         // overlong
  EXPECT_EQ(find_invalid_utf8("a\xED\xA0\x80"), 1u);     // surrogate
  EXPECT_EQ(find_invalid_utf8("\xF8\x88\x80\x80"), 0u);  // not a lead byte
}

TEST(PlanYamlJsonTest, ComplexKeysAreRefused) {
  const YamlLoad load = yaml_to_json("? [a, b]\n: c\n", "x.yaml");
  ASSERT_TRUE(load.diagnostics.has_errors());
  EXPECT_NE(diagnostics_text(load.diagnostics)
                .find("x.yaml:1:3: error: a key must be a single word or text"),
            std::string::npos)
      << diagnostics_text(load.diagnostics);
}

// Any YAML file can be checked against any schema: here a small config-like one.
const char* const kConfigSchema = R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "config",
  "type": "object",
  "required": ["port"],
  "properties": {
    "port": {"description": "TCP port.", "type": "integer", "minimum": 1, "maximum": 65535},
    "name": {"description": "A name.", "type": "string"},
    "feeds": {"description": "Feeds.", "type": "array", "items": {"title": "feed", "type": "object",
      "required": ["path"], "additionalProperties": false,
      "properties": {"path": {"description": "Where.", "type": "string"}}}}
  },
  "additionalProperties": false
})";

TEST(PlanYamlJsonTest, SchemaCheckWorksForOtherSchemas) {
  YamlLoad load =
      yaml_to_json("port: 99999\nname: 12\nfeeds:\n  - {pth: /a}\nverbose: true\n", "config.yaml");
  ASSERT_FALSE(load.diagnostics.has_errors());
  coerce_to_schema_types(load.doc, kConfigSchema);
  EXPECT_EQ(load.doc.json["name"], "12");  // text wanted, text given back
  const Diagnostics d = check_against_schema(load.doc, kConfigSchema, "config.yaml");
  const std::string text = diagnostics_text(d);
  EXPECT_NE(
      text.find("config.yaml:1:7: error: \"port\" must be at most 65535, found the number 99999"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("config.yaml:4:6: error: unknown key \"pth\" in feed #1"), std::string::npos)
      << text;
  EXPECT_NE(text.find("did you mean \"path\"?"), std::string::npos) << text;
  EXPECT_NE(text.find("config.yaml:4:5: error: missing required key \"path\" in feed #1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("config.yaml:5:1: error: unknown key \"verbose\" at the top level"),
            std::string::npos)
      << text;
  EXPECT_EQ(d.error_count(), 4u) << text;
}

TEST(PlanYamlJsonTest, ClosestWord) {
  EXPECT_EQ(closest_word("locaton", {"location", "topic", "notes"}), "location");
  EXPECT_EQ(closest_word("Speaker", {"speaker"}), "speaker");
  EXPECT_EQ(closest_word("x", {"A", "B"}), "");
  EXPECT_EQ(closest_word("completely", {"location", "topic"}), "");
}

}  // namespace
}  // namespace plancal
