#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include "expand/expander.h"

namespace plancal {
namespace {

SourceLocation line(int number) { return SourceLocation{"plan.yaml", number, 7}; }

TeamDate team_date(const std::string& team, Date date, int at_line) {
  TeamDate td;
  td.team = team;
  td.date = date;
  td.where = line(at_line);
  return td;
}

/// Seed 000 in miniature: meetings 1 and 6 of the Monday seminars for teams A, B and C.
Plan seminar_plan() {
  Plan plan;
  plan.id = "mandagsseminar-2024";
  plan.title = "Mandagsseminarer 2024";
  plan.teams = {{"A", "Team A", {}}, {"B", "Team B", {}}, {"C", "Team C", {}}};
  Rotation rotation;
  rotation.key = "mandagsseminar";
  rotation.title = "Mandagsseminar";
  rotation.teams = {"A", "B", "C"};
  rotation.time = {{9, 0}, {12, 0}};
  rotation.content.location = "Undervisningsbrakka";
  rotation.content.speaker_label = "Foreleser";
  rotation.content.agenda = {{{9, 0}, "Fremmøte", "Deltakere skal møte i tide"},
                             {{9, 5}, "Innledning", ""}};
  rotation.content.preparation = {"Les kapittel 1"};

  RotationMeeting first;
  first.key = "1";
  first.number = 1;
  first.content.topic = "En dag på Milepælen";
  first.content.speaker = "Erik";
  first.dates = {team_date("A", {2024, 1, 15}, 20), team_date("B", {2024, 1, 8}, 21),
                 team_date("C", {2024, 1, 22}, 22)};
  RotationMeeting sixth;
  sixth.key = "6";
  sixth.number = 6;
  sixth.content.topic = "Traumebevisst omsorg";
  sixth.content.speaker = "TBA";
  sixth.time = TimeSpan{{9, 0}, {13, 0}};
  sixth.dates = {team_date("A", {2024, 8, 26}, 40), team_date("B", {2024, 9, 2}, 41),
                 team_date("C", {2024, 9, 9}, 42)};
  sixth.dates[1].change.topic = "Omsorgstretthet";
  sixth.dates[1].change.speaker = "Ekstern foreleser";
  sixth.dates[1].change.note = "Nytt tema";
  sixth.dates[2].change.cancelled = true;
  rotation.meetings = {first, sixth};
  plan.rotations.push_back(rotation);
  return plan;
}

const Occurrence& find_uid(const std::vector<Occurrence>& occurrences, const std::string& uid) {
  const auto it = std::find_if(occurrences.begin(), occurrences.end(),
                               [&](const Occurrence& o) { return o.uid == uid; });
  if (it == occurrences.end()) throw std::runtime_error("no occurrence " + uid);
  return *it;
}

TEST(ExpandRotationTest, OneOccurrencePerTeamDate) {
  const auto occurrences = expand_plan(seminar_plan());
  ASSERT_EQ(occurrences.size(), 6U);
  const auto& a = find_uid(occurrences, "mandagsseminar-2024.mandagsseminar.1.team-A.A@plancal");
  EXPECT_EQ(a.audience, "team:A");
  EXPECT_EQ(a.component_key, "mandagsseminar");
  EXPECT_EQ(a.meeting_key, "1");
  EXPECT_EQ(a.occurrence_key, "A");
  EXPECT_EQ(a.plan_id, "mandagsseminar-2024");
  EXPECT_EQ(a.summary, "Mandagsseminar 1: En dag på Milepælen");
  EXPECT_EQ(a.start, (LocalDateTime{{2024, 1, 15}, {9, 0}}));
  EXPECT_EQ(a.end, (LocalDateTime{{2024, 1, 15}, {12, 0}}));
  EXPECT_EQ(a.location, "Undervisningsbrakka");
  EXPECT_EQ(a.timezone, "Europe/Oslo");
  EXPECT_EQ(a.kind, OccurrenceKind::Meeting);
  EXPECT_FALSE(a.all_day);
  EXPECT_EQ(a.where.line, 20);
  EXPECT_EQ(a.categories, (std::vector<std::string>{"Mandagsseminar"}));
}

TEST(ExpandRotationTest, DescriptionFollowsTheNorwegianLayout) {
  const auto occurrences = expand_plan(seminar_plan());
  const auto& a = find_uid(occurrences, "mandagsseminar-2024.mandagsseminar.1.team-A.A@plancal");
  EXPECT_EQ(a.description,
            "Tema: En dag på Milepælen\n"
            "Foreleser: Erik\n"
            "Sted: Undervisningsbrakka\n"
            "\n"
            "Program:\n"
            "09.00 Fremmøte – Deltakere skal møte i tide\n"
            "09.05 Innledning\n"
            "\n"
            "Forberedelser:\n"
            "- Les kapittel 1");
}

TEST(ExpandRotationTest, MeetingLevelTimeEndsMeetingSixAt1300) {
  const auto occurrences = expand_plan(seminar_plan());
  for (const auto& o : occurrences) {
    const int expected_end = o.meeting_key == "6" ? 13 : 12;
    EXPECT_EQ(o.end.time, (TimeOfDay{expected_end, 0})) << o.uid;
  }
}

TEST(ExpandRotationTest, PerDateOverrideChangesTopicSpeakerAndNote) {
  const auto occurrences = expand_plan(seminar_plan());
  const auto& b = find_uid(occurrences, "mandagsseminar-2024.mandagsseminar.6.team-B.B@plancal");
  EXPECT_EQ(b.summary, "Mandagsseminar 6: Omsorgstretthet");
  EXPECT_EQ(b.content.speaker, "Ekstern foreleser");
  EXPECT_NE(b.description.find("Foreleser: Ekstern foreleser\n"), std::string::npos);
  EXPECT_TRUE(b.description.ends_with("\n\nEndring: Nytt tema")) << b.description;
  const auto& a = find_uid(occurrences, "mandagsseminar-2024.mandagsseminar.6.team-A.A@plancal");
  EXPECT_EQ(a.summary, "Mandagsseminar 6: Traumebevisst omsorg");
}

TEST(ExpandRotationTest, PerDateOverrideEndTime) {
  Plan plan = seminar_plan();
  plan.rotations[0].meetings[0].dates[0].change.end = TimeOfDay{13, 0};
  const auto occurrences = expand_plan(plan);
  const auto& a = find_uid(occurrences, "mandagsseminar-2024.mandagsseminar.1.team-A.A@plancal");
  EXPECT_EQ(a.end.time, (TimeOfDay{13, 0}));
  EXPECT_EQ(a.start.time, (TimeOfDay{9, 0}));
}

TEST(ExpandRotationTest, CancelledOverrideIsKeptAsCancelled) {
  const auto occurrences = expand_plan(seminar_plan());
  const auto& c = find_uid(occurrences, "mandagsseminar-2024.mandagsseminar.6.team-C.C@plancal");
  EXPECT_EQ(c.status, OccurrenceStatus::Cancelled);
  const auto& a = find_uid(occurrences, "mandagsseminar-2024.mandagsseminar.6.team-A.A@plancal");
  EXPECT_EQ(a.status, OccurrenceStatus::Confirmed);
}

TEST(ExpandRotationTest, MovingADateKeepsTheUid) {
  Plan plan = seminar_plan();
  const auto before = expand_plan(plan);
  plan.rotations[0].meetings[0].dates[0].date = Date{2024, 1, 29};
  const auto after = expand_plan(plan);
  const std::string uid = "mandagsseminar-2024.mandagsseminar.1.team-A.A@plancal";
  EXPECT_EQ(find_uid(before, uid).start.date, (Date{2024, 1, 15}));
  EXPECT_EQ(find_uid(after, uid).start.date, (Date{2024, 1, 29}));
  EXPECT_EQ(before.size(), after.size());
}

TEST(ExpandRotationTest, SortedByStartThenUid) {
  Plan plan = seminar_plan();
  plan.rotations[0].meetings[0].dates[2].date = Date{2024, 1, 8};  // C on the same day as B
  const auto occurrences = expand_plan(plan);
  EXPECT_TRUE(std::is_sorted(occurrences.begin(), occurrences.end(),
                             [](const Occurrence& a, const Occurrence& b) {
                               return std::tie(a.start, a.uid) < std::tie(b.start, b.uid);
                             }));
  EXPECT_EQ(occurrences[0].occurrence_key, "B");
  EXPECT_EQ(occurrences[1].occurrence_key, "C");
  EXPECT_EQ(occurrences[2].occurrence_key, "A");
}

TEST(ExpandRotationTest, MissingTopicGivesTitleAndNumber) {
  Plan plan = seminar_plan();
  plan.rotations[0].meetings[0].content.topic.clear();
  const auto occurrences = expand_plan(plan);
  EXPECT_EQ(find_uid(occurrences, "mandagsseminar-2024.mandagsseminar.1.team-A.A@plancal").summary,
            "Mandagsseminar 1");
}

TEST(ExpandRotationTest, ExpansionIsDeterministic) {
  const auto first = expand_plan(seminar_plan());
  const auto second = expand_plan(seminar_plan());
  ASSERT_EQ(first.size(), second.size());
  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].uid, second[i].uid);
    EXPECT_EQ(first[i].description, second[i].description);
  }
}

}  // namespace
}  // namespace plancal
