// The daemon config's smtp: and reminders: sections.

#include <gtest/gtest.h>

#include "config/config.h"
#include "test_support.h"

namespace plancal {
namespace {

using testing::TempDir;

ConfigLoad load(const TempDir& dir, const std::string& text) {
  return load_config(dir.write("etc/plancal.yaml", text).string());
}

TEST(ConfigMailTest, WithoutTheSectionsNothingIsSentAndRemindersTakeTheDefaults) {
  TempDir dir;
  const auto result = load(dir, "plans: [a.yaml]\n");
  ASSERT_TRUE(result.config) << testing::diagnostics_text(result.diagnostics);
  EXPECT_FALSE(result.config->smtp);
  const RemindersConfig& r = result.config->reminders;
  EXPECT_EQ(r.leader_lead_days, (std::vector<int>{7, 1}));
  EXPECT_EQ(r.deadline_lead_days, (std::vector<int>{14, 2}));
  EXPECT_EQ(r.send_window_hours, 12);
  EXPECT_FALSE(r.participant_email);
  EXPECT_EQ(r.deadline_time, (TimeOfDay{8, 0}));
  EXPECT_EQ(r.message_id_domain, "plancal.invalid");
}

TEST(ConfigMailTest, EveryKeyIsRead) {
  TempDir dir;
  const auto result = load(dir,
                           "plans: [a.yaml]\n"
                           "smtp:\n"
                           "  url: smtps://smtp.example.no:465\n"
                           "  username: plancal\n"
                           "  password: {file: secrets/smtp.pass}\n"
                           "  from: kalender@milepaelen.example.no\n"
                           "  from_name: Milepælen kalender\n"
                           "  starttls: never\n"
                           "  tls: {ca_file: ca.pem}\n"
                           "  timeout_seconds: 20\n"
                           "reminders:\n"
                           "  leader_lead_days: [3]\n"
                           "  deadline_lead_days: [30, 7]\n"
                           "  send_window_hours: 6\n"
                           "  participant_email: true\n"
                           "  participant_lead_days: 2\n"
                           "  deadline_time: \"07:30\"\n");
  ASSERT_TRUE(result.config) << testing::diagnostics_text(result.diagnostics);
  const SmtpConfig& smtp = *result.config->smtp;
  EXPECT_EQ(smtp.url, "smtps://smtp.example.no:465");
  EXPECT_EQ(smtp.username, "plancal");
  ASSERT_TRUE(smtp.password);
  EXPECT_EQ(smtp.password->file, (dir.path() / "etc" / "secrets" / "smtp.pass").string());
  EXPECT_EQ(smtp.from_address, "kalender@milepaelen.example.no");
  EXPECT_EQ(smtp.from_name, "Milepælen kalender");
  EXPECT_FALSE(smtp.require_starttls);
  EXPECT_EQ(smtp.tls.ca_file, (dir.path() / "etc" / "ca.pem").string());
  EXPECT_EQ(smtp.timeout_seconds, 20);
  const RemindersConfig& r = result.config->reminders;
  EXPECT_EQ(r.leader_lead_days, (std::vector<int>{3}));
  EXPECT_EQ(r.deadline_lead_days, (std::vector<int>{30, 7}));
  EXPECT_EQ(r.send_window_hours, 6);
  EXPECT_TRUE(r.participant_email);
  EXPECT_EQ(r.participant_lead_days, 2);
  EXPECT_EQ(r.deadline_time, (TimeOfDay{7, 30}));
  EXPECT_EQ(r.message_id_domain, "milepaelen.example.no") << "the sender's domain";
}

TEST(ConfigMailTest, MistakesAreReportedAtTheirLines) {
  TempDir dir;
  const auto result = load(dir,
                           "plans: [a.yaml]\n"
                           "smtp:\n"
                           "  url: http://smtp.example.no\n"
                           "  from: not-an-address\n"
                           "  starttls: maybe\n"
                           "  password: \"hunter2\"\n"
                           "reminders:\n"
                           "  leader_lead_days: [7, -1]\n");
  ASSERT_FALSE(result.config);
  const std::string text = testing::diagnostics_text(result.diagnostics);
  const std::string file = (dir.path() / "etc" / "plancal.yaml").string();
  for (const std::string at : {":3:", ":4:", ":5:", ":6:", ":8:"}) {
    EXPECT_NE(text.find(file + at), std::string::npos) << at << "\n" << text;
  }
}

TEST(ConfigMailTest, APasswordNeedsAUserName) {
  TempDir dir;
  const auto result = load(dir,
                           "plans: [a.yaml]\n"
                           "smtp:\n"
                           "  url: smtp://127.0.0.1:2525\n"
                           "  from: plancal@example.no\n"
                           "  password: {credential: smtp}\n");
  ASSERT_FALSE(result.config);
  EXPECT_NE(testing::diagnostics_text(result.diagnostics).find(":5:"), std::string::npos)
      << testing::diagnostics_text(result.diagnostics);
}

}  // namespace
}  // namespace plancal

namespace plancal {
namespace {

TEST(ConfigMailTest, PreparationAlarmIsOnByDefaultAndConfigurable) {
  testing::TempDir dir;
  auto result = load_config(dir.write("a.yaml", "plans: [a.yaml]\n").string());
  ASSERT_TRUE(result.config);
  ASSERT_TRUE(result.config->feeds.preparation_alarm);
  EXPECT_EQ(*result.config->feeds.preparation_alarm, PreparationAlarm{});

  result = load_config(dir.write("b.yaml",
                                 "plans: [a.yaml]\nreminders:\n  alarm:\n    days_before: 2\n"
                                 "    time: \"07:15\"\n    trigger: absolute\n")
                           .string());
  ASSERT_TRUE(result.config) << testing::diagnostics_text(result.diagnostics);
  const auto& alarm = *result.config->feeds.preparation_alarm;
  EXPECT_EQ(alarm.days_before, 2);
  EXPECT_EQ(alarm.at, (TimeOfDay{7, 15}));
  EXPECT_TRUE(alarm.absolute);

  result = load_config(
      dir.write("c.yaml", "plans: [a.yaml]\nreminders:\n  alarm: {enabled: false}\n").string());
  ASSERT_TRUE(result.config);
  EXPECT_FALSE(result.config->feeds.preparation_alarm);
}

}  // namespace
}  // namespace plancal
