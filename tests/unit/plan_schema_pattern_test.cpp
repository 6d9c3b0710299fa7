// The schemas' `pattern`s are matched without recursion: the same answers as std::regex
// (ECMAScript) on ordinary text, and no stack overflow on a megabyte of it.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "plan/loader.h"
#include "schema/pattern.h"

namespace plancal {
namespace {

/// Every `pattern` in the embedded schemas.
std::vector<std::string> schema_patterns() {
  std::vector<std::string> patterns;
  for (const std::string_view schema : {plan_schema_json(), config_schema_json()}) {
    const nlohmann::json root = nlohmann::json::parse(schema);
    std::vector<const nlohmann::json*> todo{&root};
    while (!todo.empty()) {
      const nlohmann::json* node = todo.back();
      todo.pop_back();
      if (node->is_object()) {
        if (const auto it = node->find("pattern"); it != node->end() && it->is_string())
          patterns.push_back(it->get<std::string>());
        for (const auto& [key, value] : node->items()) todo.push_back(&value);
      } else if (node->is_array()) {
        for (const auto& value : *node) todo.push_back(&value);
      }
    }
  }
  return patterns;
}

const std::vector<std::string> kSamples{
    "",
    "a",
    "A",
    "kari",
    "per.olsen",
    "Per Olsen",
    "mandagsseminar-2024",
    "-leading",
    "Europe/Oslo",
    "America/Argentina/Buenos_Aires",
    "Etc/GMT+1",
    "nb",
    "nb-NO",
    "toolongcode",
    "2024-01-15",
    "2024-1-5",
    "10-15",
    "1-15",
    "09:00",
    "0900",
    "24:00",
    "23:59",
    "all",
    "team:A",
    "team:",
    "role:fagradgiver",
    "person:kari",
    "person:Kari",
    "person:kari ola",
    "127.0.0.1:8080",
    "[::1]:8080",
    "localhost:99999",
    "host:123456",
    "http://127.0.0.1:8080",
    "https://kalender.example.no/sub/path",
    "https://kalender.example.no?x",
    "https://a b",
    "ftp://x",
    "smtp://smtp.example.no:587",
    "smtps://smtp.example.no",
    "kalender@example.no",
    "a@b@c",
    "plans.yaml",
    "people.csv",
    "people.yml",
    "people.txt",
    "example.no",
    "team-a_1.x",
    "a\nb",
    "team:A\n",
    "\xc2\xa0",
    "æøå",
    "person:å",
};

TEST(PlanSchemaPatternTest, EverySchemaPatternCompilesAndAgreesWithStdRegex) {
  const auto patterns = schema_patterns();
  ASSERT_GT(patterns.size(), 10u);
  for (const auto& source : patterns) {
    const auto pattern = Pattern::compile(source);
    ASSERT_TRUE(pattern.ok()) << pattern.error().message;
    const std::regex oracle(source, std::regex::ECMAScript);
    for (const auto& sample : kSamples) {
      EXPECT_EQ(pattern->search(sample), std::regex_search(sample, oracle))
          << "pattern " << source << " on \"" << sample << "\"";
    }
  }
}

TEST(PlanSchemaPatternTest, ConstructsBeyondTheSchemasWork) {
  const auto check = [](const std::string& source, const std::string& text, bool expected) {
    const auto pattern = Pattern::compile(source);
    ASSERT_TRUE(pattern.ok()) << pattern.error().message;
    EXPECT_EQ(pattern->search(text), expected) << source << " on " << text;
  };
  check("b+c", "aabbbc", true);  // unanchored: anywhere
  check("^b+c", "aabbbc", false);
  check("a{2}$", "caa", true);
  check("^a{2,}$", "a", false);
  check("^a{2,}$", "aaaa", true);
  check("^(?:ab|cd)*$", "abcdab", true);
  check("^(?:ab|cd)*$", "abc", false);
  check("^\\d\\D\\w\\W\\s\\S$", "1a_ \tx", true);
  check("^[^\\d]+$", "abc", true);
  check("^[\\d-]+$", "12-3", true);
  check("^.$", "\n", false);
  check("^.$", "å", true);  // one character, two bytes
  check("^\\u00e5$", "å", true);
  check("^(a*)*b$", std::string(30, 'a'), false);  // no exponential backtracking
  check("^a|b", "xb", true);                       // only one way is anchored
  check("^a|^b", "xb", false);
}

TEST(PlanSchemaPatternTest, UnsupportedSyntaxIsRefusedNotMisread) {
  for (const std::string source :
       {"(?=a)", "(?<n>a)", "\\1", "\\b", "a{2", "(", "a)", "[a", "*a", "a{3,1}", "a{99999}"}) {
    EXPECT_FALSE(Pattern::compile(source).ok()) << source;
  }
}

TEST(PlanSchemaPatternTest, LongTextIsMatchedWithoutRecursion) {
  // Twice what overflowed std::regex's stack (about 30 KB), and more than any value may
  // hold (65,536 characters).
  const std::string text = "k" + std::string(66'000, 'a');
  for (const auto& source : schema_patterns()) {
    const auto pattern = Pattern::compile(source);
    ASSERT_TRUE(pattern.ok());
    (void)pattern->search(text);  // std::regex_search overflows the stack here
  }
  const auto key = Pattern::compile("^[A-Za-z0-9][A-Za-z0-9_-]*$");
  EXPECT_TRUE(key->search(text));
  EXPECT_FALSE(key->search(text + " "));
}

}  // namespace
}  // namespace plancal
