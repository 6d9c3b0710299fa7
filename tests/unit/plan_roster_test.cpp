// Rosters in their own file: CSV from a spreadsheet, or YAML; errors point into that file.
#include <gtest/gtest.h>

#include <fstream>

#include "plan/loader.h"
#include "plan/roster.h"
#include "test_support.h"

namespace plancal {
namespace {

using testing::diagnostics_text;

::testing::AssertionResult has_error(const Diagnostics& diagnostics, const std::string& file_end,
                                     int line, int column, const std::string& message,
                                     const std::string& hint = {}) {
  for (const auto& d : diagnostics.all()) {
    const bool file_ok =
        d.where.file.size() >= file_end.size() &&
        d.where.file.compare(d.where.file.size() - file_end.size(), file_end.size(), file_end) == 0;
    if (d.severity == Severity::Error && file_ok && d.where.line == line &&
        d.where.column == column && d.message.find(message) != std::string::npos &&
        d.hint.find(hint) != std::string::npos) {
      return ::testing::AssertionSuccess();
    }
  }
  return ::testing::AssertionFailure() << "no error at " << file_end << ":" << line << ":" << column
                                       << " with \"" << message << "\" in:\n"
                                       << diagnostics_text(diagnostics);
}

const std::string kPlanHead =
    "plan: p\ntitle: T\n"
    "teams: [{key: A, name: Team A}]\n"
    "roles: [{key: fagradgiver, name: Fagrådgiver}]\n";

TEST(PlanRosterTest, CsvWithBomQuotingAndMultilineFields) {
  const PlanLoad load =
      load_plan_file((testing::test_data_dir() / "plans" / "roster-file.yaml").string());
  ASSERT_TRUE(load.plan) << diagnostics_text(load.diagnostics);
  const auto& people = load.plan->roster;
  ASSERT_EQ(people.size(), 3u);
  EXPECT_EQ(people[0].id, "kari");  // the BOM is not part of the first column's name
  EXPECT_EQ(people[0].name, "Nordmann, Kari");
  EXPECT_EQ(people[0].email, "kari@example.no");
  EXPECT_EQ(people[0].team, "A");
  EXPECT_TRUE(people[0].leader);  // "ja"
  EXPECT_EQ(people[0].roles, (std::vector<std::string>{"fagradgiver"}));
  EXPECT_EQ(people[1].id, "per.olsen");
  EXPECT_EQ(people[1].name, "Per \"Pelle\" Olsen");
  EXPECT_FALSE(people[1].leader);  // "nei"
  EXPECT_EQ(people[1].reports_to, "kari");
  EXPECT_TRUE(people[1].roles.empty());
  EXPECT_EQ(people[2].name, "Lise\nHansen");
  EXPECT_EQ(people[2].roles, (std::vector<std::string>{"fagradgiver"}));  // "fagradgiver; " trimmed
  EXPECT_EQ(people[2].where.line, 4);
  EXPECT_NE(people[2].where.file.find("people.csv"), std::string::npos);
}

TEST(PlanRosterTest, YamlRosterFileWithPeopleKey) {
  const PlanLoad load =
      load_plan_file((testing::test_data_dir() / "plans" / "roster-yaml.yaml").string());
  ASSERT_TRUE(load.plan) << diagnostics_text(load.diagnostics);
  ASSERT_EQ(load.plan->roster.size(), 2u);
  EXPECT_TRUE(load.plan->roster[0].leader);
  EXPECT_EQ(load.plan->roster[1].reports_to, "kari");
  EXPECT_EQ(load.plan->roster[1].where.line, 6);
}

TEST(PlanRosterTest, YamlRosterFileAsAPlainList) {
  testing::TempDir dir;
  dir.write("people.yml",
            "- {id: kari, name: Kari, team: A}\n- {id: ola, name: Ola, roles: [fagradgiver]}\n");
  const auto plan = dir.write("plan.yaml", kPlanHead + "roster: people.yml\n");
  const PlanLoad load = load_plan_file(plan.string());
  ASSERT_TRUE(load.plan) << diagnostics_text(load.diagnostics);
  EXPECT_EQ(load.plan->roster.size(), 2u);
}

TEST(PlanRosterTest, YamlRosterErrorsPointIntoTheRosterFile) {
  testing::TempDir dir;
  dir.write("people.yaml",
            "people:\n  - {id: kari, name: Kari, tem: A}\n  - {id: ola, name: Ola, team: Q}\n");
  const auto plan = dir.write("plan.yaml", kPlanHead + "roster: people.yaml\n");
  const PlanLoad load = load_plan_file(plan.string());
  EXPECT_FALSE(load.plan);
  EXPECT_TRUE(has_error(load.diagnostics, "people.yaml", 2, 28,
                        "unknown key \"tem\" in person \"kari\"", "did you mean \"team\"?"));
}

TEST(PlanRosterTest, UnknownTeamInCsvRowPointsAtTheRow) {
  testing::TempDir dir;
  dir.write("people.csv", "id,name,team\nkari,Kari,A\nola,Ola,Q\n");
  const auto plan = dir.write("plan.yaml", kPlanHead + "roster: people.csv\n");
  const PlanLoad load = load_plan_file(plan.string());
  EXPECT_FALSE(load.plan);
  EXPECT_TRUE(has_error(load.diagnostics, "people.csv", 3, 1, "unknown team \"Q\""));
}

TEST(PlanRosterTest, BadCsvRowsAreAllReportedWithTheirLines) {
  const PlanLoad load =
      load_plan_file((testing::test_data_dir() / "bad" / "roster-bad.yaml").string());
  EXPECT_FALSE(load.plan);
  EXPECT_TRUE(has_error(load.diagnostics, "roster-bad.csv", 3, 1, "expected a person id", ""));
  EXPECT_TRUE(has_error(load.diagnostics, "roster-bad.csv", 3, 21,
                        "expected yes or no for leader, found \"kanskje\""));
  EXPECT_TRUE(has_error(load.diagnostics, "roster-bad.csv", 4, 1,
                        "this row has 6 fields, but the header has 7"));
}

TEST(PlanRosterTest, CsvQuotingErrors) {
  RosterLoad load = parse_roster_csv("id,name\nkari,\"Kari\n", "r.csv");
  EXPECT_TRUE(has_error(load.diagnostics, "r.csv", 2, 6, "this quoted field has no closing quote"));
  load = parse_roster_csv("id,name\nkari,\"Kari\" Nordmann\n", "r.csv");
  EXPECT_TRUE(has_error(load.diagnostics, "r.csv", 2, 12, "unexpected text after a closing quote"));
}

TEST(PlanRosterTest, CsvHeaderProblems) {
  RosterLoad load = parse_roster_csv("id,navn,email\nkari,Kari,k@example.no\n", "r.csv");
  EXPECT_TRUE(has_error(load.diagnostics, "r.csv", 1, 4, "unknown column \"navn\"",
                        "did you mean \"name\"?"));
  EXPECT_TRUE(
      has_error(load.diagnostics, "r.csv", 1, 1, "the roster header has no \"name\" column"));
  load = parse_roster_csv("", "r.csv");
  EXPECT_TRUE(load.diagnostics.has_errors());
  EXPECT_NE(diagnostics_text(load.diagnostics).find("the roster file is empty"), std::string::npos);
}

TEST(PlanRosterTest, CsvWithCrlfAndColumnsInAnyOrder) {
  const RosterLoad load =
      parse_roster_csv("name,id,leader\r\nKari,kari,TRUE\r\n\r\nOla,ola,\r\n", "r.csv");
  ASSERT_FALSE(load.diagnostics.has_errors()) << diagnostics_text(load.diagnostics);
  ASSERT_EQ(load.people.size(), 2u);
  EXPECT_EQ(load.people[0].id, "kari");
  EXPECT_TRUE(load.people[0].leader);
  EXPECT_EQ(load.people[1].where.line, 4);
}

TEST(PlanRosterTest, NonUtf8CsvIsRefused) {
  const RosterLoad load = parse_roster_csv("id,name\nkari,K\xe5ri\n", "r.csv");
  EXPECT_TRUE(has_error(load.diagnostics, "r.csv", 2, 1, "not valid UTF-8", "CSV UTF-8"));
}

TEST(PlanRosterTest, MissingRosterFileIsReportedAtTheRosterKey) {
  const PlanLoad load =
      load_plan_file((testing::test_data_dir() / "bad" / "roster-missing.yaml").string());
  EXPECT_FALSE(load.plan);
  EXPECT_TRUE(has_error(load.diagnostics, "roster-missing.yaml", 3, 9,
                        "roster \"nobody.csv\": cannot open the roster file",
                        "relative to the plan file's folder"));
}

TEST(PlanRosterTest, RosterMustBeYamlOrCsv) {
  const PlanLoad load = load_plan_text(kPlanHead + "roster: people.txt\n", "plan.yaml", "");
  EXPECT_FALSE(load.plan);
  EXPECT_TRUE(has_error(load.diagnostics, "plan.yaml", 5, 9,
                        "a list of people, or the name of a .yaml, .yml or .csv roster file"));
}

TEST(PlanRosterTest, AnEditedRosterFileIsReadAnewEvenWhenItsSizeStaysTheSame) {
  // The daemon keeps each roster's last parse for as long as the file's bytes stay the same:
  // an edit that keeps the size (Kari moves from team A to team B) must still be seen, and
  // taking the edit back must give the first roster again.
  const testing::TempDir dir;
  const std::string path = (dir.path() / "people.csv").string();
  const auto write = [&](const std::string& text) { std::ofstream(path) << text; };
  const std::string first = "id,name,team\nkari,Kari Nordmann,A\nola,Ola Hansen,A\n";
  const std::string edited = "id,name,team\nkari,Kari Nordmann,B\nola,Ola Hansen,A\n";
  ASSERT_EQ(first.size(), edited.size());

  write(first);
  const RosterLoad before = load_roster_file(path);
  write(edited);
  const RosterLoad after = load_roster_file(path);
  write(first);
  const RosterLoad again = load_roster_file(path);

  ASSERT_EQ(before.people.size(), 2U) << diagnostics_text(before.diagnostics);
  ASSERT_EQ(after.people.size(), 2U) << diagnostics_text(after.diagnostics);
  ASSERT_EQ(again.people.size(), 2U) << diagnostics_text(again.diagnostics);
  EXPECT_EQ(before.people[0].team, "A");
  EXPECT_EQ(after.people[0].team, "B");
  EXPECT_EQ(after.people[1].team, "A");
  EXPECT_EQ(again.people[0].team, "A");
  EXPECT_EQ(again.people[0].where.line, 2);
}

TEST(PlanRosterTest, AKeptRosterStillReportsItsErrors) {
  // A roster with an error read twice reports it twice: the kept parse carries its errors.
  const testing::TempDir dir;
  const std::string path = (dir.path() / "people.csv").string();
  std::ofstream(path) << "id,name,team\nkari,\"Kari,A\n";
  const RosterLoad first = load_roster_file(path);
  const RosterLoad second = load_roster_file(path);
  EXPECT_TRUE(first.diagnostics.has_errors());
  EXPECT_EQ(diagnostics_text(second.diagnostics), diagnostics_text(first.diagnostics));
}

}  // namespace
}  // namespace plancal
