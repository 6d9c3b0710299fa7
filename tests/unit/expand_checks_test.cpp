#include <gtest/gtest.h>

#include "expand/checks.h"
#include "expand/expander.h"

namespace plancal {
namespace {

Occurrence meeting(const std::string& uid, const std::string& audience, LocalDateTime start,
                   LocalDateTime end, int line) {
  Occurrence o;
  o.uid = uid;
  o.summary = "Møte " + uid;
  o.audience = audience;
  o.start = start;
  o.end = end;
  o.where = SourceLocation{"plan.yaml", line, 9};
  return o;
}

LocalDateTime at(Date date, int hour, int minute = 0) {
  return LocalDateTime{date, {hour, minute}};
}

constexpr Date kEasterMonday{2024, 4, 1};
constexpr Date kOrdinaryMonday{2024, 4, 8};

TEST(ExpandChecksTest, WarnsAboutAMeetingOnEasterMonday) {
  const std::vector<Occurrence> occurrences{
      meeting("m5", "team:A", at(kEasterMonday, 9), at(kEasterMonday, 12), 31)};
  const auto diagnostics = check_occurrences(Plan{}, occurrences);
  ASSERT_EQ(diagnostics.all().size(), 1U);
  const Diagnostic& d = diagnostics.all()[0];
  EXPECT_EQ(d.severity, Severity::Warning);
  EXPECT_NE(d.message.find("2024-04-01 is 2. påskedag, a public holiday"), std::string::npos)
      << d.message;
  EXPECT_EQ(d.where.line, 31);
  EXPECT_FALSE(d.hint.empty());
  EXPECT_NE(d.hint.find("move"), std::string::npos);
}

TEST(ExpandChecksTest, CancelledMeetingOnAHolidayIsFine) {
  auto cancelled = meeting("m5", "team:A", at(kEasterMonday, 9), at(kEasterMonday, 12), 31);
  cancelled.status = OccurrenceStatus::Cancelled;
  EXPECT_TRUE(check_occurrences(Plan{}, {cancelled}).empty());
}

TEST(ExpandChecksTest, OverlapForTheSameTeamIsAnErrorAtTheLaterOne) {
  const std::vector<Occurrence> occurrences{
      meeting("first", "team:A", at(kOrdinaryMonday, 9), at(kOrdinaryMonday, 12), 10),
      meeting("second", "team:A", at(kOrdinaryMonday, 11), at(kOrdinaryMonday, 13), 20)};
  const auto diagnostics = check_occurrences(Plan{}, occurrences);
  ASSERT_EQ(diagnostics.error_count(), 1U);
  const Diagnostic& d = diagnostics.all()[0];
  EXPECT_EQ(d.where.line, 20);
  EXPECT_NE(d.message.find("first"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("Møte first"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("line 10"), std::string::npos) << d.message;
}

TEST(ExpandChecksTest, AllOverlapsWithEveryTeam) {
  const std::vector<Occurrence> occurrences{
      meeting("team", "team:B", at(kOrdinaryMonday, 9), at(kOrdinaryMonday, 12), 10),
      meeting("everyone", "all", at(kOrdinaryMonday, 10), at(kOrdinaryMonday, 11), 20)};
  EXPECT_EQ(check_occurrences(Plan{}, occurrences).error_count(), 1U);
}

TEST(ExpandChecksTest, NoOverlapAcrossTeamsOrBackToBack) {
  const std::vector<Occurrence> occurrences{
      meeting("a", "team:A", at(kOrdinaryMonday, 9), at(kOrdinaryMonday, 12), 10),
      meeting("b", "team:B", at(kOrdinaryMonday, 9), at(kOrdinaryMonday, 12), 11),
      meeting("a2", "team:A", at(kOrdinaryMonday, 12), at(kOrdinaryMonday, 13), 12)};
  EXPECT_TRUE(check_occurrences(Plan{}, occurrences).empty());
}

TEST(ExpandChecksTest, CancelledAndDeadlinesDoNotOverlap) {
  auto cancelled = meeting("c", "team:A", at(kOrdinaryMonday, 9), at(kOrdinaryMonday, 12), 10);
  cancelled.status = OccurrenceStatus::Cancelled;
  auto deadline = meeting("d", "all", at(kOrdinaryMonday, 0), at({2024, 4, 9}, 0), 11);
  deadline.kind = OccurrenceKind::Deadline;
  deadline.all_day = true;
  const auto a = meeting("a", "team:A", at(kOrdinaryMonday, 10), at(kOrdinaryMonday, 11), 12);
  EXPECT_TRUE(check_occurrences(Plan{}, {cancelled, deadline, a}).empty());
}

TEST(ExpandChecksTest, RotationPlanWithTeamsOnTheSameDayIsClean) {
  Plan plan;
  plan.id = "p";
  Rotation rotation;
  rotation.key = "r";
  rotation.title = "Seminar";
  rotation.time = {{9, 0}, {12, 0}};
  RotationMeeting m;
  m.key = "1";
  m.number = 1;
  for (const std::string team : {"A", "B", "C"}) {
    TeamDate td;
    td.team = team;
    td.date = kOrdinaryMonday;
    m.dates.push_back(td);
  }
  rotation.meetings.push_back(m);
  plan.rotations.push_back(rotation);
  EXPECT_TRUE(check_occurrences(plan, expand_plan(plan)).empty());
}

}  // namespace
}  // namespace plancal
