// The reminder planner on the seed-000 programme and roster, and the Norwegian text.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "base/norwegian_text.h"
#include "expand/audience.h"
#include "expand/expander.h"
#include "plan/loader.h"
#include "remind/planner.h"
#include "test_support.h"

namespace plancal::remind {
namespace {

using plancal::testing::example_plan;

Plan seed_plan() {
  PlanLoad load = load_plan_file(example_plan("mandagsseminar-2024.yaml").string());
  if (!load.plan) throw std::runtime_error(plancal::testing::diagnostics_text(load.diagnostics));
  return std::move(*load.plan);
}

std::vector<StoredEvent> published(const Plan& plan) {
  std::vector<StoredEvent> events;
  for (auto& o : expand_plan(plan))
    events.push_back({std::move(o), {}, "", false, 0, std::nullopt});
  return events;
}

std::vector<ReminderRecord> for_recipient(const std::vector<ReminderRecord>& all,
                                          const std::string& id) {
  std::vector<ReminderRecord> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out),
               [&](const ReminderRecord& r) { return r.recipient_id == id; });
  return out;
}

TEST(NorwegianTextTest, WritesDatesAndTimesTheNorwegianWay) {
  EXPECT_EQ(date_time_text_nb({{2024, 1, 8}, {9, 0}}), "mandag 8. januar 2024 kl. 09.00");
  EXPECT_EQ(date_text_nb({2024, 5, 17}), "fredag 17. mai 2024");
  EXPECT_EQ(date_text_nb({2025, 12, 24}), "onsdag 24. desember 2025");
  EXPECT_EQ(time_text_nb({13, 5}), "13.05");
}

TEST(ReminderPlannerTest, EachLeaderGetsADigestPerMeetingDateAndLeadTime) {
  const Plan plan = seed_plan();
  const auto reminders = plan_reminders(plan, published(plan), PlannerSettings{});
  // 3 leaders x 11 meeting dates x 2 lead times; staff never get a digest.
  EXPECT_EQ(reminders.size(), 66U);
  for (const auto& r : reminders) {
    EXPECT_EQ(r.kind, "leader");
    EXPECT_TRUE(r.recipient_id == "ingrid.haug" || r.recipient_id == "henrik.solberg" ||
                r.recipient_id == "silje.moen")
        << r.recipient_id;
  }
}

TEST(ReminderPlannerTest, DigestListsTheLeadersStaffWithTheMeetingDetails) {
  const Plan plan = seed_plan();
  const auto ingrid = for_recipient(plan_reminders(plan, published(plan), {}), "ingrid.haug");
  ASSERT_EQ(ingrid.size(), 22U);
  const ReminderRecord& first = ingrid.front();  // meeting 1, team A, 15 January, 7 days ahead
  EXPECT_EQ(first.subject,
            "Påminnelse: Mandagsseminar 1: En dag på Milepælen – mandag 15. januar 2024");
  EXPECT_EQ(first.due_at, 1704700800) << "8 January 2024 09:00 in Oslo";
  EXPECT_EQ(first.when_key, "2024-01-15T09:00");
  for (const char* line :
       {"Tid: mandag 15. januar 2024 kl. 09.00–12.00", "Tema: En dag på Milepælen",
        "Foredragsholder: Erik", "Sted: Undervisningsbrakka",
        "Deltakere (4):", "- Ingrid Haug (deg selv)", "- Maja Berntsen", "- Sindre Lunde",
        "- Tobias Aas", "- 09.05 Innledning"}) {
    EXPECT_NE(first.body_text.find(line), std::string::npos) << line << "\n" << first.body_text;
  }
  EXPECT_EQ(first.body_text.find("Nora Vik"), std::string::npos) << "Team B is not hers";
  EXPECT_NE(first.body_html.find("<li>Ingrid Haug (deg selv)</li>"), std::string::npos);
  const auto second = ingrid[2];  // meeting 2 lists preparation items
  EXPECT_NE(second.body_text.find("Forberedelser:"), std::string::npos) << second.body_text;
  EXPECT_EQ(ingrid[1].due_at, 1705219200) << "14 January 2024 09:00 in Oslo (1 day ahead)";
}

