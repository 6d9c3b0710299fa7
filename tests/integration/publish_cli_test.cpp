// `plancal publish` and `plancal feed token ...` as a user runs them: output, exit codes,
// and the secret shown once and stored nowhere.

#include <gtest/gtest.h>

#include <filesystem>

#include "store/feed_tokens.h"
#include "store/published_events.h"
#include "test_support.h"

namespace plancal {
namespace {

using testing::run_plancal;

std::string weekly_plan(const std::string& id, const std::string& topic) {
  return "plan: " + id +
         "\ntitle: \"Kollegaveiledning\"\nteams:\n  - { key: A, name: Team A }\n"
         "weekly:\n  - key: veiledning\n    title: \"Kollegaveiledning\"\n    weekday: WE\n"
         "    time: { start: \"13:00\", end: \"14:00\" }\n    from: 2024-01-03\n"
         "    until: 2024-01-31\n    topic: \"" +
         topic + "\"\n";
}

class PublishCliIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("plans/a.yaml", weekly_plan("plan-a", "Tema"));
    dir_.write("plans/b.yaml", weekly_plan("plan-b", "Tema"));
    config_ = dir_.write("etc/plancal.yaml",
                         "plans: [../plans/a.yaml, ../plans/b.yaml]\n"
                         "database: ../state/plancal.db\n"
                         "feeds:\n  public_url: https://kalender.example.no/\n")
                  .string();
  }

  std::string db_path() const { return (dir_.path() / "state" / "plancal.db").string(); }

  testing::TempDir dir_;
  std::string config_;
};

TEST_F(PublishCliIntegration, PublishPrintsWhatChangedPerPlan) {
  auto first = run_plancal({"publish", "--config", config_, "--now", "1700000000"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out,
            "plan-a: 5 added, 0 changed, 0 removed, 0 unchanged\n"
            "plan-b: 5 added, 0 changed, 0 removed, 0 unchanged\n");
  auto database = StateDatabase::open(db_path());
  ASSERT_TRUE(database.ok());
  EXPECT_EQ(PublishedEvents(*database).events("plan-a").front().revision.dtstamp, 1700000000);

  dir_.write("plans/a.yaml", weekly_plan("plan-a", "Nytt tema"));
  auto second = run_plancal({"publish", "--config", config_});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out,
            "plan-a: 0 added, 5 changed, 0 removed, 0 unchanged\n"
            "plan-b: 0 added, 0 changed, 0 removed, 5 unchanged\n");
}

TEST_F(PublishCliIntegration, AnInvalidPlanIsReportedAndKeptWhileOthersPublish) {
  ASSERT_EQ(run_plancal({"publish", "--config", config_}).exit_code, 0);
  dir_.write("plans/a.yaml", weekly_plan("plan-a", "Nytt") + "    colour: red\n");
  auto result = run_plancal({"publish", "--config", config_});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("a.yaml:13:5: error:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("not published"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("previous state is kept"), std::string::npos) << result.err;
  EXPECT_EQ(result.out, "plan-b: 0 added, 0 changed, 0 removed, 5 unchanged\n");
}

TEST_F(PublishCliIntegration, ConfigAndDatabaseErrorsAreClear) {
  const auto bad_config = dir_.write("etc/bad.yaml", "plans: [a.yaml]\nfeeds:\n  refresh: 5\n");
  auto config_error = run_plancal({"publish", "--config", bad_config.string()});
  EXPECT_EQ(config_error.exit_code, 1);
  EXPECT_NE(config_error.err.find("bad.yaml:3:3: error:"), std::string::npos) << config_error.err;

  dir_.write("state/plancal.db", std::string(4096, 'x'));
  auto db_error = run_plancal({"publish", "--config", config_});
  EXPECT_EQ(db_error.exit_code, 1);
  EXPECT_NE(db_error.err.find("is not a plancal database"), std::string::npos) << db_error.err;

  auto missing = run_plancal({"publish"});
  EXPECT_NE(missing.exit_code, 0);
}

TEST_F(PublishCliIntegration, TokenCreateShowsTheSecretOnceWithBothLinks) {
  ASSERT_EQ(run_plancal({"publish", "--config", config_}).exit_code, 0);
  auto created = run_plancal({"feed", "token", "create", "--config", config_, "--plan", "plan-a",
                              "--audience", "team:A", "--label", "Vaktrommet"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const auto at = created.out.find("secret: ");
  ASSERT_NE(at, std::string::npos) << created.out;
  const std::string secret = created.out.substr(at + 8, 43);
  EXPECT_NE(created.out.find("https://kalender.example.no/feeds/" + secret + ".ics"),
            std::string::npos)
      << created.out;
  EXPECT_NE(created.out.find("webcal://kalender.example.no/feeds/" + secret + ".ics"),
            std::string::npos)
      << created.out;

  auto listed = run_plancal({"feed", "token", "list", "--config", config_});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("plan-a"), std::string::npos);
  EXPECT_NE(listed.out.find("team:A"), std::string::npos);
  EXPECT_NE(listed.out.find("Vaktrommet"), std::string::npos);
  EXPECT_EQ(listed.out.find(secret), std::string::npos) << "list must never show a secret";

  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path() / "state")) {
    bytes += testing::read_file(entry.path());
  }
  EXPECT_EQ(bytes.find(secret), std::string::npos);

  auto revoked = run_plancal({"feed", "token", "revoke", "--config", config_, "1"});
  EXPECT_EQ(revoked.exit_code, 0) << revoked.err;
  auto database = StateDatabase::open(db_path());
  ASSERT_TRUE(database.ok());
  EXPECT_FALSE(FeedTokens(*database).find_token(secret).has_value());
}

