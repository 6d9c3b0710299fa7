// OccurrenceStream hands out expand_plan's occurrences one at a time without holding them, and
// render_plan_calendar_to (what `plancal export` writes) builds a calendar from it: both must
// give exactly what the whole-list functions give, for the example plans and every audience.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "expand/expander.h"
#include "expand/stream.h"
#include "ical/plan_calendar.h"
#include "ical/render.h"
#include "plan/loader.h"
#include "test_support.h"

namespace plancal {
namespace {

const char* const kPlans[] = {
    "mandagsseminar-2024.yaml",    "dybdemoter-2021.yaml",   "refleksjon-mestring.yaml",
    "kompetanseplan-arshjul.yaml", "kollegaveiledning.yaml",
};

Plan load(const std::string& name) {
  PlanLoad load = load_plan_file(plancal::testing::example_plan(name).string());
  EXPECT_TRUE(load.plan.has_value()) << name;
  return load.plan ? *load.plan : Plan{};
}

/// What a reader of a calendar tells occurrences apart by, in order.
std::vector<std::string> listed(const std::vector<Occurrence>& occurrences) {
  std::vector<std::string> lines;
  for (const auto& o : occurrences) {
    lines.push_back(format_date(o.start.date) + " " + format_time(o.start.time) + " " + o.uid +
                    " " + o.summary + " " + o.description + " " + o.location);
  }
  return lines;
}

std::vector<Occurrence> streamed(const OccurrenceStream& stream) {
  std::vector<Occurrence> out;
  stream.for_each([&out](const Occurrence& o) { out.push_back(o); });
  return out;
}

/// Every audience a plan names: all, its teams, its roles and its people.
std::vector<std::string> audiences(const Plan& plan) {
  std::vector<std::string> all{"all"};
  for (const auto& team : plan.teams) all.push_back("team:" + team.key);
  for (const auto& role : plan.roles) all.push_back("role:" + role.key);
  for (const auto& person : plan.roster) all.push_back("person:" + person.id);
  return all;
}

TEST(ExpandStreamTest, HandsOutExpandPlansOccurrencesInItsOrder) {
  for (const char* name : kPlans) {
    const Plan plan = load(name);
    const auto whole = expand_plan(plan);
    std::size_t seen = 0;
    const OccurrenceStream stream(plan, {}, [&seen](const Occurrence&) { ++seen; });
    EXPECT_EQ(stream.size(), whole.size()) << name;
    EXPECT_EQ(seen, whole.size()) << name;
    EXPECT_EQ(listed(streamed(stream)), listed(whole)) << name;
    EXPECT_EQ(listed(streamed(stream)), listed(whole)) << name << ", a second time";
  }
}

TEST(ExpandStreamTest, KeepsWhatTheAudienceAndDatesChoose) {
  for (const char* name : kPlans) {
    const Plan plan = load(name);
    const auto whole = expand_plan(plan);
    for (const auto& key : audiences(plan)) {
      const auto audience = parse_audience(key, plan);
      ASSERT_TRUE(static_cast<bool>(audience)) << key;
      const AudienceView view(plan, *audience);
      const Date from = whole.empty() ? Date{} : whole[whole.size() / 3].start.date;
      const OccurrenceStream stream(plan, [&](const Occurrence& o) {
        return view.sees(o.audience) && !(o.start.date < from);
      });
      const auto wanted = occurrences_between(occurrences_for(plan, whole, *audience), from, {});
      EXPECT_EQ(stream.size(), wanted.size()) << name << " " << key;
      EXPECT_EQ(listed(streamed(stream)), listed(wanted)) << name << " " << key;
    }
  }
}

TEST(ExpandStreamTest, OrdersProgrammesMadeOutOfOrder) {
  // Two weekly slots: the first is made whole before the second, but their dates alternate.
  Plan plan;
  plan.id = "uke";
  plan.timezone = "Europe/Oslo";
  for (const auto& [key, weekday] :
       {std::pair{"tirsdag", Weekday::Tuesday}, std::pair{"mandag", Weekday::Monday}}) {
    WeeklySlot slot;
    slot.key = key;
    slot.title = std::string("Møte på ") + key;
    slot.weekday = weekday;
    slot.time = TimeSpan{TimeOfDay{9, 0}, TimeOfDay{10, 0}};
    slot.from = Date{2024, 1, 1};
    slot.until = Date{2024, 3, 31};
    slot.skip_holidays = false;
    plan.weekly.push_back(slot);
  }
  const auto whole = expand_plan(plan);
  ASSERT_GT(whole.size(), 20U);
  EXPECT_EQ(whole[0].summary, "Møte på mandag");
  EXPECT_EQ(whole[1].summary, "Møte på tirsdag");
  EXPECT_EQ(listed(streamed(OccurrenceStream(plan))), listed(whole));
}

TEST(ExpandStreamTest, PlanCalendarIsTheCalendarOfTheChosenOccurrences) {
  const EventRevision revision{0, 1711000000, 1711000000, false};
  for (const char* name : kPlans) {
    const Plan plan = load(name);
    const auto whole = expand_plan(plan);
    for (const auto& key : audiences(plan)) {
      const AudienceView view(plan, *parse_audience(key, plan));
      CalendarOptions options;
      options.name = plan.calendar_name + " (" + key + ")";
      options.timezone = plan.timezone;
      std::string written;
      std::size_t pieces = 0;
      const std::size_t events = render_plan_calendar_to(
          options, plan, [&view](const Occurrence& o) { return view.sees(o.audience); }, revision,
          [&](std::string_view piece) {
            written += piece;
            ++pieces;
          });

      const auto chosen = occurrences_for(plan, whole, *parse_audience(key, plan));
      std::vector<EventToRender> list;
      for (const auto& o : chosen) list.push_back({&o, revision});
      EXPECT_EQ(events, chosen.size()) << name << " " << key;
      EXPECT_EQ(written, render_calendar(options, list)) << name << " " << key;
      EXPECT_GE(pieces, 1U);
    }
  }
}

}  // namespace
}  // namespace plancal