TEST(ReminderPlannerTest, LeaderWithoutStaffThatDayGetsNothing) {
  Plan plan = seed_plan();
  Person lonely;
  lonely.id = "lonely.leader";
  lonely.name = "Ensom Leder";
  lonely.email = "lonely@example.no";
  lonely.leader = true;  // no team, nobody reports to her
  plan.roster.push_back(lonely);
  EXPECT_TRUE(for_recipient(plan_reminders(plan, published(plan), {}), "lonely.leader").empty());
}

TEST(ReminderPlannerTest, IdsFollowTheOccurrenceNotTheTextOrDate) {
  Plan plan = seed_plan();
  const auto before = for_recipient(plan_reminders(plan, published(plan), {}), "ingrid.haug");
  auto events = published(plan);
  for (auto& event : events) {
    if (event.occurrence.uid == before.front().uids) {
      event.occurrence.start.date = {2024, 1, 22};
      event.occurrence.end.date = {2024, 1, 22};
      event.occurrence.content.topic = "Nytt tema";
    }
  }
  const auto after = for_recipient(plan_reminders(plan, events, {}), "ingrid.haug");
  ASSERT_EQ(after.size(), before.size());
  const auto moved = std::find_if(after.begin(), after.end(),
                                  [&](const auto& r) { return r.id == before.front().id; });
  ASSERT_NE(moved, after.end());
  EXPECT_EQ(moved->due_at, before.front().due_at + 7 * 86400);
  EXPECT_NE(moved->content_hash, before.front().content_hash);
  EXPECT_EQ(moved->message_id, before.front().message_id);
}

TEST(ReminderPlannerTest, ChangeNoticeOnceForAMovedMeetingAlreadyReminded) {
  Plan plan = seed_plan();
  auto stored = for_recipient(plan_reminders(plan, published(plan), {}), "ingrid.haug");
  stored[0].state = ReminderState::Sent;  // both lead times of 15 January went out
  stored[1].state = ReminderState::Sent;
  auto events = published(plan);
  for (auto& event : events) {
    if (event.occurrence.uid == stored[0].uids) {
      event.occurrence.start.date = {2024, 1, 22};
      event.occurrence.end.date = {2024, 1, 22};
    }
  }
  const auto planned = plan_reminders(plan, events, {});
  const std::int64_t now = 1705305600;  // 15 January 2024 08:00 UTC
  const auto notices = change_notices(planned, stored, now, "Europe/Oslo", {});
  ASSERT_EQ(notices.size(), 1U);
  EXPECT_EQ(notices[0].kind, "change");
  EXPECT_EQ(notices[0].recipient_id, "ingrid.haug");
  EXPECT_EQ(notices[0].due_at, now);
  EXPECT_EQ(notices[0].subject,
            "Endret: Mandagsseminar 1: En dag på Milepælen – mandag 22. januar 2024");
  EXPECT_NE(notices[0].body_text.find("flyttet fra mandag 15. januar 2024 kl. 09.00 til "
                                      "mandag 22. januar 2024 kl. 09.00"),
            std::string::npos)
      << notices[0].body_text;
  EXPECT_TRUE(change_notices(planned, stored, 1705939200 + 86400, "Europe/Oslo", {}).empty())
      << "no notice once the meeting has started";
}

TEST(ReminderPlannerTest, CancellationNoticeOnceForAMeetingAlreadyRemindedThatIsGone) {
  const Plan plan = seed_plan();
  auto stored = for_recipient(plan_reminders(plan, published(plan), {}), "ingrid.haug");
  stored[0].state = ReminderState::Sent;
  stored[1].state = ReminderState::Sent;
  const std::int64_t now = 1705302000;  // 15 January 2024 08:00 in Oslo, before the start
  auto events = published(plan);
  EXPECT_TRUE(cancellation_notices(stored, events, plan.id, now, "Europe/Oslo", {}).empty())
      << "still active";
  for (auto& event : events) {
    if (event.occurrence.uid == stored[0].uids) event.removed = true;
  }
  const auto notices = cancellation_notices(stored, events, plan.id, now, "Europe/Oslo", {});
  ASSERT_EQ(notices.size(), 1U);
  EXPECT_EQ(notices[0].kind, "cancel");
  EXPECT_EQ(notices[0].recipient_email, "ingrid.haug@example.no");
  EXPECT_EQ(notices[0].subject,
            "Avlyst: Mandagsseminar 1: En dag på Milepælen – mandag 15. januar 2024");
  EXPECT_NE(notices[0].body_text.find("mandag 15. januar 2024 kl. 09.00"), std::string::npos)
      << notices[0].body_text;
  EXPECT_TRUE(cancellation_notices(stored, events, plan.id, now + 7200, "Europe/Oslo", {}).empty())
      << "no notice once the old start has passed";
}

