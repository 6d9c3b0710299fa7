// The daemon config: defaults, resolved paths, and errors at FILE:LINE:COL.

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "config/config.h"
#include "test_support.h"

namespace plancal {
namespace {

using testing::TempDir;

ConfigLoad load(const TempDir& dir, const std::string& text) {
  return load_config(dir.write("etc/plancal.yaml", text).string());
}

std::string messages(const Diagnostics& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics.all()) out += format_diagnostic(d) + "\n";
  return out;
}

TEST(ConfigTest, AMinimalConfigTakesTheDefaults) {
  TempDir dir;
  const auto result = load(dir, "plans: [plans/a.yaml]\n");
  ASSERT_TRUE(result.config.has_value()) << messages(result.diagnostics);
  const Config& config = *result.config;
  EXPECT_EQ(config.plan_files,
            std::vector<std::string>{(dir.path() / "etc" / "plans" / "a.yaml").string()});
  EXPECT_EQ(config.database, "./var/plancal.db");
  EXPECT_EQ(config.feeds.listen, "127.0.0.1:8080");
  EXPECT_EQ(config.feeds.listen_host, "127.0.0.1");
  EXPECT_EQ(config.feeds.listen_port, 8080);
  EXPECT_EQ(config.feeds.public_url, "http://127.0.0.1:8080");
  EXPECT_EQ(config.feeds.refresh_minutes, 60);
  EXPECT_EQ(config.feeds.keep_cancelled_days, 0);
  EXPECT_TRUE(result.diagnostics.empty());
}

TEST(ConfigTest, EveryKeyIsReadAndPathsAreRelativeToTheConfigFile) {
  TempDir dir;
  const auto result = load(dir,
                           "plans:\n"
                           "  - ../plans/a.yaml\n"
                           "  - /srv/plans/b.yaml\n"
                           "database: ../var/state.db\n"
                           "feeds:\n"
                           "  listen: \"[::1]:9090\"\n"
                           "  public_url: https://kalender.example.no/plancal/\n"
                           "  refresh_minutes: 15\n"
                           "  keep_cancelled_days: 14\n");
  ASSERT_TRUE(result.config.has_value()) << messages(result.diagnostics);
  const Config& config = *result.config;
  EXPECT_EQ(config.plan_files, (std::vector<std::string>{(dir.path() / "plans" / "a.yaml").string(),
                                                         "/srv/plans/b.yaml"}));
  EXPECT_EQ(config.database, (dir.path() / "var" / "state.db").string());
  EXPECT_EQ(config.feeds.listen_host, "::1");
  EXPECT_EQ(config.feeds.listen_port, 9090);
  EXPECT_EQ(config.feeds.public_url, "https://kalender.example.no/plancal");
  EXPECT_EQ(config.feeds.refresh_minutes, 15);
  EXPECT_EQ(config.feeds.keep_cancelled_days, 14);
}

TEST(ConfigTest, TheSignupRateLimitDefaultsTo20PostsIn10MinutesAndCanBeRaised) {
  TempDir dir;
  const auto defaults = load(dir, "plans: [plans/a.yaml]\n");
  ASSERT_TRUE(defaults.config.has_value()) << messages(defaults.diagnostics);
  EXPECT_EQ(defaults.config->signup.posts_per_window, 20);
  EXPECT_EQ(defaults.config->signup.window_minutes, 10);

  const auto raised = load(dir,
                           "plans: [plans/a.yaml]\n"
                           "signup:\n"
                           "  rate_limit: { posts: 500, window_minutes: 5 }\n");
  ASSERT_TRUE(raised.config.has_value()) << messages(raised.diagnostics);
  EXPECT_EQ(raised.config->signup.posts_per_window, 500);
  EXPECT_EQ(raised.config->signup.window_minutes, 5);

  const auto zero = load(dir,
                         "plans: [plans/a.yaml]\n"
                         "signup:\n"
                         "  rate_limit:\n"
                         "    posts: 0\n");
  EXPECT_FALSE(zero.config.has_value());
  EXPECT_NE(messages(zero.diagnostics).find(":4:12: error:"), std::string::npos)
      << messages(zero.diagnostics);
}

TEST(ConfigTest, PublicUrlDefaultsToTheListenAddress) {
  TempDir dir;
  const auto result = load(dir, "plans: [a.yaml]\nfeeds:\n  listen: 0.0.0.0:8443\n");
  ASSERT_TRUE(result.config.has_value()) << messages(result.diagnostics);
  EXPECT_EQ(result.config->feeds.public_url, "http://0.0.0.0:8443");
}

TEST(ConfigTest, PlanDirListsItsYamlFilesInOrder) {
  TempDir dir;
  dir.write("etc/plans/b.yml", "plan: b\n");
  dir.write("etc/plans/a.yaml", "plan: a\n");
  dir.write("etc/plans/roster.csv", "id,name\n");
  dir.write("etc/plans/sub/c.yaml", "plan: c\n");
  const auto result = load(dir, "plan_dir: plans/\n");
  ASSERT_TRUE(result.config.has_value()) << messages(result.diagnostics);
  const auto plans = dir.path() / "etc" / "plans";
  EXPECT_EQ(result.config->plan_files,
            (std::vector<std::string>{(plans / "a.yaml").string(), (plans / "b.yml").string()}));
}

TEST(ConfigTest, AMissingPlanDirIsAnErrorAtItsLine) {
  TempDir dir;
  const auto result = load(dir, "# plans\nplan_dir: nowhere/\n");
  ASSERT_FALSE(result.config.has_value());
  const auto text = messages(result.diagnostics);
  EXPECT_NE(text.find("plancal.yaml:2:11: error: cannot read the plan folder"), std::string::npos)
      << text;
}

TEST(ConfigTest, AConfigWithoutPlansIsAnError) {
  TempDir dir;
  const auto result = load(dir, "database: x.db\n");
  ASSERT_FALSE(result.config.has_value());
  const auto text = messages(result.diagnostics);
  EXPECT_NE(text.find("error: the config names no plans"), std::string::npos) << text;
}

TEST(ConfigTest, AnUnknownKeyIsReportedWithFileLineAndColumn) {
  TempDir dir;
  const auto result =
      load(dir, "plans: [a.yaml]\nfeeds:\n  listen: 127.0.0.1:8080\n  refresh_minuts: 5\n");
  ASSERT_FALSE(result.config.has_value());
  ASSERT_TRUE(result.diagnostics.has_errors());
  const auto& first = result.diagnostics.all().front();
  EXPECT_EQ(first.where.file, (dir.path() / "etc" / "plancal.yaml").string());
  EXPECT_EQ(first.where.line, 4);
  EXPECT_EQ(first.where.column, 3);
  EXPECT_NE(messages(result.diagnostics).find("refresh_minuts"), std::string::npos);
}

TEST(ConfigTest, WrongValuesAreReportedAtTheirLines) {
  TempDir dir;
  const auto result = load(dir,
                           "plans: [a.yaml]\n"
                           "feeds:\n"
                           "  refresh_minutes: often\n"
                           "  keep_cancelled_days: -1\n"
                           "  public_url: kalender.example.no\n"
                           "  listen: localhost\n");
  ASSERT_FALSE(result.config.has_value());
  std::set<int> lines;
  for (const auto& d : result.diagnostics.all()) {
    if (d.severity == Severity::Error) lines.insert(d.where.line);
  }
  EXPECT_EQ(lines, (std::set<int>{3, 4, 5, 6})) << messages(result.diagnostics);
}

TEST(ConfigTest, APortOutOfRangeIsAnError) {
  TempDir dir;
  const auto result = load(dir, "plans: [a.yaml]\nfeeds:\n  listen: 127.0.0.1:99999\n");
  ASSERT_FALSE(result.config.has_value());
  EXPECT_NE(messages(result.diagnostics).find(":3:11: error: port 99999"), std::string::npos)
      << messages(result.diagnostics);
}

TEST(ConfigTest, YamlSyntaxErrorsAndMissingFilesAreReported) {
  TempDir dir;
  const auto broken = load(dir, "plans: [a.yaml\n");
  ASSERT_FALSE(broken.config.has_value());
  EXPECT_TRUE(broken.diagnostics.has_errors());

  const auto missing = load_config((dir.path() / "absent.yaml").string());
  ASSERT_FALSE(missing.config.has_value());
  EXPECT_NE(messages(missing.diagnostics).find("absent.yaml"), std::string::npos);
}

TEST(ConfigTest, ARepeatedKeyIsAnError) {
  TempDir dir;
  const auto result = load(dir, "plans: [a.yaml]\ndatabase: a.db\ndatabase: b.db\n");
  ASSERT_FALSE(result.config.has_value());
  EXPECT_NE(messages(result.diagnostics).find(":3:1: error: \"database\" is written twice"),
            std::string::npos)
      << messages(result.diagnostics);
}

TEST(ConfigTest, SubscribeLinksComeInBothSchemes) {
  FeedConfig feeds;
  feeds.public_url = "https://kalender.example.no";
  const auto links = subscribe_links(feeds, "abc_DEF-123");
  EXPECT_EQ(links.https, "https://kalender.example.no/feeds/abc_DEF-123.ics");
  EXPECT_EQ(links.webcal, "webcal://kalender.example.no/feeds/abc_DEF-123.ics");
}

TEST(ConfigTest, TheRepositoryConfigLoads) {
  const auto path = testing::source_dir() / "config" / "plancal.yaml";
  const auto result = load_config(path.string());
  ASSERT_TRUE(result.config.has_value()) << messages(result.diagnostics);
  EXPECT_EQ(result.config->plan_files.size(), 5u);
  for (const auto& plan : result.config->plan_files) {
    EXPECT_TRUE(std::filesystem::exists(plan)) << plan;
  }
}

TEST(ConfigTest, AnOversizedPublicUrlIsRefusedWithItsLengthAndLimit) {
  TempDir dir;
  const std::string url = "https://kalender.example.no/" + std::string(40'000, 'a');
  const auto result = load(dir, "plans: [a.yaml]\nfeeds:\n  public_url: " + url + "\n");
  ASSERT_FALSE(result.config.has_value());
  const std::string text = messages(result.diagnostics);
  EXPECT_NE(text.find(":3:15: error: \"public_url\" in feed settings is 40028 characters long; "
                      "at most 2000 are allowed"),
            std::string::npos)
      << text;
  EXPECT_EQ(result.diagnostics.error_count(), 1u) << text;  // not also "not a URL"
  EXPECT_LT(text.size(), 600u);
}

TEST(ConfigTest, AnOversizedListenAddressOrTargetNameIsRefusedNotACrash) {
  TempDir dir;
  const auto result = load(dir,
                           "plans: [a.yaml]\n"
                           "feeds:\n"
                           "  listen: " +
                               std::string(40'000, 'h') +
                               ":8080\n"
                               "targets:\n"
                               "  - name: " +
                               std::string(40'000, 'n') +
                               "\n"
                               "    plan: p\n"
                               "    audience: all\n"
                               "    caldav: {url: \"https://dav.example.no/\"}\n");
  ASSERT_FALSE(result.config.has_value());
  const std::string text = messages(result.diagnostics);
  EXPECT_NE(text.find(":3:11: error: \"listen\" in feed settings is 40005 characters long; at "
                      "most 300 are allowed"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(":5:11: error: \"name\" in item #1 is 40000 characters long; at "
                      "most 64 are allowed"),
            std::string::npos)
      << text;
}

TEST(ConfigTest, ALongLeadDayListIsRefusedOnceNotOncePerPair) {
  // uniqueItems used to compare every pair and report each equal one: 200 million errors.
  TempDir dir;
  std::string days = "[";
  for (int i = 0; i < 20'000; ++i) days += "1,";
  days += "2]";
  const auto result = load(dir, "plans: [a.yaml]\nreminders:\n  leader_lead_days: " + days + "\n");
  ASSERT_FALSE(result.config.has_value());
  const std::string text = messages(result.diagnostics);
  EXPECT_NE(text.find(":3:24: error: \"leader_lead_days\" in reminder settings lists the number 1 "
                      "twice (items 1 and 2)"),
            std::string::npos)
      << text;
  EXPECT_EQ(result.diagnostics.error_count(), 1u) << text;
}

TEST(ConfigTest, APathWithALineBreakIsRefusedAndShownOnOneLine) {
  // Paths end up in every log line about their files.
  TempDir dir;
  const auto result = load(dir, "plans: [\"plans/a\\n.yaml\"]\ndatabase: \"var/x\\r.db\"\n");
  ASSERT_FALSE(result.config.has_value());
  const std::string text = messages(result.diagnostics);
  EXPECT_NE(text.find(":1:9: error: expected a plan file path for item 1 of \"plans\" in the plan, "
                      "found \"plans/a\\n.yaml\""),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(":2:11: error: expected a file path for \"database\", found \"var/x\\r.db\""),
            std::string::npos)
      << text;
}

TEST(ConfigTest, TheSchemaIsEmbedded) {
  EXPECT_NE(config_schema_json().find("\"keep_cancelled_days\""), std::string_view::npos);
}

}  // namespace
}  // namespace plancal
