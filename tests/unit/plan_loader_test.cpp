// The plan loader on valid plans: each programme kind lands in the right model values.
#include <gtest/gtest.h>

#include "plan/loader.h"
#include "test_support.h"

namespace plancal {
namespace {

std::string report(const PlanLoad& load) {
  std::string text;
  for (const auto& d : load.diagnostics.all()) text += format_diagnostic(d) + "\n";
  return text;
}

Plan load_example(const std::string& name) {
  const auto path = testing::test_data_dir() / "plans" / name;
  PlanLoad load = load_plan_file(path.string());
  EXPECT_TRUE(load.plan.has_value()) << report(load);
  EXPECT_EQ(load.diagnostics.error_count(), 0u) << report(load);
  return load.plan.value_or(Plan{});
}

TEST(PlanLoaderTest, RotationPlanLoadsMeetingsDatesAndOverrides) {
  const Plan plan = load_example("rotation.yaml");
  EXPECT_EQ(plan.id, "mandagsseminar-2024");
  EXPECT_EQ(plan.title, "Mandagsseminarer 2024");
  EXPECT_EQ(plan.calendar_name, "Mandagsseminarer 2024");  // defaults to the title
  EXPECT_EQ(plan.timezone, "Europe/Oslo");
  EXPECT_EQ(plan.language, "nb");
  EXPECT_EQ(plan.organizer, "Stiftelsen Milepælen ungdomshjem");
  ASSERT_EQ(plan.teams.size(), 3u);
  EXPECT_EQ(plan.teams[1].key, "B");
  EXPECT_EQ(plan.teams[1].name, "Team B");

  ASSERT_EQ(plan.rotations.size(), 1u);
  const Rotation& r = plan.rotations[0];
  EXPECT_EQ(r.key, "mandagsseminar");
  EXPECT_EQ(r.weekday, Weekday::Monday);
  EXPECT_EQ(r.teams, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(r.time.start, (TimeOfDay{9, 0}));
  EXPECT_EQ(r.time.end, (TimeOfDay{12, 0}));
  EXPECT_EQ(r.content.location, "Undervisningsbrakka");
  ASSERT_EQ(r.content.agenda.size(), 2u);
  EXPECT_EQ(r.content.agenda[1].time, (TimeOfDay{9, 5}));  // "0905" is accepted
  EXPECT_EQ(r.content.agenda[0].note, "Deltakere skal møte i tide");

  ASSERT_EQ(r.meetings.size(), 2u);
  const RotationMeeting& first = r.meetings[0];
  EXPECT_EQ(first.number, 1);
  EXPECT_EQ(first.key, "1");  // defaults to the number
  EXPECT_EQ(first.content.topic, "En dag på Milepælen");
  EXPECT_FALSE(first.time.has_value());
  ASSERT_EQ(first.dates.size(), 3u);
  EXPECT_EQ(first.dates[0].team, "A");
  EXPECT_EQ(first.dates[0].date, (Date{2024, 1, 15}));
  EXPECT_EQ(first.dates[0].where.line, 25);

  const RotationMeeting& sixth = r.meetings[1];
  EXPECT_EQ(sixth.key, "seks");
  ASSERT_TRUE(sixth.time.has_value());
  EXPECT_EQ(sixth.time->end, (TimeOfDay{13, 0}));
  EXPECT_EQ(sixth.content.preparation, (std::vector<std::string>{"Les kapittel 3"}));
  EXPECT_EQ(sixth.dates[1].date, (Date{2024, 8, 26}));
  EXPECT_EQ(sixth.dates[1].change.end, (TimeOfDay{12, 30}));
  EXPECT_EQ(sixth.dates[1].change.note, "Kortere denne gangen");
  EXPECT_FALSE(sixth.dates[1].change.start.has_value());
  EXPECT_TRUE(sixth.dates[2].change.cancelled);
  EXPECT_EQ(sixth.where.file, (testing::test_data_dir() / "plans" / "rotation.yaml").string());
}

TEST(PlanLoaderTest, SeriesPlanLoadsRowsSessionsAndChanges) {
  const Plan plan = load_example("series.yaml");
  EXPECT_EQ(plan.calendar_name, "Dybdemøter");
  ASSERT_EQ(plan.series.size(), 1u);
  const Series& s = plan.series[0];
  EXPECT_EQ(s.interval_weeks, 4);
  EXPECT_EQ(s.audience, (std::vector<std::string>{"all"}));  // default
  EXPECT_EQ(s.registration_deadline, (Date{2021, 8, 26}));
  ASSERT_TRUE(s.content.online.has_value());
  EXPECT_EQ(s.content.online->provider, "teams");
  ASSERT_EQ(s.sessions.size(), 2u);
  EXPECT_EQ(s.sessions[1].content.topic, "Tema 2");
  ASSERT_EQ(s.rows.size(), 3u);

  const SeriesRow& tue = s.rows[0];
  EXPECT_EQ(tue.weekday, Weekday::Tuesday);
  EXPECT_EQ(tue.first, (Date{2021, 9, 7}));
  EXPECT_EQ(tue.count, 4);
  EXPECT_FALSE(tue.until.has_value());
  EXPECT_EQ(tue.capacity, 1);
  EXPECT_TRUE(tue.audience.empty());  // falls back to the series' audience
  ASSERT_EQ(tue.changes.size(), 1u);
  EXPECT_EQ(tue.changes[0].first, 2);
  EXPECT_EQ(tue.changes[0].second.date, (Date{2021, 10, 6}));
  EXPECT_EQ(tue.changes[0].second.end, (TimeOfDay{12, 0}));
  EXPECT_EQ(tue.changes[0].second.topic, "Flyttet");

  const SeriesRow& wed = s.rows[1];
  EXPECT_EQ(wed.until, (Date{2021, 11, 30}));
  EXPECT_FALSE(wed.count.has_value());
  EXPECT_TRUE(wed.full);
  EXPECT_EQ(wed.audience, (std::vector<std::string>{"all"}));

  const SeriesRow& thu = s.rows[2];  // no count or until: the sessions give the count
  EXPECT_FALSE(thu.count.has_value());
  EXPECT_FALSE(thu.until.has_value());
}

TEST(PlanLoaderTest, WeeklyPlanLoadsSlotAndInlineRoster) {
  const Plan plan = load_example("weekly.yaml");
  ASSERT_EQ(plan.weekly.size(), 1u);
  const WeeklySlot& w = plan.weekly[0];
  EXPECT_EQ(w.weekday, Weekday::Wednesday);
  EXPECT_EQ(w.from, (Date{2024, 1, 1}));
  EXPECT_EQ(w.until, (Date{2024, 12, 18}));
  EXPECT_FALSE(w.skip_holidays);
  EXPECT_EQ(w.except, (std::vector<Date>{{2024, 5, 1}}));
  ASSERT_EQ(w.blackouts.size(), 1u);
  EXPECT_EQ(w.blackouts[0].to, (Date{2024, 8, 11}));
  EXPECT_EQ(w.blackouts[0].reason, "Sommerferie");
  EXPECT_EQ(w.audience, (std::vector<std::string>{"role:veileder", "person:ola"}));
  EXPECT_EQ(w.content.location, "Møterom 2");

  ASSERT_EQ(plan.roster.size(), 2u);
  EXPECT_EQ(plan.roster[0].id, "kari");
  EXPECT_EQ(plan.roster[0].email, "kari@example.no");
  EXPECT_TRUE(plan.roster[0].leader);
  EXPECT_EQ(plan.roster[0].roles, (std::vector<std::string>{"veileder"}));
  EXPECT_EQ(plan.roster[1].reports_to, "kari");
  EXPECT_FALSE(plan.roster[1].leader);
}

TEST(PlanLoaderTest, WheelPlanLoadsMeetingsAndDeadlines) {
  const Plan plan = load_example("wheel.yaml");
  ASSERT_TRUE(plan.wheel.has_value());
  EXPECT_EQ(plan.wheel->first_year, 2024);
  EXPECT_EQ(plan.wheel->last_year, 2025);
  ASSERT_EQ(plan.wheel->items.size(), 2u);
  const WheelItem& meeting = plan.wheel->items[0];
  EXPECT_EQ(meeting.kind, WheelItemKind::Meeting);
  EXPECT_EQ(meeting.month, 9);
  EXPECT_EQ(meeting.day, 10);
  ASSERT_TRUE(meeting.time.has_value());
  EXPECT_EQ(meeting.time->start, (TimeOfDay{10, 0}));
  EXPECT_EQ(meeting.responsible,
            (std::vector<std::string>{"role:virksomhetsleder", "role:fagradgiver"}));
  const WheelItem& deadline = plan.wheel->items[1];
  EXPECT_EQ(deadline.kind, WheelItemKind::Deadline);
  EXPECT_EQ(deadline.month, 10);
  EXPECT_EQ(deadline.day, 15);
  EXPECT_FALSE(deadline.time.has_value());
  EXPECT_EQ(deadline.content.notes, "Søknader sendes til nærmeste leder.");
}

TEST(PlanLoaderTest, PlainNumbersWhereTextIsExpectedAreKeptAsText) {
  const std::string yaml =
      "plan: p\ntitle: 2024\nrotations:\n"
      "  - {key: 1, title: Seminar, weekday: MO, teams: [1], time: {start: \"09:00\", end: "
      "\"10:00\"},\n"
      "     meetings: [{number: 1, key: 7, topic: 42, dates: {1: 2024-01-15}}]}\n"
      "teams: [{key: 1, name: Team 1}]\n";
  const PlanLoad load = load_plan_text(yaml, "p.yaml", "");
  ASSERT_TRUE(load.plan.has_value()) << report(load);
  EXPECT_EQ(load.plan->title, "2024");
  EXPECT_EQ(load.plan->rotations[0].key, "1");
  EXPECT_EQ(load.plan->rotations[0].meetings[0].key, "7");
  EXPECT_EQ(load.plan->rotations[0].meetings[0].content.topic, "42");
}

TEST(PlanLoaderTest, SchemaIsEmbeddedAndDocumentsEveryProperty) {
  const std::string schema(plan_schema_json());
  EXPECT_NE(schema.find("\"$schema\": \"http://json-schema.org/draft-07/schema#\""),
            std::string::npos);
  EXPECT_EQ(schema, testing::read_file(testing::source_dir() / "schemas" / "plan.schema.json"));
}

}  // namespace
}  // namespace plancal
