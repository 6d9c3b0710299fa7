// Black-box tests of the plancal command line: the contract users and scripts rely on.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "test_support.h"

namespace plancal::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kSeminarPlan = example_plan("mandagsseminar-2024.yaml").string();

TEST(CliIntegration, VersionAndHelpForEveryCommand) {
  const auto version = run_plancal({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.out, HasSubstr("plancal 0."));
  for (const std::string command : {"validate", "expand", "export", "rotate"}) {
    const auto help = run_plancal({command, "--help"});
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_THAT(help.out, HasSubstr("--")) << command;
  }
  EXPECT_NE(run_plancal({"no-such-command"}).exit_code, 0);
}

TEST(CliIntegration, ValidateAcceptsEveryBundledExample) {
  for (const auto& entry : std::filesystem::directory_iterator(source_dir() / "config" / "plans")) {
    if (entry.path().extension() != ".yaml") continue;
    const auto result = run_plancal({"validate", entry.path().string()});
    EXPECT_EQ(result.exit_code, 0) << entry.path() << "\n" << result.err;
    EXPECT_THAT(result.out, HasSubstr(": ok"));
  }
}

constexpr const char* kPlanWithTwoErrors = R"(plan: broken
title: "Broken"
teams:
  - { key: A, name: Team A }
rotations:
  - key: r
    title: Møte
    weekday: MO
    teams: [A]
    time: { start: "09:00", end: "12:00" }
    meetings:
      - number: 1
        dates: { A: 2024-01-16 }
      - number: 2
        dates: { A: 2024-02-30 }
)";

TEST(CliIntegration, ValidateReportsEveryErrorWithFileLineAndColumn) {
  TempDir dir;
  const auto plan = dir.write("broken.yaml", kPlanWithTwoErrors).string();
  const auto result = run_plancal({"validate", plan});
  EXPECT_EQ(result.exit_code, 1);
  // 2024-01-16 is a Tuesday (line 13), 2024-02-30 does not exist (line 15).
  EXPECT_THAT(result.err, HasSubstr(plan + ":13:"));
  EXPECT_THAT(result.err, HasSubstr(plan + ":15:"));
  EXPECT_THAT(result.err, HasSubstr("error:"));
  EXPECT_THAT(result.err, HasSubstr("nothing was used"));
}

constexpr const char* kPlanOnEasterMonday = R"(plan: easter
title: "Easter"
teams:
  - { key: A, name: Team A }
rotations:
  - key: r
    title: Møte
    weekday: MO
    teams: [A]
    time: { start: "09:00", end: "12:00" }
    meetings:
      - number: 1
        dates: { A: 2024-04-01 }
)";

TEST(CliIntegration, ValidateRefusesAFortyThousandCharacterKeyWithoutCrashing) {
  // This plan made `plancal validate` die with SIGSEGV (exit 139).
  const auto plan = (test_data_dir() / "bad" / "long-key.yaml").string();
  const auto result = run_plancal({"validate", plan});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_THAT(result.err, HasSubstr(plan + ":16:10: error: \"key\" in weekly slot"));
  EXPECT_THAT(result.err, HasSubstr("is 40001 characters long; at most 64 are allowed"));
  EXPECT_LT(result.err.size(), 1000u);
}

TEST(CliIntegration, HolidayIsAWarningAndAnErrorUnderStrict) {
  TempDir dir;
  const auto plan = dir.write("easter.yaml", kPlanOnEasterMonday).string();
  const auto relaxed = run_plancal({"validate", plan});
  EXPECT_EQ(relaxed.exit_code, 0) << relaxed.err;
  EXPECT_THAT(relaxed.err, AllOf(HasSubstr("warning:"), HasSubstr("påskedag")));
  const auto strict = run_plancal({"validate", "--strict", plan});
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_THAT(strict.err, HasSubstr("error:"));
}

