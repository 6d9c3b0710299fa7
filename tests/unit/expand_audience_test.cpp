#include <gtest/gtest.h>

#include "expand/audience.h"
#include "expand/expander.h"

namespace plancal {
namespace {

Occurrence occurrence(const std::string& uid, const std::string& audience, Date date) {
  Occurrence o;
  o.uid = uid;
  o.audience = audience;
  o.start = LocalDateTime{date, {9, 0}};
  o.end = LocalDateTime{date, {10, 0}};
  return o;
}

Plan people_plan() {
  Plan plan;
  plan.id = "p";
  plan.teams = {{"A", "Team A", {}}, {"B", "Team B", {}}};
  plan.roles = {{"fagradgiver", "Fagrådgiver", {}}, {"virksomhetsleder", "Ledere", {}}};
  Person kari;
  kari.id = "kari";
  kari.name = "Kari Nordmann";
  kari.team = "A";
  kari.roles = {"fagradgiver"};
  Person ola;
  ola.id = "ola";
  ola.name = "Ola";
  ola.team = "B";
  plan.roster = {kari, ola};
  return plan;
}

std::vector<Occurrence> sample() {
  return {occurrence("a", "team:A", {2024, 1, 8}),
          occurrence("b", "team:B", {2024, 1, 9}),
          occurrence("all", "all", {2024, 1, 10}),
          occurrence("role", "role:virksomhetsleder+role:fagradgiver", {2024, 1, 11}),
          occurrence("kari", "person:kari", {2024, 1, 12}),
          occurrence("ola", "person:ola", {2024, 1, 13})};
}

std::vector<std::string> uids(const std::vector<Occurrence>& occurrences) {
  std::vector<std::string> result;
  for (const auto& o : occurrences) result.push_back(o.uid);
  return result;
}

TEST(ExpandAudienceTest, ParsesEveryKind) {
  const Plan plan = people_plan();
  EXPECT_EQ(parse_audience("all", plan)->kind, Audience::Kind::All);
  const auto team = parse_audience("team:A", plan);
  ASSERT_TRUE(team.ok());
  EXPECT_EQ(team->kind, Audience::Kind::Team);
  EXPECT_EQ(team->key, "A");
  EXPECT_EQ(parse_audience("person:kari", plan)->kind, Audience::Kind::Person);
  EXPECT_EQ(parse_audience("role:fagradgiver", plan)->kind, Audience::Kind::Role);
}

TEST(ExpandAudienceTest, UnknownAudienceListsValidChoices) {
  const Plan plan = people_plan();
  const auto result = parse_audience("team:Z", plan);
  ASSERT_FALSE(result.ok());
  const std::string& message = result.error().message;
  EXPECT_NE(message.find("team:Z"), std::string::npos) << message;
  EXPECT_NE(message.find("A, B"), std::string::npos) << message;
  EXPECT_NE(message.find("kari, ola"), std::string::npos) << message;
  EXPECT_NE(message.find("fagradgiver"), std::string::npos) << message;
  EXPECT_FALSE(parse_audience("everyone", plan).ok());
  EXPECT_FALSE(parse_audience("person:nobody", plan).ok());
}

TEST(ExpandAudienceTest, TeamSeesOwnAndAll) {
  const Plan plan = people_plan();
  const auto seen = occurrences_for(plan, sample(), Audience{Audience::Kind::Team, "A"});
  EXPECT_EQ(uids(seen), (std::vector<std::string>{"a", "all"}));
}

TEST(ExpandAudienceTest, PersonSeesTeamRolesOwnAndAll) {
  const Plan plan = people_plan();
  const auto kari = occurrences_for(plan, sample(), Audience{Audience::Kind::Person, "kari"});
  EXPECT_EQ(uids(kari), (std::vector<std::string>{"a", "all", "role", "kari"}));
  const auto ola = occurrences_for(plan, sample(), Audience{Audience::Kind::Person, "ola"});
  EXPECT_EQ(uids(ola), (std::vector<std::string>{"b", "all", "ola"}));
}

TEST(ExpandAudienceTest, EachMemberOfAJoinedAudienceSeesIt) {
  const Plan plan = people_plan();
  const auto leaders =
      occurrences_for(plan, sample(), Audience{Audience::Kind::Role, "virksomhetsleder"});
  EXPECT_EQ(uids(leaders), (std::vector<std::string>{"all", "role"}));
  const auto advisers =
      occurrences_for(plan, sample(), Audience{Audience::Kind::Role, "fagradgiver"});
  EXPECT_EQ(uids(advisers), (std::vector<std::string>{"all", "role"}));
}

TEST(ExpandAudienceTest, AllSeesEverything) {
  EXPECT_EQ(occurrences_for(people_plan(), sample(), Audience{}).size(), sample().size());
}

TEST(ExpandAudienceTest, BetweenIsInclusiveOnLocalDates) {
  const auto kept = occurrences_between(sample(), Date{2024, 1, 9}, Date{2024, 1, 11});
  EXPECT_EQ(uids(kept), (std::vector<std::string>{"b", "all", "role"}));
  EXPECT_EQ(occurrences_between(sample(), std::nullopt, std::nullopt).size(), 6U);
  EXPECT_EQ(uids(occurrences_between(sample(), Date{2024, 1, 13}, std::nullopt)),
            (std::vector<std::string>{"ola"}));
}

TEST(ExpandAudienceTest, SlugsAndMembers) {
  EXPECT_EQ(audience_slug("team:A"), "team-A");
  EXPECT_EQ(audience_slug("role:x+person:kari"), "role-x+person-kari");
  EXPECT_EQ(audience_members("role:a+role:b"), (std::vector<std::string>{"role:a", "role:b"}));
  EXPECT_EQ(join_audiences({}), "all");
}

TEST(ExpandAudienceTest, OverlapUsesRoster) {
  const Plan plan = people_plan();
  EXPECT_TRUE(audiences_overlap(plan, "team:A", "team:A"));
  EXPECT_TRUE(audiences_overlap(plan, "all", "team:B"));
  EXPECT_FALSE(audiences_overlap(plan, "team:A", "team:B"));
  EXPECT_TRUE(audiences_overlap(plan, "person:kari", "team:A"));
  EXPECT_TRUE(audiences_overlap(plan, "role:fagradgiver", "person:kari"));
  EXPECT_FALSE(audiences_overlap(plan, "person:ola", "team:A"));
}

}  // namespace
}  // namespace plancal
