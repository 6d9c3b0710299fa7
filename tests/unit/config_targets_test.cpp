// Push targets in the config (`targets:`): the `caldav:` and `graph:` sections read with their
// defaults, paths resolved against the config's folder, and the mistakes an admin makes
// reported at their lines without echoing a secret.
#include <gtest/gtest.h>

#include "config/config.h"
#include "test_support.h"

namespace plancal {
namespace {

using testing::diagnostics_text;
using testing::TempDir;

ConfigLoad load_targets(const TempDir& dir, const std::string& targets) {
  return load_config(
      dir.write("etc/plancal.yaml", "plans: [plans/a.yaml]\ntargets:\n" + targets).string());
}

TEST(ConfigGraphTest, PerPersonTargetIsReadWithDefaults) {
  TempDir dir;
  const auto result = load_targets(dir,
                                   "  - name: m365\n"
                                   "    plan: a\n"
                                   "    audience: all\n"
                                   "    graph:\n"
                                   "      tenant: kommune.onmicrosoft.com\n"
                                   "      client_id: 6731de76\n"
                                   "      client_secret: {file: graph.secret}\n"
                                   "      per_person: true\n");
  ASSERT_TRUE(result.config.has_value()) << diagnostics_text(result.diagnostics);
  const TargetConfig& target = result.config->targets.at(0);
  ASSERT_TRUE(target.graph.has_value());
  EXPECT_FALSE(target.caldav.has_value());
  const GraphTargetConfig& graph = *target.graph;
  EXPECT_EQ(graph.tenant, "kommune.onmicrosoft.com");
  EXPECT_EQ(graph.client_id, "6731de76");
  ASSERT_TRUE(graph.client_secret.has_value());
  EXPECT_EQ(graph.client_secret->file, (dir.path() / "etc" / "graph.secret").string());
  EXPECT_TRUE(graph.per_person);
  EXPECT_EQ(graph.calendar, "");
  EXPECT_EQ(graph.login_url, "https://login.microsoftonline.com");
  EXPECT_EQ(graph.graph_url, "https://graph.microsoft.com/v1.0");
}

TEST(ConfigGraphTest, MailboxTargetWithNamedCalendarAndOverrides) {
  TempDir dir;
  const auto result = load_targets(dir,
                                   "  - name: team-a\n"
                                   "    plan: a\n"
                                   "    audience: team:A\n"
                                   "    graph:\n"
                                   "      tenant: t\n"
                                   "      client_id: c\n"
                                   "      client_secret: {credential: graph}\n"
                                   "      mailbox: team-a@kommune.no\n"
                                   "      calendar: Møteplan\n"
                                   "      create_calendar: true\n"
                                   "      login_url: http://127.0.0.1:9999\n"
                                   "      graph_url: http://127.0.0.1:9999/v1.0\n");
  ASSERT_TRUE(result.config.has_value()) << diagnostics_text(result.diagnostics);
  const GraphTargetConfig& graph = *result.config->targets.at(0).graph;
  EXPECT_EQ(graph.mailbox, "team-a@kommune.no");
  EXPECT_EQ(graph.calendar, "Møteplan");
  EXPECT_TRUE(graph.create_calendar);
  EXPECT_EQ(graph.client_secret->credential, "graph");
  EXPECT_EQ(graph.graph_url, "http://127.0.0.1:9999/v1.0");
}

TEST(ConfigGraphTest, NeedsExactlyOneOfMailboxAndPerPerson) {
  TempDir dir;
  const auto result =
      load_targets(dir,
                   "  - name: m365\n"
                   "    plan: a\n"
                   "    audience: all\n"
                   "    graph: {tenant: t, client_id: c, client_secret: {file: s}}\n");
  EXPECT_FALSE(result.config.has_value());
  EXPECT_NE(diagnostics_text(result.diagnostics).find("exactly one of graph.mailbox"),
            std::string::npos)
      << diagnostics_text(result.diagnostics);
}

TEST(ConfigGraphTest, ASecretWrittenIntoTheConfigIsRefused) {
  TempDir dir;
  const auto result = load_targets(dir,
                                   "  - name: m365\n"
                                   "    plan: a\n"
                                   "    audience: all\n"
                                   "    graph: {tenant: t, client_id: c, client_secret: hunter2,\n"
                                   "            per_person: true}\n");
  EXPECT_FALSE(result.config.has_value());
  const std::string text = diagnostics_text(result.diagnostics);
  EXPECT_NE(text.find("client_secret"), std::string::npos) << text;
  EXPECT_EQ(text.find("hunter2"), std::string::npos) << "the secret is echoed:\n" << text;
}

TEST(ConfigCaldavTest, ACaldavTargetIsReadWithDefaults) {
  TempDir dir;
  const auto result = load_targets(dir,
                                   "  - name: radicale\n"
                                   "    plan: kollegaveiledning\n"
                                   "    audience: team:A\n"
                                   "    caldav:\n"
                                   "      url: https://cal.example.no/alice/plan/\n"
                                   "      username: alice\n"
                                   "      password: {file: radicale.pass}\n");
  ASSERT_TRUE(result.config.has_value()) << diagnostics_text(result.diagnostics);
  const TargetConfig& target = result.config->targets.at(0);
  EXPECT_EQ(target.name, "radicale");
  EXPECT_EQ(target.plan_id, "kollegaveiledning");
  EXPECT_EQ(target.audience, "team:A");
  EXPECT_EQ(target.on_remote_change, RemoteChangePolicy::Restore);
  EXPECT_DOUBLE_EQ(target.max_delete_share, 0.5);
  ASSERT_TRUE(target.caldav.has_value());
  const CaldavTargetConfig& caldav = *target.caldav;
  EXPECT_EQ(caldav.url, "https://cal.example.no/alice/plan/");
  EXPECT_EQ(caldav.username, "alice");
  ASSERT_TRUE(caldav.password.has_value());
  EXPECT_EQ(caldav.password->file, (dir.path() / "etc" / "radicale.pass").string());
  EXPECT_FALSE(caldav.create_calendar);
  EXPECT_EQ(caldav.tls.ca_file, "");
  EXPECT_FALSE(caldav.tls.insecure_skip_verify);
  EXPECT_EQ(caldav.timeout_seconds, 30);
  EXPECT_EQ(caldav.max_in_flight, 4);
}

TEST(ConfigCaldavTest, EveryOptionIsRead) {
  TempDir dir;
  const auto result = load_targets(dir,
                                   "  - name: nextcloud\n"
                                   "    plan: a\n"
                                   "    audience: all\n"
                                   "    on_remote_change: keep\n"
                                   "    max_delete_share: 0.2\n"
                                   "    caldav:\n"
                                   "      url: https://sky.example.no/remote.php/dav\n"
                                   "      username: plancal\n"
                                   "      password: {credential: nextcloud}\n"
                                   "      create_calendar: true\n"
                                   "      calendar_name: Møteplan\n"
                                   "      tls: {ca_file: ca/intern.pem}\n"
                                   "      timeout_seconds: 5\n"
                                   "      max_in_flight: 2\n");
  ASSERT_TRUE(result.config.has_value()) << diagnostics_text(result.diagnostics);
  const TargetConfig& target = result.config->targets.at(0);
  EXPECT_EQ(target.on_remote_change, RemoteChangePolicy::Keep);
  EXPECT_DOUBLE_EQ(target.max_delete_share, 0.2);
  const CaldavTargetConfig& caldav = *target.caldav;
  EXPECT_EQ(caldav.password->credential, "nextcloud");
  EXPECT_TRUE(caldav.create_calendar);
  EXPECT_EQ(caldav.calendar_name, "Møteplan");
  EXPECT_EQ(caldav.tls.ca_file, (dir.path() / "etc" / "ca" / "intern.pem").string());
  EXPECT_EQ(caldav.timeout_seconds, 5);
  EXPECT_EQ(caldav.max_in_flight, 2);
}

TEST(ConfigCaldavTest, ATargetNameUsedTwiceIsReportedAtItsLine) {
  TempDir dir;
  const auto result =
      load_targets(dir,
                   "  - name: cal\n"
                   "    plan: a\n"
                   "    audience: all\n"
                   "    caldav: {url: http://a/, username: u, password: {file: p}}\n"
                   "  - name: cal\n"
                   "    plan: a\n"
                   "    audience: team:B\n"
                   "    caldav: {url: http://b/, username: u, password: {file: p}}\n");
  EXPECT_FALSE(result.config.has_value());
  const std::string text = diagnostics_text(result.diagnostics);
  EXPECT_NE(text.find("plancal.yaml:7:"), std::string::npos) << text;
  EXPECT_NE(text.find("\"cal\" is used twice"), std::string::npos) << text;
}

TEST(ConfigCaldavTest, ATargetWithoutACalendarServiceSaysWhatToAdd) {
  TempDir dir;
  const auto result = load_targets(dir,
                                   "  - name: cal\n"
                                   "    plan: a\n"
                                   "    audience: all\n");
  EXPECT_FALSE(result.config.has_value());
  const std::string text = diagnostics_text(result.diagnostics);
  EXPECT_NE(text.find("nowhere to push to"), std::string::npos) << text;
  EXPECT_NE(text.find("caldav:"), std::string::npos) << text;
}

TEST(ConfigCaldavTest, APasswordWrittenIntoTheConfigIsRefusedWithoutEchoingIt) {
  TempDir dir;
  const auto result =
      load_targets(dir,
                   "  - name: cal\n"
                   "    plan: a\n"
                   "    audience: all\n"
                   "    caldav: {url: http://a/, username: u, password: sommer2026}\n");
  EXPECT_FALSE(result.config.has_value());
  const std::string text = diagnostics_text(result.diagnostics);
  EXPECT_NE(text.find("password"), std::string::npos) << text;
  EXPECT_EQ(text.find("sommer2026"), std::string::npos) << "the secret is echoed:\n" << text;
}

TEST(ConfigCaldavTest, AShareOutsideZeroToOneIsRefused) {
  TempDir dir;
  const auto result =
      load_targets(dir,
                   "  - name: cal\n"
                   "    plan: a\n"
                   "    audience: all\n"
                   "    max_delete_share: 5\n"
                   "    caldav: {url: http://a/, username: u, password: {file: p}}\n");
  EXPECT_FALSE(result.config.has_value());
  const std::string text = diagnostics_text(result.diagnostics);
  EXPECT_NE(text.find("plancal.yaml:6:23: error: \"max_delete_share\""), std::string::npos) << text;
  EXPECT_NE(text.find("at most 1"), std::string::npos) << text;
}

}  // namespace
}  // namespace plancal