TEST_F(PublishCliIntegration, ATokenWithoutAPlanIsPersonalAndPrintsItsPageLink) {
  ASSERT_EQ(run_plancal({"publish", "--config", config_}).exit_code, 0);
  auto created = run_plancal({"feed", "token", "create", "--config", config_, "--audience",
                              "team:A", "--label", "Team A, alle planer"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_NE(created.out.find("for every plan (team:A)"), std::string::npos) << created.out;
  const auto at = created.out.find("secret: ");
  ASSERT_NE(at, std::string::npos) << created.out;
  const std::string secret = created.out.substr(at + 8, 43);
  EXPECT_NE(created.out.find("https://kalender.example.no/feeds/" + secret + ".ics"),
            std::string::npos)
      << created.out;
  EXPECT_NE(created.out.find("page:   https://kalender.example.no/p/" + secret + " "),
            std::string::npos)
      << created.out;

  auto per_plan = run_plancal(
      {"feed", "token", "create", "--config", config_, "--plan", "plan-b", "--audience", "all"});
  ASSERT_EQ(per_plan.exit_code, 0) << per_plan.err;
  EXPECT_NE(per_plan.out.find("page:   https://kalender.example.no/p/"), std::string::npos)
      << per_plan.out;

  auto listed = run_plancal({"feed", "token", "list", "--config", config_});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("LAST ACCESS"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("LAST PAGE ACCESS"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("   1  *  "), std::string::npos) << "every plan\n" << listed.out;
  EXPECT_NE(listed.out.find("   2  plan-b  "), std::string::npos) << listed.out;

  auto database = StateDatabase::open(db_path());
  ASSERT_TRUE(database.ok());
  const auto token = FeedTokens(*database).find_token(secret);
  ASSERT_TRUE(token.has_value());
  EXPECT_TRUE(token->covers_every_plan());
}

TEST_F(PublishCliIntegration, APersonalTokenForAnAudienceNoPlanKnowsIsAUserError) {
  ASSERT_EQ(run_plancal({"publish", "--config", config_}).exit_code, 0);
  auto unknown =
      run_plancal({"feed", "token", "create", "--config", config_, "--audience", "person:ingen"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("'person:ingen' appears in no valid plan"), std::string::npos)
      << unknown.err;
  EXPECT_NE(unknown.err.find("plan-a, plan-b"), std::string::npos) << unknown.err;
  auto listed = run_plancal({"feed", "token", "list", "--config", config_});
  EXPECT_EQ(listed.out, "no feed tokens\n");
}

TEST_F(PublishCliIntegration, TokenMistakesAreUserErrors) {
  auto unpublished = run_plancal(
      {"feed", "token", "create", "--config", config_, "--plan", "plan-a", "--audience", "all"});
  EXPECT_EQ(unpublished.exit_code, 1);
  EXPECT_NE(unpublished.err.find("plancal publish"), std::string::npos) << unpublished.err;

  ASSERT_EQ(run_plancal({"publish", "--config", config_}).exit_code, 0);
  auto unknown_plan = run_plancal(
      {"feed", "token", "create", "--config", config_, "--plan", "nope", "--audience", "all"});
  EXPECT_EQ(unknown_plan.exit_code, 1);
  EXPECT_NE(unknown_plan.err.find("plan-a, plan-b"), std::string::npos) << unknown_plan.err;

  auto unknown_team = run_plancal(
      {"feed", "token", "create", "--config", config_, "--plan", "plan-a", "--audience", "team:Q"});
  EXPECT_EQ(unknown_team.exit_code, 1);
  EXPECT_NE(unknown_team.err.find("team:Q"), std::string::npos) << unknown_team.err;

  auto unknown_id = run_plancal({"feed", "token", "revoke", "--config", config_, "7"});
  EXPECT_EQ(unknown_id.exit_code, 1);
  EXPECT_NE(unknown_id.err.find("no feed token with id 7"), std::string::npos);

  auto empty = run_plancal({"feed", "token", "list", "--config", config_});
  EXPECT_EQ(empty.exit_code, 0);
  EXPECT_EQ(empty.out, "no feed tokens\n");
}

}  // namespace
}  // namespace plancal