nlohmann::json expand_json(const std::vector<std::string>& extra,
                           const std::vector<std::string>& env = {}) {
  std::vector<std::string> args{"expand", kSeminarPlan, "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto result = run_plancal(args, env);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return nlohmann::json::parse(result.out);
}

TEST(CliIntegration, ExpandJsonGivesTeamDatesWithLocalOffsets) {
  const auto team_a = expand_json({"--audience", "team:A"});
  ASSERT_EQ(team_a.size(), 11u);
  EXPECT_EQ(team_a[0]["start"], "2024-01-15T09:00:00+01:00");
  EXPECT_EQ(team_a[0]["end"], "2024-01-15T12:00:00+01:00");
  EXPECT_EQ(team_a[0]["audience"], "team:A");
  for (const auto& occurrence : team_a) {
    for (const char* key :
         {"uid", "plan", "meeting", "summary", "start", "end", "location", "status"}) {
      EXPECT_TRUE(occurrence.contains(key)) << key;
    }
  }
  // Summer time: meeting 7 for team A is on 23 September, 09:00 CEST.
  EXPECT_EQ(team_a[6]["start"], "2024-09-23T09:00:00+02:00");
}

TEST(CliIntegration, ExpandDoesNotDependOnTheServersZone) {
  const auto oslo = expand_json({}, {"TZ=Europe/Oslo"});
  const auto new_york = expand_json({}, {"TZ=America/New_York"});
  const auto utc = expand_json({}, {"TZ=UTC"});
  EXPECT_EQ(oslo, new_york);
  EXPECT_EQ(oslo, utc);
  EXPECT_EQ(oslo.size(), 33u);
}

TEST(CliIntegration, ExpandFiltersByDate) {
  const auto march = expand_json({"--from", "2024-03-01", "--to", "2024-03-31"});
  // 04.03 (team C, meeting 3); 11.03, 18.03 and 25.03 (teams B, A, C, meeting 4)
  ASSERT_EQ(march.size(), 4u);
  for (const auto& occurrence : march) {
    EXPECT_THAT(occurrence["start"].get<std::string>(), HasSubstr("2024-03-"));
  }
  const auto bad = run_plancal({"expand", kSeminarPlan, "--from", "2024-13-01"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("YYYY-MM-DD"));
}

TEST(CliIntegration, ExportWritesOneCalendarAndRejectsUnknownAudience) {
  TempDir dir;
  const auto output = (dir.path() / "team-b.ics").string();
  const auto result = run_plancal({"export", kSeminarPlan, "--audience", "team:B", "-o", output});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string ics = read_file(output);
  EXPECT_EQ(ics.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
  EXPECT_THAT(ics, HasSubstr("DTSTART;TZID=Europe/Oslo:20240108T090000"));

  const auto unknown = run_plancal({"export", kSeminarPlan, "--audience", "team:Q", "-o", output});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("team:Q"));
  EXPECT_EQ(read_file(output), ics) << "a failed export must not touch the previous file";

  const auto missing_dir =
      run_plancal({"export", kSeminarPlan, "-o", (dir.path() / "no/such/dir/x.ics").string()});
  EXPECT_EQ(missing_dir.exit_code, 1);
  EXPECT_THAT(missing_dir.err, HasSubstr("cannot write"));
}

TEST(CliIntegration, ExportIsReproducibleWithSourceDateEpoch) {
  const auto first = run_plancal({"export", kSeminarPlan}, {"SOURCE_DATE_EPOCH=1700000000"});
  const auto second = run_plancal({"export", kSeminarPlan}, {"SOURCE_DATE_EPOCH=1700000000"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, second.out);
  EXPECT_THAT(first.out, HasSubstr("DTSTAMP:20231114T221320Z"));
}

TEST(CliIntegration, RotateSkipsEasterMondayAndItsOutputValidates) {
  const auto result =
      run_plancal({"rotate", "--weekday", "MO", "--from", "2024-03-18", "--teams", "A,B,C",
                   "--meetings", "2", "--blackout", "2024-04-15..2024-04-21"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, Not(HasSubstr("2024-04-01")));  // 2. påskedag
  EXPECT_THAT(result.out, Not(HasSubstr("2024-04-15")));  // blackout
  EXPECT_THAT(result.out, HasSubstr("2024-03-18"));
  EXPECT_THAT(result.out, HasSubstr("2024-04-22"));
  TempDir dir;
  const auto plan = dir.write("proposal.yaml", result.out).string();
  const auto validate = run_plancal({"validate", "--strict", plan});
  EXPECT_EQ(validate.exit_code, 0) << validate.err << result.out;

  const auto bad = run_plancal(
      {"rotate", "--weekday", "XX", "--from", "2024-03-18", "--teams", "A", "--meetings", "1"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("MO TU WE"));
}

}  // namespace
}  // namespace plancal::testing
