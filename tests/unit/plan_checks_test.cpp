// Semantic checks: each fires at the right FILE:LINE:COL with a message a leader understands.
#include <gtest/gtest.h>

#include "plan/loader.h"
#include "test_support.h"

namespace plancal {
namespace {

using testing::diagnostics_text;

::testing::AssertionResult has(const PlanLoad& load, Severity severity, int line, int column,
                               const std::string& message, const std::string& hint = {}) {
  for (const auto& d : load.diagnostics.all()) {
    if (d.severity == severity && d.where.file == "plan.yaml" && d.where.line == line &&
        d.where.column == column && d.message.find(message) != std::string::npos &&
        d.hint.find(hint) != std::string::npos) {
      return ::testing::AssertionSuccess();
    }
  }
  return ::testing::AssertionFailure() << "nothing at " << line << ":" << column << " with \""
                                       << message << "\" / \"" << hint << "\" in:\n"
                                       << diagnostics_text(load.diagnostics);
}

::testing::AssertionResult has_error(const PlanLoad& load, int line, int column,
                                     const std::string& message, const std::string& hint = {}) {
  return has(load, Severity::Error, line, column, message, hint);
}

PlanLoad load(const std::string& yaml) { return load_plan_text(yaml, "plan.yaml", ""); }

const std::string kHead =
    "plan: p\n"                                                  // 1
    "title: T\n"                                                 // 2
    "teams: [{key: A, name: Team A}, {key: B, name: Team B}]\n"  // 3
    "roles: [{key: leder, name: Ledere}]\n"                      // 4
    "roster: [{id: kari, name: Kari}]\n";                        // 5

const std::string kRotation = kHead +
                              "rotations:\n"                                    // 6
                              "  - key: m\n"                                    // 7
                              "    title: M\n"                                  // 8
                              "    weekday: MO\n"                               // 9
                              "    teams: [A, B]\n"                             // 10
                              "    time: {start: \"09:00\", end: \"12:00\"}\n"  // 11
                              "    meetings:\n"                                 // 12
                              "      - number: 1\n"                             // 13
                              "        dates:\n";                               // 14

TEST(PlanChecksTest, ValidRotationHasNoDiagnostics) {
  const PlanLoad result = load(kRotation + "          A: 2024-01-15\n          B: 2024-01-22\n");
  EXPECT_TRUE(result.plan) << diagnostics_text(result.diagnostics);
  EXPECT_TRUE(result.diagnostics.empty()) << diagnostics_text(result.diagnostics);
}

TEST(PlanChecksTest, RotationDateOnTheWrongWeekdayNamesTheActualDayInNorwegian) {
  const PlanLoad result = load(kRotation + "          A: 2024-01-16\n          B: 2024-01-22\n");
  EXPECT_FALSE(result.plan);
  EXPECT_TRUE(has_error(result, 15, 14,
                        "meeting 1: the date for team A (2024-01-16) is not a MO (mandag)",
                        "2024-01-16 falls on TU (tirsdag)"));
}

TEST(PlanChecksTest, OverrideDateOnTheWrongWeekdayPointsAtTheDate) {
  const PlanLoad result = load(
      kRotation + "          A: 2024-01-15\n          B: {end: \"13:00\", date: 2024-01-24}\n");
  EXPECT_TRUE(has_error(result, 16, 35, "the date for team B (2024-01-24) is not a MO", "onsdag"));
}

TEST(PlanChecksTest, TeamMissingADateAndUnknownTeamInDates) {
  const PlanLoad result = load(kRotation + "          A: 2024-01-15\n          C: 2024-01-22\n");
  EXPECT_TRUE(
      has_error(result, 14, 9, "meeting 1 has no date for team B", "one date for each team"));
  EXPECT_TRUE(has_error(result, 16, 11, "team \"C\" is not a team of rotation \"m\"", "A, B"));
}

TEST(PlanChecksTest, TeamListedTwiceInDates) {
  const PlanLoad result = load(
      kRotation + "          A: 2024-01-15\n          B: 2024-01-22\n          B: 2024-01-29\n");
  EXPECT_TRUE(has_error(result, 17, 11, "team B is listed twice in the dates of meeting 1",
                        "the first is at line 16"));
}

TEST(PlanChecksTest, InvalidCalendarDateExplainsTheMonth) {
  const PlanLoad result = load(kRotation + "          A: 2024-02-30\n          B: 2023-02-29\n");
  EXPECT_TRUE(has_error(result, 15, 14, "2024-02-30 is not a date: February 2024 has 29 days"));
  EXPECT_TRUE(has_error(result, 16, 14, "2023-02-29 is not a date: February 2023 has 28 days"));
  const PlanLoad month = load(kRotation + "          A: 2024-13-01\n          B: 2024-01-22\n");
  EXPECT_TRUE(has_error(month, 15, 14, "2024-13-01 is not a date: there is no month 13"));
}

TEST(PlanChecksTest, EndBeforeOrAtStart) {
  PlanLoad result =
      load(kHead +
           "weekly:\n"                                                                   // 6
           "  - {key: w, title: W, weekday: WE, from: 2024-01-03, until: 2024-02-28,\n"  // 7
           "     time: {start: \"13:00\", end: \"13:00\"}}\n");                          // 8
  EXPECT_TRUE(has_error(result, 8, 34, "the meeting ends at 13:00 but starts at 13:00"));
  result = load(kRotation +
                "          A: 2024-01-15\n          B: {date: 2024-01-22, end: \"08:30\"}\n");
  EXPECT_TRUE(
      has_error(result, 16, 38, "with this change the meeting ends at 08:30 but starts at 09:00"));
}

TEST(PlanChecksTest, UnknownTeamsRolesAndPeopleInAudiencesAndRoster) {
  const PlanLoad result = load(
      "plan: p\ntitle: T\n"
      "teams: [{key: A, name: Team A}]\n"                                      // 3
      "roles: [{key: leder, name: Ledere}]\n"                                  // 4
      "roster:\n"                                                              // 5
      "  - {id: kari, name: Kari, team: X, roles: [ledr], reports_to: ola}\n"  // 6
      "weekly:\n"                                                              // 7
      "  - key: w\n    title: W\n    weekday: WE\n    from: 2024-01-03\n    until: "
      "2024-02-28\n"                                                          // 8-12
      "    time: {start: \"13:00\", end: \"14:00\"}\n"                        // 13
      "    audience: [all, team:B, role:leder, person:kari, person:per]\n");  // 14
  EXPECT_FALSE(result.plan);
  EXPECT_TRUE(has_error(result, 6, 34, "unknown team \"X\""));
  EXPECT_TRUE(has_error(result, 6, 45, "unknown role \"ledr\"", "did you mean \"leder\"?"));
  EXPECT_TRUE(has_error(result, 6, 64, "unknown person \"ola\""));
  EXPECT_TRUE(has_error(result, 14, 21, "unknown team \"B\""));
  EXPECT_TRUE(has_error(result, 14, 54, "unknown person \"per\"", "known: kari"));
  EXPECT_EQ(result.diagnostics.error_count(), 5u) << diagnostics_text(result.diagnostics);
}

TEST(PlanChecksTest, DuplicateKeysAreReportedWhereTheyRepeat) {
  const PlanLoad result = load(
      "plan: p\ntitle: T\n"
      "teams: [{key: A, name: Team A}, {key: A, name: Team A2}]\n"    // 3
      "roster: [{id: kari, name: Kari}, {id: kari, name: Kari 2}]\n"  // 4
      "weekly:\n"                                                     // 5
      "  - {key: w, title: W, weekday: WE, from: 2024-01-03, until: 2024-02-28, time: {start: "
      "\"13:00\", end: \"14:00\"}}\n"
      "  - {key: w, title: W, weekday: WE, from: 2024-01-03, until: 2024-02-28, time: {start: "
      "\"15:00\", end: \"16:00\"}}\n"
      "series:\n"  // 8
      "  - key: s\n    title: S\n    interval_weeks: 1\n    time: {start: \"09:00\", end: "
      "\"10:00\"}\n"                                                             // 9-12
      "    rows:\n"                                                              // 13
      "      - {key: r, name: R1, weekday: TU, from: 2021-09-07, count: 2}\n"    // 14
      "      - {key: r, name: R2, weekday: TU, from: 2021-09-07, count: 2}\n");  // 15
  EXPECT_TRUE(has_error(result, 3, 39, "team \"A\" is declared twice", "the first is at line 3"));
  EXPECT_TRUE(has_error(result, 4, 39, "person id \"kari\" is declared twice"));
  EXPECT_TRUE(has_error(result, 7, 11, "programme key \"w\" is declared twice", "line 6"));
  EXPECT_TRUE(has_error(result, 15, 15, "row key \"r\" is declared twice"));
}

TEST(PlanChecksTest, DuplicateMeetingNumbersInARotation) {
  const PlanLoad result = load(kRotation +
                               "          A: 2024-01-15\n          B: 2024-01-22\n"
                               "      - number: 1\n"  // 17
                               "        dates: {A: 2024-01-29, B: 2024-02-05}\n");
  EXPECT_TRUE(has_error(result, 17, 17, "meeting number \"1\" is declared twice"));
}

const std::string kSeries = kHead +
                            "series:\n"                                       // 6
                            "  - key: s\n"                                    // 7
                            "    title: S\n"                                  // 8
                            "    interval_weeks: 4\n"                         // 9
                            "    time: {start: \"09:00\", end: \"11:00\"}\n"  // 10
                            "    rows:\n";                                    // 11

TEST(PlanChecksTest, SeriesRowFromNotOnItsWeekday) {
  const PlanLoad result =
      load(kSeries + "      - {key: r, name: R, weekday: TU, from: 2021-09-08, count: 4}\n");
  EXPECT_TRUE(has_error(result, 12, 46,
                        "row \"r\" starts on 2021-09-08, which is not a TU (tirsdag)",
                        "2021-09-08 falls on WE (onsdag)"));
}

TEST(PlanChecksTest, SeriesParticipantRangeMustNotBeUpsideDown) {
  const PlanLoad result = load(kHead +
                               "series:\n"                                       // 6
                               "  - key: s\n"                                    // 7
                               "    title: S\n"                                  // 8
                               "    interval_weeks: 4\n"                         // 9
                               "    time: {start: \"09:00\", end: \"11:00\"}\n"  // 10
                               "    participants: {min: 15, max: 2}\n"           // 11
                               "    rows:\n"                                     // 12
                               "      - {key: r, name: R, weekday: TU, from: 2021-09-07, "
                               "count: 4}\n");
  EXPECT_TRUE(has_error(result, 11, 25, "participants.min 15 is more than participants.max 2",
                        "no registration could be accepted; swap the two numbers"))
      << diagnostics_text(result.diagnostics);
}

TEST(PlanChecksTest, SeriesRowCountAndUntil) {
  PlanLoad result = load(
      kSeries +
      "      - {key: r, name: R, weekday: TU, from: 2021-09-07, count: 4, until: 2021-11-30}\n");
  EXPECT_TRUE(has_error(result, 12, 75, "row \"r\" gives both count and until", "keep one"));
  result = load(kSeries + "      - {key: r, name: R, weekday: TU, from: 2021-09-07}\n");
  EXPECT_TRUE(has_error(result, 12, 9, "row \"r\" needs count or until"));
  // With sessions, the sessions give the count.
  result = load(kSeries +
                "      - {key: r, name: R, weekday: TU, from: 2021-09-07}\n"
                "    sessions: [{topic: Tema 1}, {topic: Tema 2}]\n");
  EXPECT_TRUE(result.plan) << diagnostics_text(result.diagnostics);
  result = load(kSeries +
                "      - {key: r, name: R, weekday: TU, from: 2021-09-07, until: 2021-09-01}\n");
  EXPECT_TRUE(
      has_error(result, 12, 65, "row \"r\" ends (2021-09-01) before it starts (2021-09-07)"));
}

TEST(PlanChecksTest, SeriesChangesMustNameAnExistingMeeting) {
  const PlanLoad result = load(
      kSeries +
      "      - key: r\n        name: R\n        weekday: TU\n        from: 2021-09-07\n"  // 12-15
      "        count: 2\n"                                                                // 16
      "        changes:\n"                                                                // 17
      "          \"3\": {topic: x}\n"                                                     // 18
      "          first: {topic: y}\n");                                                   // 19
  EXPECT_TRUE(
      has_error(result, 18, 11, "row \"r\" has 2 meetings, so there is no meeting 3 to change"));
  EXPECT_TRUE(has_error(result, 19, 11, "\"first\" is not a meeting number"));
}

const std::string kWheel =
    "plan: p\ntitle: T\n"
    "wheel:\n"                           // 3
    "  years: {from: 2024, to: 2025}\n"  // 4
    "  items:\n";                        // 5

TEST(PlanChecksTest, WheelMeetingNeedsATimeAndDeadlinesHaveNone) {
  const PlanLoad result =
      load(kWheel +
           "    - {key: a, kind: meeting, title: A, on: \"09-10\", responsible: [all]}\n"   // 6
           "    - {key: b, kind: deadline, title: B, on: \"10-15\", responsible: [all],\n"  // 7
           "       time: {start: \"10:00\", end: \"11:00\"}}\n");                           // 8
  EXPECT_TRUE(has_error(result, 6, 7, "wheel meeting \"a\" has no time"));
  EXPECT_TRUE(has_error(result, 8, 14, "deadline \"b\" has a time", "remove time"));
}

TEST(PlanChecksTest, WheelDayMustExistEveryYear) {
  const PlanLoad result =
      load(kWheel +
           "    - {key: a, kind: deadline, title: A, on: \"02-30\", responsible: [all]}\n"    // 6
           "    - {key: b, kind: deadline, title: B, on: \"02-29\", responsible: [all]}\n"    // 7
           "    - {key: c, kind: deadline, title: C, on: \"13-01\", responsible: [all]}\n");  // 8
  EXPECT_TRUE(
      has_error(result, 6, 46, "\"02-30\" is not a date in 2024: February 2024 has 29 days"));
  EXPECT_TRUE(
      has(result, Severity::Warning, 7, 46, "\"02-29\" does not exist in 2025", "28 February"));
  EXPECT_TRUE(has_error(result, 8, 46, "there is no month 13"));
}

TEST(PlanChecksTest, LeapDayAloneIsOnlyAWarning) {
  const PlanLoad result = load(
      kWheel + "    - {key: b, kind: deadline, title: B, on: \"02-29\", responsible: [all]}\n");
  EXPECT_TRUE(result.plan) << diagnostics_text(result.diagnostics);
  EXPECT_EQ(result.diagnostics.warning_count(), 1u);
}

TEST(PlanChecksTest, ManyProblemsAreAllReported) {
  const PlanLoad result =
      load(kRotation +
           "          A: 2024-01-16\n"                           // 15 wrong weekday
           "          B: 2024-02-30\n"                           // 16 not a date
           "      - number: 2\n"                                 // 17
           "        time: {start: \"12:00\", end: \"11:00\"}\n"  // 18 end before start
           "        dates: {A: 2024-03-04}\n");                  // 19 B missing
  EXPECT_FALSE(result.plan);
  EXPECT_EQ(result.diagnostics.error_count(), 4u) << diagnostics_text(result.diagnostics);
  EXPECT_TRUE(has_error(result, 15, 14, "not a MO"));
  EXPECT_TRUE(has_error(result, 16, 14, "2024-02-30 is not a date"));
  EXPECT_TRUE(has_error(result, 18, 37, "ends at 11:00 but starts at 12:00"));
  EXPECT_TRUE(has_error(result, 19, 9, "meeting 2 has no date for team B"));
}

}  // namespace
}  // namespace plancal

