#include <gtest/gtest.h>

#include <algorithm>

#include "expand/expander.h"

namespace plancal {
namespace {

SeriesRow row(const std::string& key, const std::string& name, Weekday weekday, Date first) {
  SeriesRow r;
  r.key = key;
  r.name = name;
  r.weekday = weekday;
  r.first = first;
  r.count = 4;
  r.capacity = 1;
  r.where = SourceLocation{"dybde.yaml", 30, 5};
  return r;
}

/// Seed 003: three rows of depth meetings every four weeks, online on Teams.
Plan depth_meetings() {
  Plan plan;
  plan.id = "dybdemoter-2021";
  Series series;
  series.key = "dybdemote";
  series.title = "Dybdemøte om praksis";
  series.interval_weeks = 4;
  series.time = {{9, 0}, {11, 0}};
  series.audience = {"all"};
  series.content.online = OnlineMeeting{"teams", ""};
  series.rows = {row("tirsdag", "Datorekke 1: Tirsdager", Weekday::Tuesday, {2021, 9, 7}),
                 row("onsdag", "Datorekke 2: Onsdager", Weekday::Wednesday, {2021, 9, 8}),
                 row("torsdag", "Datorekke 3: Torsdager", Weekday::Thursday, {2021, 9, 9})};
  series.rows[1].full = true;
  plan.series.push_back(series);
  return plan;
}

std::vector<Occurrence> with_meeting(const std::vector<Occurrence>& all, const std::string& key) {
  std::vector<Occurrence> found;
  std::copy_if(all.begin(), all.end(), std::back_inserter(found),
               [&](const Occurrence& o) { return o.meeting_key == key; });
  return found;
}

TEST(ExpandSeriesTest, RowsEveryFourWeeks) {
  const auto occurrences = expand_plan(depth_meetings());
  ASSERT_EQ(occurrences.size(), 12U);
  const auto tuesdays = with_meeting(occurrences, "tirsdag");
  ASSERT_EQ(tuesdays.size(), 4U);
  EXPECT_EQ(tuesdays[0].start.date, (Date{2021, 9, 7}));
  EXPECT_EQ(tuesdays[1].start.date, (Date{2021, 10, 5}));
  EXPECT_EQ(tuesdays[2].start.date, (Date{2021, 11, 2}));
  EXPECT_EQ(tuesdays[3].start.date, (Date{2021, 11, 30}));
  EXPECT_EQ(tuesdays[1].uid, "dybdemoter-2021.dybdemote.tirsdag.all.2@plancal");
  EXPECT_EQ(tuesdays[1].summary, "Dybdemøte om praksis 2/4 (Datorekke 1: Tirsdager)");
  EXPECT_EQ(tuesdays[1].location, "Microsoft Teams");
  EXPECT_EQ(tuesdays[1].audience, "all");
}

TEST(ExpandSeriesTest, CapacityAndFullInDescription) {
  const auto occurrences = expand_plan(depth_meetings());
  const auto wednesdays = with_meeting(occurrences, "onsdag");
  EXPECT_EQ(wednesdays[0].description, "Nettmøte (Teams)\nPlasser: 1 (FULLT)");
  EXPECT_EQ(with_meeting(occurrences, "torsdag")[0].description, "Nettmøte (Teams)\nPlasser: 1");
}

TEST(ExpandSeriesTest, UntilIsInclusive) {
  Plan plan = depth_meetings();
  plan.series[0].rows.resize(1);
  plan.series[0].rows[0].count.reset();
  plan.series[0].rows[0].until = Date{2021, 11, 2};
  const auto occurrences = expand_plan(plan);
  ASSERT_EQ(occurrences.size(), 3U);
  EXPECT_EQ(occurrences.back().start.date, (Date{2021, 11, 2}));
  EXPECT_EQ(occurrences.back().summary, "Dybdemøte om praksis 3/3");
}

TEST(ExpandSeriesTest, SessionsGiveContentAndCount) {
  Plan plan;
  plan.id = "refleksjon";
  Series series;
  series.key = "mestring";
  series.title = "Refleksjonsgruppe";
  series.interval_weeks = 2;
  series.time = {{13, 0}, {15, 30}};
  series.audience = {"team:A", "team:B"};
  series.content.location = "Møterom 1";
  for (int i = 1; i <= 5; ++i) {
    SeriesSession session;
    session.content.topic = "Tema " + std::to_string(i);
    series.sessions.push_back(session);
  }
  series.sessions[0].content.preparation = {"Les heftet"};
  SeriesRow only = row("hoest", "Høst", Weekday::Monday, {2024, 9, 2});
  only.count.reset();
  only.capacity = 0;
  series.rows = {only};
  plan.series.push_back(series);
  const auto occurrences = expand_plan(plan);
  ASSERT_EQ(occurrences.size(), 5U);
  EXPECT_EQ(occurrences[0].summary, "Refleksjonsgruppe 1/5: Tema 1");
  EXPECT_EQ(occurrences[4].start.date, (Date{2024, 10, 28}));
  EXPECT_EQ(occurrences[0].audience, "team:A+team:B");
  EXPECT_EQ(occurrences[0].uid, "refleksjon.mestring.hoest.team-A+team-B.1@plancal");
  EXPECT_EQ(occurrences[0].description,
            "Tema: Tema 1\nSted: Møterom 1\n\nForberedelser:\n- Les heftet");
  EXPECT_EQ(occurrences[1].description, "Tema: Tema 2\nSted: Møterom 1");
}

TEST(ExpandSeriesTest, ChangeOverridesOneOccurrence) {
  Plan plan = depth_meetings();
  OccurrenceOverride change;
  change.end = TimeOfDay{12, 0};
  change.topic = "Ekstra lang økt";
  change.note = "Utvidet";
  plan.series[0].rows[0].changes.emplace_back(2, change);
  OccurrenceOverride cancel;
  cancel.cancelled = true;
  plan.series[0].rows[0].changes.emplace_back(3, cancel);
  const auto tuesdays = with_meeting(expand_plan(plan), "tirsdag");
  EXPECT_EQ(tuesdays[1].end.time, (TimeOfDay{12, 0}));
  EXPECT_EQ(tuesdays[1].summary,
            "Dybdemøte om praksis 2/4: Ekstra lang økt (Datorekke 1: Tirsdager)");
  EXPECT_TRUE(tuesdays[1].description.ends_with("Endring: Utvidet"));
  EXPECT_EQ(tuesdays[0].end.time, (TimeOfDay{11, 0}));
  EXPECT_EQ(tuesdays[2].status, OccurrenceStatus::Cancelled);
}

TEST(ExpandSeriesTest, MovedDateKeepsTheUid) {
  Plan plan = depth_meetings();
  OccurrenceOverride move;
  move.date = Date{2021, 10, 6};
  move.note = "Flyttet til onsdag";
  plan.series[0].rows[0].changes.emplace_back(2, move);
  const auto before = with_meeting(expand_plan(depth_meetings()), "tirsdag");
  const auto after = with_meeting(expand_plan(plan), "tirsdag");
  ASSERT_EQ(before.size(), after.size());
  EXPECT_EQ(before[1].uid, after[1].uid);
  EXPECT_EQ(before[1].start.date, (Date{2021, 10, 5}));
  EXPECT_EQ(after[1].start.date, (Date{2021, 10, 6}));
  EXPECT_EQ(after[1].start.time, (TimeOfDay{9, 0}));
  EXPECT_EQ(after[2].start.date, (Date{2021, 11, 2}));
}

/// Seed 004: a weekly hour of peer supervision.
Plan peer_supervision() {
  Plan plan;
  plan.id = "kollega";
  WeeklySlot slot;
  slot.key = "kollegaveiledning";
  slot.title = "Kollegaveiledning";
  slot.weekday = Weekday::Wednesday;
  slot.time = {{13, 0}, {14, 0}};
  slot.from = Date{2024, 3, 1};  // a Friday: the first slot is Wednesday 6 March
  slot.until = Date{2024, 5, 29};
  slot.except = {Date{2024, 3, 13}};
  slot.blackouts.push_back(Blackout{{2024, 4, 8}, {2024, 4, 14}, "Fagdager", {}});
  slot.audience = {"all"};
  slot.where = SourceLocation{"kollega.yaml", 4, 3};
  plan.weekly.push_back(slot);
  return plan;
}

std::vector<Date> start_dates(const std::vector<Occurrence>& occurrences) {
  std::vector<Date> dates;
  for (const auto& o : occurrences) dates.push_back(o.start.date);
  return dates;
}

TEST(ExpandWeeklyTest, EveryWeekExceptHolidaysExceptionsAndBlackouts) {
  const auto occurrences = expand_plan(peer_supervision());
  const auto dates = start_dates(occurrences);
  const std::vector<Date> expected{{2024, 3, 6},  {2024, 3, 20}, {2024, 3, 27}, {2024, 4, 3},
                                   {2024, 4, 17}, {2024, 4, 24}, {2024, 5, 8},  {2024, 5, 15},
                                   {2024, 5, 22}, {2024, 5, 29}};
  EXPECT_EQ(dates, expected);  // 1 May is a holiday, 10 April in the blackout, 13 March excepted
  EXPECT_EQ(occurrences[0].uid, "kollega.kollegaveiledning.kollegaveiledning.all.1@plancal");
  EXPECT_EQ(occurrences[6].occurrence_key, "7");
  EXPECT_EQ(occurrences[0].summary, "Kollegaveiledning");
  EXPECT_EQ(occurrences[0].where.line, 4);
}

TEST(ExpandWeeklyTest, HolidaysKeptWhenNotSkipped) {
  Plan plan = peer_supervision();
  plan.weekly[0].skip_holidays = false;
  const auto dates = start_dates(expand_plan(plan));
  EXPECT_NE(std::find(dates.begin(), dates.end(), Date{2024, 5, 1}), dates.end());
}

/// Seed 002: an annual wheel with a deadline and a meeting.
Plan competence_wheel() {
  Plan plan;
  plan.id = "kompetanseplan";
  Wheel wheel;
  wheel.first_year = 2024;
  wheel.last_year = 2025;
  WheelItem deadline;
  deadline.key = "soknadsfrist";
  deadline.kind = WheelItemKind::Deadline;
  deadline.title = "Søknad om kompetansemidler";
  deadline.month = 10;
  deadline.day = 15;
  deadline.responsible = {"role:virksomhetsleder", "role:fagradgiver"};
  WheelItem meeting;
  meeting.key = "satsningsmote";
  meeting.kind = WheelItemKind::Meeting;
  meeting.title = "Møte om satsningsområder";
  meeting.month = 9;
  meeting.day = 10;
  meeting.time = TimeSpan{{10, 0}, {12, 0}};
  meeting.responsible = {"role:virksomhetsleder"};
  wheel.items = {deadline, meeting};
  plan.wheel = wheel;
  return plan;
}

TEST(ExpandWheelTest, EachItemEachYear) {
  const auto occurrences = expand_plan(competence_wheel());
  ASSERT_EQ(occurrences.size(), 4U);
  EXPECT_EQ(occurrences[0].start.date, (Date{2024, 9, 10}));
  EXPECT_EQ(occurrences[1].start.date, (Date{2024, 10, 15}));
  EXPECT_EQ(occurrences[3].start.date, (Date{2025, 10, 15}));
}

TEST(ExpandWheelTest, DeadlineIsAllDayUntilTheNextDay) {
  const auto occurrences = expand_plan(competence_wheel());
  const auto& deadline = occurrences[1];
  EXPECT_EQ(deadline.kind, OccurrenceKind::Deadline);
  EXPECT_TRUE(deadline.all_day);
  EXPECT_EQ(deadline.end.date, (Date{2024, 10, 16}));
  EXPECT_EQ(deadline.summary, "Frist: Søknad om kompetansemidler");
  EXPECT_EQ(deadline.audience, "role:virksomhetsleder+role:fagradgiver");
  EXPECT_EQ(
      deadline.uid,
      "kompetanseplan.wheel.soknadsfrist.role-virksomhetsleder+role-fagradgiver.2024@plancal");
}

TEST(ExpandWheelTest, MeetingIsTimed) {
  const auto occurrences = expand_plan(competence_wheel());
  const auto& meeting = occurrences[0];
  EXPECT_EQ(meeting.kind, OccurrenceKind::Meeting);
  EXPECT_FALSE(meeting.all_day);
  EXPECT_EQ(meeting.summary, "Møte om satsningsområder");
  EXPECT_EQ(meeting.start, (LocalDateTime{{2024, 9, 10}, {10, 0}}));
  EXPECT_EQ(meeting.end, (LocalDateTime{{2024, 9, 10}, {12, 0}}));
}

}  // namespace
}  // namespace plancal