TEST(ReminderPlannerTest, DeadlinesRemindTheResponsiblePeople) {
  PlanLoad load = load_plan_file(example_plan("kompetanseplan-arshjul.yaml").string());
  ASSERT_TRUE(load.plan) << plancal::testing::diagnostics_text(load.diagnostics);
  Plan plan = std::move(*load.plan);
  Person adviser;
  adviser.id = "fag";
  adviser.name = "Fag Rådgiver";
  adviser.email = "fag@example.no";
  adviser.roles = {"fagradgiver"};
  plan.roster.push_back(adviser);
  const auto reminders = plan_reminders(plan, published(plan), {});
  std::map<std::string, int> by_kind;
  for (const auto& r : reminders) ++by_kind[r.kind];
  EXPECT_EQ(by_kind.count("leader"), 0U);
  ASSERT_GT(by_kind["deadline"], 0);
  const auto plan_due = std::find_if(reminders.begin(), reminders.end(), [](const auto& r) {
    return r.subject == "Frist onsdag 15. januar 2025: Felles opplæringsplan utarbeidet";
  });
  ASSERT_NE(plan_due, reminders.end());
  EXPECT_EQ(plan_due->due_at, 1735714800) << "1 January 2025 08:00 in Oslo (14 days ahead)";
  EXPECT_EQ(plan_due->recipient_email, "fag@example.no");
}

TEST(ReminderPlannerTest, ParticipantEmailsOnlyWhenAskedAndOnlyWithPreparation) {
  const Plan plan = seed_plan();
  PlannerSettings settings;
  settings.participant_email = true;
  const auto reminders = plan_reminders(plan, published(plan), settings);
  const auto sindre = for_recipient(reminders, "sindre.lunde");
  ASSERT_FALSE(sindre.empty());
  for (const auto& r : sindre) {
    EXPECT_EQ(r.kind, "participant");
    EXPECT_NE(r.body_text.find("Forberedelser:"), std::string::npos);
  }
  EXPECT_LT(sindre.size(), 11U) << "meeting 1 has no preparation items";
}

TEST(ReminderPlannerTest, AnOpenRegisterGivesItsLeaderOneMailWithTheDaysLinkAfterTheWait) {
  const Plan plan = seed_plan();
  const Person* ingrid = find_person(plan, "ingrid.haug");
  ASSERT_NE(ingrid, nullptr);
  RegisterGap gap;
  gap.leader = ingrid;
  gap.date = {2024, 1, 15};
  gap.ended = {{2024, 1, 15}, {12, 0}};
  gap.uids = {"seminar.a@plancal"};
  gap.scheduled = 4;
  gap.missing = 2;
  PlannerSettings settings;
  settings.register_after_hours = 24;
  settings.public_url = "https://kalender.example.no";
  const auto planned = plan_register_reminders(plan, {gap}, settings);
  ASSERT_EQ(planned.size(), 1U);
  const ReminderRecord& r = planned.front();
  EXPECT_EQ(r.kind, "register");
  EXPECT_EQ(r.recipient_email, "ingrid.haug@example.no");
  EXPECT_EQ(r.due_at, 1705402800) << "12.00 Oslo (11.00 UTC) on 15 January, plus 24 hours";
  EXPECT_EQ(r.subject, "Oppmøte mangler for mandag 15. januar 2024");
  EXPECT_NE(r.body_text.find("https://kalender.example.no/oppmote/mandagsseminar-2024/2024-01-15"),
            std::string::npos)
      << r.body_text;
  EXPECT_NE(r.body_text.find("2 av 4 registreringer mangler"), std::string::npos);
  EXPECT_EQ(r.body_text.find("Sindre"), std::string::npos) << "no names in the mail";

  // One per leader and day: fewer missing later is the same reminder, another day another.
  gap.missing = 1;
  EXPECT_EQ(plan_register_reminders(plan, {gap}, settings).front().id, r.id);
  gap.date = {2024, 2, 5};
  EXPECT_NE(plan_register_reminders(plan, {gap}, settings).front().id, r.id);
  settings.public_url.clear();
  EXPECT_TRUE(plan_register_reminders(plan, {gap}, settings).empty()) << "no page to link to";
}

}  // namespace
}  // namespace plancal::remind
