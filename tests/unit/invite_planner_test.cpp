// Who `plancal feed invite` invites: everyone on a roster with an email address and no
// personal link yet; nobody twice; a link no mail ever carried is replaced; --rotate revokes.

#include <gtest/gtest.h>

#include "invite/planner.h"

namespace plancal::invite {
namespace {

Plan plan_with(std::string id, std::vector<Person> roster) {
  Plan plan;
  plan.id = std::move(id);
  plan.roster = std::move(roster);
  return plan;
}

Person person(std::string id, std::string email, std::string team = "A") {
  Person p;
  p.name = "Navn " + id;
  p.id = std::move(id);
  p.email = std::move(email);
  p.team = std::move(team);
  return p;
}

FeedToken personal_token(std::int64_t id, const std::string& person_id, bool revoked = false) {
  FeedToken token{id, "", "person:" + person_id, "", 1, std::nullopt, std::nullopt, std::nullopt};
  if (revoked) token.revoked_at = 2;
  return token;
}

InvitationRecord invitation(const std::string& person_id, std::int64_t token_id,
                            InvitationState state) {
  InvitationRecord r;
  r.person_id = person_id;
  r.token_id = token_id;
  r.state = state;
  return r;
}

class InvitePlannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seminars_ =
        plan_with("seminar", {person("kari", "kari@example.no", "A"),
                              person("ola", "ola@example.no", "B"), person("per", "", "C")});
    // Kari again in a second programme (same id): one person, one invitation.
    groups_ = plan_with("refleksjon", {person("kari", "kari@example.no", "R1"),
                                       person("liv", "liv@example.no", "R1")});
    people_ = roster_people({&seminars_, &groups_});
  }

  std::vector<Decision> decide_all(const std::vector<FeedToken>& tokens,
                                   const std::vector<InvitationRecord>& stored, bool rotate = false,
                                   const std::string& people = "all") {
    auto selection = parse_selection(people);
    EXPECT_TRUE(selection.ok());
    auto decisions = decide(people_, *selection, tokens, stored, rotate);
    EXPECT_TRUE(decisions.ok()) << decisions.error().message;
    return decisions.ok() ? *decisions : std::vector<Decision>{};
  }

  static Action action_of(const std::vector<Decision>& decisions, const std::string& id) {
    for (const auto& d : decisions) {
      if (d.person.id == id) return d.action;
    }
    ADD_FAILURE() << id << " was not decided";
    return Action::NoEmail;
  }

  Plan seminars_;
  Plan groups_;
  std::vector<Invitee> people_;
};

TEST_F(InvitePlannerTest, RostersAreMergedByPersonAcrossPlans) {
  ASSERT_EQ(people_.size(), 4U);
  EXPECT_EQ(people_[0].id, "kari");
  EXPECT_EQ(people_[0].teams, (std::set<std::string>{"A", "R1"}));
  EXPECT_EQ(people_[3].id, "liv");
}

TEST_F(InvitePlannerTest, EveryoneWithAnAddressAndNoLinkIsInvited) {
  const auto decisions = decide_all({}, {});
  ASSERT_EQ(decisions.size(), 4U);
  EXPECT_EQ(action_of(decisions, "kari"), Action::Invite);
  EXPECT_EQ(action_of(decisions, "ola"), Action::Invite);
  EXPECT_EQ(action_of(decisions, "per"), Action::NoEmail);
  EXPECT_EQ(action_of(decisions, "liv"), Action::Invite);
}

TEST_F(InvitePlannerTest, APersonWithALiveLinkIsSkippedButARevokedOneDoesNotCount) {
  const auto decisions =
      decide_all({personal_token(1, "kari"), personal_token(2, "ola", /*revoked=*/true)}, {});
  EXPECT_EQ(action_of(decisions, "kari"), Action::HasLink);
  EXPECT_EQ(action_of(decisions, "ola"), Action::Invite);
}

TEST_F(InvitePlannerTest, PerPlanTokensAndTeamTokensAreNotPersonalLinks) {
  FeedToken per_plan = personal_token(1, "kari");
  per_plan.plan_id = "seminar";
  FeedToken team = personal_token(2, "kari");
  team.audience = "team:A";
  const auto decisions = decide_all({per_plan, team}, {});
  EXPECT_EQ(action_of(decisions, "kari"), Action::Invite);
}

TEST_F(InvitePlannerTest, AnInvitationNotYetSentIsFinishedNotPlannedAgain) {
  for (const auto state : {InvitationState::Planned, InvitationState::Sending}) {
    const auto decisions =
        decide_all({personal_token(7, "kari")}, {invitation("kari", 7, state)}, /*rotate=*/true);
    EXPECT_EQ(action_of(decisions, "kari"), Action::Pending) << to_string(state);
  }
}

TEST_F(InvitePlannerTest, ALinkWhoseMailFailedForGoodIsReplacedByANewInvitation) {
  const auto decisions =
      decide_all({personal_token(7, "kari")}, {invitation("kari", 7, InvitationState::Failed)});
  ASSERT_EQ(action_of(decisions, "kari"), Action::Invite);
  EXPECT_EQ(decisions[0].revoke, (std::vector<std::int64_t>{7}));
}

TEST_F(InvitePlannerTest, RotateRevokesEveryLiveLinkOfThePerson) {
  const auto decisions = decide_all(
      {personal_token(3, "kari"), personal_token(4, "kari"), personal_token(5, "ola")}, {},
      /*rotate=*/true, "person:kari");
  ASSERT_EQ(decisions.size(), 1U);
  EXPECT_EQ(decisions[0].action, Action::Rotate);
  EXPECT_EQ(decisions[0].revoke, (std::vector<std::int64_t>{3, 4}));
}

TEST_F(InvitePlannerTest, ATeamSelectsItsMembersInAnyPlan) {
  const auto decisions = decide_all({}, {}, false, "team:R1");
  ASSERT_EQ(decisions.size(), 2U);
  EXPECT_EQ(decisions[0].person.id, "kari");
  EXPECT_EQ(decisions[1].person.id, "liv");
}

TEST_F(InvitePlannerTest, AnUnknownPersonOrBadSelectionIsAnError) {
  const auto selection = parse_selection("person:nobody");
  ASSERT_TRUE(selection.ok());
  const auto decisions = decide(people_, *selection, {}, {}, false);
  ASSERT_FALSE(decisions.ok());
  EXPECT_NE(decisions.error().message.find("'nobody' is on no roster"), std::string::npos);
  EXPECT_FALSE(parse_selection("role:leder").ok());
  EXPECT_FALSE(parse_selection("team:").ok());
}

}  // namespace
}  // namespace plancal::invite
