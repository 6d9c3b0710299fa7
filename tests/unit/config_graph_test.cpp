// The `graph:` section of a push target: read, defaults, and the one-of rules.
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

}  // namespace
}  // namespace plancal