namespace plancal {
namespace {

TEST(PlanChecksTest, PeriodsOfMoreThanTenYearsAreTypos) {
  const PlanLoad result =
      load(kHead +
           "weekly:\n"                                                                   // 6
           "  - {key: w, title: W, weekday: WE, from: 2024-01-03, until: 2204-02-28,\n"  // 7
           "     time: {start: \"13:00\", end: \"14:00\"}}\n");
  EXPECT_TRUE(has_error(result, 7, 62,
                        "weekly slot \"w\" runs from 2024-01-03 to 2204-02-28: more than ten years",
                        "check the year"));
}

TEST(PlanChecksTest, HugeCountsAreRefusedByTheSchema) {
  const PlanLoad result = load(
      kSeries + "      - {key: r, name: R, weekday: TU, from: 2021-09-07, count: 3000000000}\n");
  EXPECT_TRUE(has_error(
      result, 12, 65,
      "\"count\" in row \"r\" of series \"s\" must be at most 520, found the number 3000000000"));
}

}  // namespace
}  // namespace plancal

namespace plancal {
namespace {

TEST(PlanChecksTest, SchemaAndSemanticErrorsInDifferentPlacesAreReportedTogether) {
  const PlanLoad result =
      load(kRotation +
           "          A: 2024-01-15\n"                          // 15
           "          B: 2024-01-22\n"                          // 16
           "        locaton: Brakka\n"                          // 17 schema error in meeting 1
           "      - number: 2\n"                                // 18
           "        dates: {A: 2024-01-30, B: 2024-02-05}\n");  // 19 A is a Tuesday
  EXPECT_FALSE(result.plan);
  EXPECT_TRUE(has_error(result, 17, 9, "unknown key \"locaton\" in meeting 1",
                        "did you mean \"location\"?"));
  EXPECT_TRUE(has_error(result, 19, 20,
                        "meeting 2: the date for team A (2024-01-30) is not a MO (mandag)"));
  EXPECT_EQ(result.diagnostics.error_count(), 2u) << diagnostics_text(result.diagnostics);
}

TEST(PlanChecksTest, APartWithSchemaErrorsIsNotCheckedFurther) {
  // Meeting 1's weekday error would be noise next to its broken time: only the time is reported.
  const PlanLoad broken_meeting = load(kRotation +
                                       "          A: 2024-01-16\n          B: 2024-01-22\n"
                                       "        time: {start: \"nine\", end: \"12:00\"}\n");  // 17
  EXPECT_TRUE(has_error(broken_meeting, 17, 23, "expected a time HH:MM"));
  EXPECT_EQ(broken_meeting.diagnostics.error_count(), 1u)
      << diagnostics_text(broken_meeting.diagnostics);
  // A broken team entry: uses of team B are not called unknown.
  const PlanLoad broken_team = load(
      "plan: p\ntitle: T\n"
      "teams: [{key: A, name: Team A}, {key: B, nme: Team B}]\n"  // 3
      "weekly:\n"
      "  - {key: w, title: W, weekday: WE, from: 2024-01-03, until: 2024-02-28,\n"
      "     time: {start: \"13:00\", end: \"14:00\"}, audience: [team:B, team:C]}\n");  // 6
  EXPECT_TRUE(has_error(broken_team, 3, 42, "unknown key \"nme\" in team \"B\""));
  EXPECT_EQ(broken_team.diagnostics.error_count(), 2u)
      << diagnostics_text(broken_team.diagnostics);  // + missing name
}

}  // namespace
}  // namespace plancal

