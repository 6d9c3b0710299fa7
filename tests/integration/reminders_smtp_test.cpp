// plancal reminders send|preview against a real SMTP server (aiosmtpd): what leaders receive
// for the seed-000 programme and roster, how SMTP failures are handled, and how a plan
// change moves planned reminders or brings a change notice.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "smtp_sink_process.h"
#include "store/reminder_store.h"
#include "test_support.h"

namespace plancal::testing {
namespace {

namespace fs = std::filesystem;

struct SmtpSettings {
  std::string url;
  std::string starttls = "never";
  std::string user;
  fs::path password_file;
  fs::path ca_file;
};

SmtpSettings smtp(std::string url, std::string starttls = "never", std::string user = "",
                  fs::path password_file = {}, fs::path ca_file = {}) {
  return {std::move(url), std::move(starttls), std::move(user), std::move(password_file),
          std::move(ca_file)};
}

/// A config for one plan, with `extra` YAML appended (reminders: ...).
class ReminderWorld {
 public:
  explicit ReminderWorld(const fs::path& plan) : plan_(plan) {}

  /// Copies the seed-000 plan and its roster into the sandbox, so a test can edit it.
  static ReminderWorld with_plan_copy(TempDir& dir) {
    for (const char* name : {"mandagsseminar-2024.yaml", "roster-milepaelen.csv"}) {
      fs::copy_file(example_plan(name), dir.path() / name);
    }
    return ReminderWorld(dir.path() / "mandagsseminar-2024.yaml");
  }

  fs::path write_config(const SmtpSettings& smtp, const std::string& reminders = "") const {
    std::string yaml =
        "plans: [" + plan_.string() + "]\ndatabase: " + (dir_.path() / "state.db").string() + "\n";
    if (!smtp.url.empty()) {
      yaml += "smtp:\n  url: " + smtp.url + "\n  from: plancal@milepaelen.example.no\n" +
              "  from_name: Milepælen kalender\n  starttls: " + smtp.starttls + "\n";
      if (!smtp.user.empty()) {
        yaml += "  username: " + smtp.user + "\n  password: {file: " + smtp.password_file.string() +
                "}\n";
      }
      if (!smtp.ca_file.empty()) yaml += "  tls: {ca_file: " + smtp.ca_file.string() + "}\n";
    }
    yaml += reminders;
    return dir_.write("plancal.yaml", yaml);
  }

  [[nodiscard]] ProcessResult run(const std::vector<std::string>& args) const {
    std::vector<std::string> all = args;
    all.insert(all.end(), {"--config", (dir_.path() / "plancal.yaml").string()});
    return run_plancal(all);
  }
  void publish() const {
    const auto result = run({"publish", "--now", "1700000000"});
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  }
  [[nodiscard]] ProcessResult send(const std::string& now) const {
    return run({"reminders", "send", "--now", now});
  }
  [[nodiscard]] std::vector<ReminderRecord> rows() const {
    auto database = StateDatabase::open((dir_.path() / "state.db").string());
    if (!database) throw std::runtime_error(database.error().message);
    return ReminderStore(*database).reminders();
  }
  [[nodiscard]] std::vector<ReminderRecord> rows_for(const std::string& recipient) const {
    std::vector<ReminderRecord> out;
    for (auto& r : rows()) {
      if (r.recipient_id == recipient) out.push_back(std::move(r));
    }
    return out;
  }
  void edit_plan(const std::string& from, const std::string& to) const {
    std::string text = read_file(plan_);
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    std::ofstream(plan_) << text;
  }

