// reports_to: a leader chain must end somewhere. A person reporting to themselves, and a
// circle of two, three or more leaders, are errors naming everyone in the circle.
#include <gtest/gtest.h>

#include <string>

#include "plan/loader.h"
#include "test_support.h"

namespace plancal {
namespace {

using testing::diagnostics_text;

using testing::has_error;

PlanLoad load(const std::string& roster) {
  return load_plan_text("plan: p\ntitle: T\nroster:\n" + roster, "plan.yaml", "");
}

TEST(PlanReportingTest, AChainThatEndsIsFine) {
  const PlanLoad result = load(
      "  - {id: kari, name: Kari, leader: true}\n"
      "  - {id: ola, name: Ola, leader: true, reports_to: kari}\n"
      "  - {id: per, name: Per, reports_to: ola}\n");
  EXPECT_TRUE(result.plan) << diagnostics_text(result.diagnostics);
}

TEST(PlanReportingTest, APersonReportingToThemselvesIsAnError) {
  const PlanLoad result = load("  - {id: kari, name: Kari, reports_to: kari}\n");
  EXPECT_FALSE(result.plan);
  EXPECT_TRUE(has_error(result.diagnostics, "plan.yaml", 4, 40, "kari reports to themselves"));
}

TEST(PlanReportingTest, TwoLeadersReportingToEachOtherAreAnErrorNamingBoth) {
  const PlanLoad result = load(
      "  - {id: per, name: Per, reports_to: kari}\n"                  // 4
      "  - {id: kari, name: Kari, leader: true, reports_to: ola}\n"   // 5
      "  - {id: ola, name: Ola, leader: true, reports_to: kari}\n");  // 6
  EXPECT_FALSE(result.plan);
  EXPECT_TRUE(has_error(result.diagnostics, "plan.yaml", 5, 54,
                        "reports_to goes round in a circle: kari reports to ola, ola reports to "
                        "kari"));
  EXPECT_EQ(result.diagnostics.error_count(), 1u) << diagnostics_text(result.diagnostics);
}

TEST(PlanReportingTest, ACircleOfThreeIsReportedOnceNamingEveryone) {
  const PlanLoad result = load(
      "  - {id: kari, name: Kari, reports_to: ola}\n"    // 4
      "  - {id: ola, name: Ola, reports_to: per}\n"      // 5
      "  - {id: per, name: Per, reports_to: kari}\n"     // 6
      "  - {id: lise, name: Lise, reports_to: per}\n");  // 7: into the circle, not in it
  EXPECT_FALSE(result.plan);
  EXPECT_TRUE(has_error(result.diagnostics, "plan.yaml", 4, 40,
                        "reports_to goes round in a circle: kari reports to ola, ola reports to "
                        "per, per reports to kari"));
  EXPECT_EQ(result.diagnostics.error_count(), 1u) << diagnostics_text(result.diagnostics);
  EXPECT_EQ(diagnostics_text(result.diagnostics).find("lise"), std::string::npos);
}

TEST(PlanReportingTest, ACircleInACsvRosterPointsAtTheFirstRowOfIt) {
  testing::TempDir dir;
  dir.write("people.csv",
            "id,name,leader,reports_to\n"
            "anne,Anne,ja,\n"
            "kari,Kari,ja,ola\n"
            "ola,Ola,ja,kari\n");
  const auto plan = dir.write("plan.yaml", "plan: p\ntitle: T\nroster: people.csv\n");
  const PlanLoad result = load_plan_file(plan.string());
  EXPECT_FALSE(result.plan);
  EXPECT_TRUE(has_error(result.diagnostics, (dir.path() / "people.csv").string(), 3, 1,
                        "reports_to goes round in a circle: kari reports to ola, ola reports to "
                        "kari"));
}

TEST(PlanReportingTest, ALongCircleIsNamedInShort) {
  std::string roster;
  for (int i = 0; i < 30; ++i) {
    roster += "  - {id: p" + std::to_string(i) + ", name: P, reports_to: p" +
              std::to_string((i + 1) % 30) + "}\n";
  }
  const PlanLoad result = load(roster);
  EXPECT_TRUE(
      has_error(result.diagnostics, "plan.yaml", 4, 35, "p0 reports to p1, p1 reports to p2"));
  EXPECT_TRUE(has_error(result.diagnostics, "plan.yaml", 4, 35, "and so on (30 people)"));
  EXPECT_EQ(result.diagnostics.error_count(), 1u) << diagnostics_text(result.diagnostics);
}

}  // namespace
}  // namespace plancal