namespace plancal {
namespace {

TEST(PlanChecksTest, WarningsLeaveThePlanUsable) {
  const PlanLoad result =
      load(kHead +
           "weekly:\n"                                                                   // 6
           "  - {key: w, title: W, weekday: WE, from: 2024-01-03, until: 2024-02-28,\n"  // 7
           "     except: [2024-01-10, 2024-01-16],\n"                                    // 8
           "     time: {start: \"13:00\", end: \"14:00\"}}\n"
           "series:\n"                                                                       // 10
           "  - {key: s, title: S, interval_weeks: 2, registration_deadline: 2021-09-07,\n"  // 11
           "     time: {start: \"09:00\", end: \"10:00\"},\n"
           "     rows: [{key: r, name: R, weekday: TU, from: 2021-09-07, count: 2}]}\n");
  ASSERT_TRUE(result.plan) << diagnostics_text(result.diagnostics);
  EXPECT_EQ(result.diagnostics.warning_count(), 2u) << diagnostics_text(result.diagnostics);
  EXPECT_TRUE(has(result, Severity::Warning, 8, 27,
                  "except date 2024-01-16 falls on TU (tirsdag), but the slot is on WE (onsdag)"));
  EXPECT_TRUE(has(result, Severity::Warning, 11, 66,
                  "the registration deadline 2021-09-07 is not before row \"r\" starts"));
}

}  // namespace
}  // namespace plancal