 private:
  TempDir dir_;
  fs::path plan_;
};

const nlohmann::json* message_to(const nlohmann::json& messages, const std::string& address,
                                 const std::string& subject_part) {
  for (const auto& m : messages) {
    if (m["rcpt_tos"] == nlohmann::json::array({address}) &&
        m["subject"].get<std::string>().find(subject_part) != std::string::npos) {
      return &m;
    }
  }
  return nullptr;
}

void expect_no_secret(const ProcessResult& result) {
  EXPECT_EQ(result.out.find(SmtpSink::password()), std::string::npos) << result.out;
  EXPECT_EQ(result.err.find(SmtpSink::password()), std::string::npos) << result.err;
}

constexpr const char* kWideWindow = "reminders:\n  send_window_hours: 720\n";

TEST(RemindersIntegration, LeadersReceiveTheirStaffListForTheSeedRoster) {
  SmtpSink sink;
  ReminderWorld world(example_plan("mandagsseminar-2024.yaml"));
  world.write_config(smtp(sink.url()), kWideWindow);
  world.publish();
  // 16 January 12:00: due since 17 December are both lead times of 8 (B) and 15 January (A)
  // and 7 days before 22 January (C).
  const auto result = world.send("2024-01-16T12:00");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("sent 5, retrying 0, failed 0, late 0"), std::string::npos)
      << result.out;

  const auto messages = sink.messages();
  ASSERT_EQ(messages.size(), 5U) << messages.dump(2);
  const auto* ingrid =
      message_to(messages, "ingrid.haug@example.no", "Påminnelse: Mandagsseminar 1: En dag");
  ASSERT_NE(ingrid, nullptr) << messages.dump(2);
  const auto& m = *ingrid;
  EXPECT_EQ(m["subject"],
            "Påminnelse: Mandagsseminar 1: En dag på Milepælen – mandag 15. januar 2024");
  EXPECT_EQ(m["mail_from"], "plancal@milepaelen.example.no");
  EXPECT_EQ(m["from"], "Milepælen kalender <plancal@milepaelen.example.no>");
  EXPECT_EQ(m["to_name"], "Ingrid Haug");
  EXPECT_EQ(m["content_type"], "multipart/alternative");
  EXPECT_TRUE(m["defects"].empty()) << m["defects"].dump();
  const std::string message_id = m["message_id"];
  EXPECT_EQ(message_id.rfind("<leader-", 0), 0U) << message_id;
  EXPECT_NE(message_id.find("@milepaelen.example.no>"), std::string::npos);
  ASSERT_EQ(m["parts"].size(), 2U);
  EXPECT_EQ(m["parts"][0]["type"], "text/plain");
  EXPECT_EQ(m["parts"][0]["charset"], "utf-8");
  EXPECT_EQ(m["parts"][1]["type"], "text/html");
  const std::string text = m["parts"][0]["text"];
  for (const char* line :
       {"Deltakere (4):", "- Ingrid Haug (deg selv)", "- Maja Berntsen", "- Sindre Lunde",
        "- Tobias Aas", "Tid: mandag 15. januar 2024 kl. 09.00–12.00", "Sted: Undervisningsbrakka",
        "Foredragsholder: Erik"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  }
  for (const char* other : {"Nora Vik", "Jonas Bakke", "Henrik Solberg"}) {
    EXPECT_EQ(text.find(other), std::string::npos) << other << " is not Ingrid's staff";
  }
  const std::string html = m["parts"][1]["text"];
  EXPECT_NE(html.find("<li>Maja Berntsen</li>"), std::string::npos) << html;

  // The same pass again sends nothing: each reminder goes once.
  const auto again = world.send("2024-01-16T12:05");
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("sent 0,"), std::string::npos) << again.out;
  EXPECT_EQ(sink.count(), 5U);

