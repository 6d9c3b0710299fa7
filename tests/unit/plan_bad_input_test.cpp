// The bad-input corpus (tests/data/bad): every file gives its expected, clear error and
// never a crash or an escaping exception.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "plan/loader.h"
#include "test_support.h"

namespace plancal {
namespace {

using testing::diagnostics_text;

struct BadCase {
  std::string file;
  int line;  ///< 0: the file as a whole
  int column;
  std::string message;
};

void PrintTo(const BadCase& c, std::ostream* out) { *out << c.file; }

class PlanBadInputTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(PlanBadInputTest, GivesAClearErrorAtTheRightPlace) {
  const BadCase& c = GetParam();
  const std::string path = (testing::test_data_dir() / "bad" / c.file).string();
  const PlanLoad load = load_plan_file(path);
  EXPECT_FALSE(load.plan);
  ASSERT_TRUE(load.diagnostics.has_errors());
  bool found = false;
  for (const auto& d : load.diagnostics.all()) {
    found = found || (d.where.file == path && d.where.line == c.line &&
                      (c.line == 0 || d.where.column == c.column) &&
                      d.message.find(c.message) != std::string::npos);
  }
  EXPECT_TRUE(found) << "expected " << c.file << ":" << c.line << ":" << c.column << ": "
                     << c.message << "\ngot:\n"
                     << diagnostics_text(load.diagnostics);
}

INSTANTIATE_TEST_SUITE_P(
    PlanBadFiles, PlanBadInputTest,
    ::testing::Values(
        BadCase{"syntax.yaml", 4, 10, "YAML syntax error: end of sequence flow not found"},
        BadCase{"wrong-types.yaml", 3, 8, "expected a list for \"teams\", found \"A, B\""},
        BadCase{"wrong-types.yaml", 9, 11,
                "expected a mapping (key: value lines) for \"time\" in rotation \"m\""},
        BadCase{"wrong-types.yaml", 11, 17, "expected a whole number for \"number\""},
        BadCase{"unknown-keys.yaml", 17, 9, "unknown key \"locaton\" in meeting 3"},
        BadCase{"unknown-keys.yaml", 18, 9, "unknown key \"speeker\" in meeting 3"},
        BadCase{"feb30.yaml", 13, 21, "2024-02-30 is not a date: February 2024 has 29 days"},
        BadCase{"not-utf8.yaml", 2, 10, "the plan file is not valid UTF-8 text (byte 0xF8)"},
        BadCase{"empty.yaml", 0, 0, "the plan file is empty"},
        BadCase{"binary.yaml", 3, 1, "it is a binary file, not YAML text"},
        BadCase{"top-list.yaml", 1, 1,
                "a plan must be a mapping of keys (plan:, title:, ...), but this file is a list"},
        BadCase{"duplicate-team.yaml", 17, 11, "team B is listed twice in the dates of meeting 1"},
        BadCase{"deep.yaml", 1, 68, "values are nested more than 64 levels deep"},
        BadCase{"alias-bomb.yaml", 1, 14, "the file expands to more than 1372 values"},
        BadCase{"roster-missing.yaml", 3, 9, "cannot open the roster file: it does not exist"},
        // Each crashed plancal before: a stack overflow in the pattern check, an escaping
        // exception in the builder, YAML's own depth limit reported as "bad file".
        BadCase{"long-key.yaml", 16, 10, "is 40001 characters long; at most 64 are allowed"},
        BadCase{"wheel-without-day.yaml", 8, 7,
                "missing required key \"on\" in wheel item \"budsjett\""},
        BadCase{"wheel-without-day.yaml", 16, 21, "unknown role \"ledr\""},
        BadCase{"deep-2000.yaml", 3, 72, "values are nested more than 64 levels deep"},
        BadCase{"reports-to-circle.yaml", 5, 63,
                "reports_to goes round in a circle: kari reports to ola, ola reports to per, per "
                "reports to kari"}),
    [](const ::testing::TestParamInfo<BadCase>& info) {
      std::string name =
          info.param.file.substr(0, info.param.file.find('.')) + "_" + std::to_string(info.index);
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

TEST(PlanBadInputSizeTest, FiftyMegabyteFileIsRefusedQuicklyWithoutReadingIt) {
  testing::TempDir dir;
  const auto path = dir.path() / "huge.yaml";
  {
    std::ofstream out(path, std::ios::binary);
    const std::string line =
        "- this is line noise that goes on and on and on and on and on and on\n";
    for (std::size_t written = 0; written < 50u * 1024u * 1024u; written += line.size())
      out << line;
  }
  const auto start = std::chrono::steady_clock::now();
  const PlanLoad load = load_plan_file(path.string());
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(load.plan);
  ASSERT_EQ(load.diagnostics.all().size(), 1u) << diagnostics_text(load.diagnostics);
  EXPECT_NE(load.diagnostics.all()[0].message.find("the plan file is too large"),
            std::string::npos);
  EXPECT_NE(load.diagnostics.all()[0].message.find("the limit is 8 MiB"), std::string::npos);
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(), 1000);
}

TEST(PlanBadInputSizeTest, OversizedTextInMemoryIsRefusedBeforeParsing) {
  const std::string text(9u * 1024u * 1024u, '[');
  const PlanLoad load = load_plan_text(text, "big.yaml", "");
  ASSERT_TRUE(load.diagnostics.has_errors());
  EXPECT_NE(load.diagnostics.all()[0].message.find("too large"), std::string::npos);
}

TEST(PlanBadInputSizeTest, MissingFileAndDirectory) {
  PlanLoad load = load_plan_file("/nonexistent/plan.yaml");
  ASSERT_TRUE(load.diagnostics.has_errors());
  EXPECT_NE(
      diagnostics_text(load.diagnostics)
          .find("/nonexistent/plan.yaml: error: cannot open the plan file: it does not exist"),
      std::string::npos)
      << diagnostics_text(load.diagnostics);
  testing::TempDir dir;
  load = load_plan_file(dir.path().string());
  EXPECT_NE(diagnostics_text(load.diagnostics).find("it is not a regular file"), std::string::npos);
}

TEST(PlanBadInputSizeTest, OddButHarmlessInputsNeverThrow) {
  for (const std::string text :
       {"~", "42", "\"just text\"", "plan: [", "? [a, b]\n: c\n", "a: *unknown\n", "---\n---\n",
        "plan: p\ntitle: T\nrotations: {}\n", "\t\tplan: p", "plan: p\ntitle: T\nroster: ''\n",
        "&a [*a]\n",
        "plan: p\ntitle: T\nwheel: {years: {from: 2025, to: 2024}, items: [{key: a, kind: "
        "deadline, title: A, on: '01-01', responsible: [all]}]}\n"}) {
    PlanLoad load;
    EXPECT_NO_THROW(load = load_plan_text(text, "odd.yaml", "")) << text;
    EXPECT_TRUE(load.diagnostics.has_errors()) << text;
    EXPECT_FALSE(load.plan) << text;
  }
}

}  // namespace
}  // namespace plancal