  const auto preview =
      world.run({"reminders", "preview", "--now", "2024-01-16T12:00", "--days", "7"});
  ASSERT_EQ(preview.exit_code, 0) << preview.err;
  EXPECT_NE(preview.out.find("sent       leader       Ingrid Haug"), std::string::npos)
      << preview.out;
  EXPECT_NE(preview.out.find("planned    leader       Silje Moen"), std::string::npos)
      << preview.out;
}

TEST(RemindersIntegration, TemporaryFailuresRetryPermanentOnesFailAndNothingLeaksTheSecret) {
  SmtpSink sink({.user = "plancal"});
  ReminderWorld world(example_plan("mandagsseminar-2024.yaml"));
  world.write_config(smtp(sink.url(), "never", "plancal", sink.password_file()));
  world.publish();

  // 7 January 09:30: Henrik's reminder one day before 8 January is due (09:00).
  sink.reply_with("451");
  auto result = world.send("2024-01-07T09:30");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("retrying 1"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("451"), std::string::npos) << result.out;
  expect_no_secret(result);
  auto henrik = world.rows_for("henrik.solberg");
  ASSERT_FALSE(henrik.empty());
  EXPECT_EQ(henrik[0].state, ReminderState::Planned);
  EXPECT_EQ(henrik[0].attempts, 1);

  sink.reply_with("421");
  result = world.send("2024-01-07T09:30:30");  // backoff: not before 09:31
  EXPECT_NE(result.out.find("sent 0, retrying 0"), std::string::npos) << result.out;
  result = world.send("2024-01-07T09:32");
  EXPECT_NE(result.out.find("retrying 1"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("421"), std::string::npos) << result.out;
  EXPECT_EQ(world.rows_for("henrik.solberg")[0].attempts, 2);

  sink.reply_with("ok");
  result = world.send("2024-01-07T09:35");
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("sent 1,"), std::string::npos) << result.out;
  EXPECT_EQ(sink.count(), 1U);
  EXPECT_EQ(world.rows_for("henrik.solberg")[0].state, ReminderState::Sent);
  EXPECT_NE(sink.logins().find("plancal"), std::string::npos) << "AUTH was used";

  // 14 January 09:30: Ingrid's 7-day reminder (due 8 January 09:00) is past the 12-hour window:
  // late, never sent; her 1-day reminder is refused for good.
  sink.reply_with("550");
  result = world.send("2024-01-14T09:30");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("failed 1, late 1"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("FAILED"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("550"), std::string::npos) << result.out;
  expect_no_secret(result);
  const auto ingrid = world.rows_for("ingrid.haug");
  ASSERT_GE(ingrid.size(), 2U);
  EXPECT_EQ(ingrid[0].state, ReminderState::Late);
  EXPECT_EQ(ingrid[1].state, ReminderState::Failed);
  EXPECT_NE(ingrid[1].last_error.find("permanent"), std::string::npos) << ingrid[1].last_error;

  sink.reply_with("ok");
  result = world.send("2024-01-14T09:40");
  EXPECT_NE(result.out.find("sent 0,"), std::string::npos) << result.out;
  EXPECT_EQ(sink.count(), 1U) << "failed and late reminders are never sent";
}

TEST(RemindersIntegration, ConnectionRefusedIsRetriedLater) {
  ReminderWorld world(example_plan("mandagsseminar-2024.yaml"));
  world.write_config(smtp("smtp://127.0.0.1:" + std::to_string(free_loopback_port())));
  world.publish();
  const auto result = world.send("2024-01-07T09:30");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("retrying 1"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("connect"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("stopped"), std::string::npos) << result.out;
  EXPECT_EQ(world.rows_for("henrik.solberg")[0].state, ReminderState::Planned);
}

TEST(RemindersIntegration, StartTlsWithAuthNeedsATrustedCertificate) {
  SmtpSink sink({.starttls = true, .user = "plancal"});
  ReminderWorld world(example_plan("mandagsseminar-2024.yaml"));

  // The server's certificate is not trusted: a TLS failure, retried, with a clear message.
  world.write_config(smtp(sink.url(), "required", "plancal", sink.password_file()));
  world.publish();
  auto result = world.send("2024-01-07T09:30");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("tls failure"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("ca_file"), std::string::npos) << result.out;
  expect_no_secret(result);
  EXPECT_EQ(sink.count(), 0U);

  world.write_config(
      smtp(sink.url(), "required", "plancal", sink.password_file(), sink.certificate()));
  result = world.send("2024-01-07T09:35");
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  expect_no_secret(result);
  ASSERT_EQ(sink.count(), 1U) << sink.log();
  EXPECT_NE(sink.logins().find("plancal"), std::string::npos);
  EXPECT_TRUE(sink.messages()[0]["defects"].empty());
}

TEST(RemindersIntegration, RequiredStartTlsRefusesAServerWithoutIt) {
  SmtpSink sink;
  ReminderWorld world(example_plan("mandagsseminar-2024.yaml"));
  world.write_config(smtp(sink.url(), "required"));
  world.publish();
  const auto result = world.send("2024-01-07T09:30");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("does not offer STARTTLS"), std::string::npos) << result.out;
  EXPECT_EQ(sink.count(), 0U);
}

TEST(RemindersIntegration, PlanChangeMovesPlannedReminders) {
  SmtpSink sink;
  TempDir plans;
  const auto world = ReminderWorld::with_plan_copy(plans);
  world.write_config(smtp(sink.url()));
  world.publish();
  auto result = world.send("2024-01-01T00:00");  // plans everything, nothing due yet
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto before = world.rows_for("ingrid.haug");
  ASSERT_EQ(before.size(), 22U);
  EXPECT_EQ(before[0].due_at, 1704700800);  // 8 January 09:00, 7 days before 15 January

  world.edit_plan("dates: { A: 2024-01-15,", "dates: { A: 2024-01-29,");
  world.publish();
  result = world.send("2024-01-01T00:05");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("planned: 0 new, 2 updated, 0 cancelled"), std::string::npos)
      << result.out;
  bool found = false;
  for (const auto& r : world.rows_for("ingrid.haug")) {
    if (r.id != before[0].id) continue;
    found = true;
    EXPECT_EQ(r.due_at, 1705910400);  // 22 January 09:00
    EXPECT_EQ(r.state, ReminderState::Planned);
    EXPECT_EQ(r.message_id, before[0].message_id);
    EXPECT_NE(r.subject.find("mandag 29. januar 2024"), std::string::npos) << r.subject;
  }
  EXPECT_TRUE(found) << "the same reminder follows the meeting";
  EXPECT_EQ(sink.count(), 0U);
}

TEST(RemindersIntegration, ALeaderAlreadyRemindedGetsOneChangeNotice) {
  SmtpSink sink;
  TempDir plans;
  const auto world = ReminderWorld::with_plan_copy(plans);
  world.write_config(smtp(sink.url()));
  world.publish();
  auto result = world.send("2024-01-08T09:30");  // Ingrid: 7 days before 15 January
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  ASSERT_EQ(sink.count(), 1U);

  world.edit_plan("dates: { A: 2024-01-15,", "dates: { A: 2024-01-29,");
  world.publish();
  result = world.send("2024-01-09T10:00");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("1 change notice(s)"), std::string::npos) << result.out;
  const auto messages = sink.messages();
  ASSERT_EQ(messages.size(), 2U) << messages.dump(2);
  const auto& notice = messages[1];
  EXPECT_EQ(notice["rcpt_tos"], nlohmann::json::array({"ingrid.haug@example.no"}));
  EXPECT_EQ(notice["subject"],
            "Endret: Mandagsseminar 1: En dag på Milepælen – mandag 29. januar 2024");
  const std::string text = notice["parts"][0]["text"];
  EXPECT_NE(text.find("flyttet fra mandag 15. januar 2024 kl. 09.00 til mandag 29. januar 2024 "
                      "kl. 09.00"),
            std::string::npos)
      << text;
  EXPECT_NE(notice["message_id"], messages[0]["message_id"]);

  result = world.send("2024-01-09T10:05");
  EXPECT_EQ(sink.count(), 2U) << "the notice goes once";
}

TEST(RemindersIntegration, ACancelledMeetingAlreadyRemindedBringsOneNotice) {
  SmtpSink sink;
  TempDir plans;
  const auto world = ReminderWorld::with_plan_copy(plans);
  world.write_config(smtp(sink.url()));
  world.publish();
  auto result = world.send("2024-01-08T09:30");  // Ingrid: 7 days before 15 January
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  ASSERT_EQ(sink.count(), 1U);

  world.edit_plan("dates: { A: 2024-01-15,", "dates: { A: {date: 2024-01-15, cancelled: true},");
  world.publish();
  result = world.send("2024-01-09T10:00");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto messages = sink.messages();
  ASSERT_EQ(messages.size(), 2U) << messages.dump(2);
  EXPECT_EQ(messages[1]["rcpt_tos"], nlohmann::json::array({"ingrid.haug@example.no"}));
  EXPECT_EQ(messages[1]["subject"],
            "Avlyst: Mandagsseminar 1: En dag på Milepælen – mandag 15. januar 2024");
  bool one_day_cancelled = false;
  for (const auto& r : world.rows_for("ingrid.haug")) {
    if (r.kind == "leader" && r.when_key == "2024-01-15T09:00" &&
        r.state == ReminderState::Cancelled) {
      one_day_cancelled = true;
    }
  }
  EXPECT_TRUE(one_day_cancelled) << "the unsent 1-day reminder is cancelled, not sent";
  result = world.send("2024-01-14T09:30");
  EXPECT_EQ(sink.count(), 2U) << result.out;
}

/// Every message to `address` whose subject holds `subject_part`.
std::size_t count_to(const nlohmann::json& messages, const std::string& address,
                     const std::string& subject_part) {
  std::size_t count = 0;
  for (const auto& m : messages) {
    count += m["rcpt_tos"] == nlohmann::json::array({address}) &&
             m["subject"].get<std::string>().find(subject_part) != std::string::npos;
  }
  return count;
}

// Issue 16: a leader whose register for a day is still incomplete a day after its meeting
// gets one mail with the link to it; a complete register gets none, and a second run sends
// nothing again.
TEST(RemindersIntegration, ALeaderWhoseRegisterIsIncompleteGetsOneMailWithItsLink) {
  SmtpSink sink;
  ReminderWorld world(example_plan("mandagsseminar-2024.yaml"));
  world.write_config(smtp(sink.url()), std::string(kWideWindow) +
                                           "feeds:\n  public_url: https://kalender.example.no\n"
                                           "attendance:\n  reminder_after_hours: 24\n");
  world.publish();
  const auto mark = [&](const std::string& date, const std::string& person) {
    const auto result = world.run({"attendance", "mark", "--plan", "mandagsseminar-2024", "--date",
                                   date, "--person", person, "--status", "moett"});
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  };
  // Team A, 15 January 09.00-12.00: Ingrid registers three of her four people. Team B,
  // 8 January: Henrik registers all four.
  for (const char* person : {"ingrid.haug", "sindre.lunde", "maja.berntsen"}) {
    mark("2024-01-15", person);
  }
  for (const char* person : {"henrik.solberg", "nora.vik", "emil.strand", "aurora.lie"}) {
    mark("2024-01-08", person);
  }
  const std::string subject = "Oppmøte mangler for";

  ASSERT_EQ(world.send("2024-01-16T11:30").exit_code, 0);
  EXPECT_EQ(count_to(sink.messages(), "ingrid.haug@example.no", subject), 0U)
      << "not before 24 hours have passed";

  const auto due = world.send("2024-01-16T12:30");
  ASSERT_EQ(due.exit_code, 0) << due.out << due.err;
  const auto messages = sink.messages();
  const auto* ingrid = message_to(messages, "ingrid.haug@example.no", subject);
  ASSERT_NE(ingrid, nullptr) << messages.dump(2);
  EXPECT_EQ((*ingrid)["subject"], "Oppmøte mangler for mandag 15. januar 2024");
  std::string body;
  for (const auto& part : (*ingrid)["parts"]) {
    if (part["type"] == "text/plain") body = part["text"];
  }
  EXPECT_NE(body.find("https://kalender.example.no/oppmote/mandagsseminar-2024/2024-01-15"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("1 av 4 registreringer mangler"), std::string::npos) << body;
  EXPECT_EQ(body.find("Tobias"), std::string::npos) << "no names in the mail";
  EXPECT_EQ(count_to(messages, "henrik.solberg@example.no", subject), 0U)
      << "Henrik's register for 8 January is complete";

  ASSERT_EQ(world.send("2024-01-16T15:00").exit_code, 0);
  EXPECT_EQ(count_to(sink.messages(), "ingrid.haug@example.no", subject), 1U)
      << "one mail per leader and day";

  // Completed before it is due, the next day's register asks for nothing.
  for (const char* person : {"ingrid.haug", "sindre.lunde", "maja.berntsen", "tobias.aas"}) {
    mark("2024-02-05", person);
  }
  ASSERT_EQ(world.send("2024-02-06T12:30").exit_code, 0);
  EXPECT_EQ(count_to(sink.messages(), "ingrid.haug@example.no", subject), 1U);
}

}  // namespace
}  // namespace plancal::testing
