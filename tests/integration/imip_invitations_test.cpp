// Seed 003 allocated by `plancal registrations allocate` with a real SMTP server (aiosmtpd):
// each organisation gets its placement mail, each placed contact every meeting of its row as
// an iMIP invitation, and the invitations follow the plan: a moved meeting is an update of the
// same UID with a higher SEQUENCE (planned by `plancal publish`), a withdrawal CANCELs exactly
// what was sent, and a rerun sends nothing. The mails are read by Python's email package and
// python3-icalendar (imip_check.py), not by plancal.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include "daemon_process.h"
#include "registration_test_support.h"
#include "smtp_sink_process.h"
#include "store/database.h"
#include "store/meeting_invitations.h"
#include "store/registrations.h"
#include "store/secrets.h"
#include "store/sqlite.h"
#include "test_support.h"

namespace plancal::testing {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kConfirmedAt = 1'629'000'000;  // August 2021, before the deadline

struct Organisation {
  std::string name;
  std::string email;
  std::vector<std::string> rows;
};

// Seed 003: Wednesdays are FULLT. Sykehuset can only take Tuesdays, so Fretex (first) takes
// its second choice, Thursdays, and Dagsenteret (Thursdays only) waits.
const std::vector<Organisation> kOrganisations = {
    {"Fretex Oslo", "kari@fretex.example.no", {"tirsdag", "torsdag"}},
    {"Sykehuset", "ola@sykehuset.example.no", {"tirsdag"}},
    {"Dagsenteret", "per@dagsenteret.example.no", {"torsdag", "tirsdag"}},
};

class ImipInvitationsIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("plans/dybdemoter.yaml", read_file(example_plan("dybdemoter-2021.yaml")));
    config_ = dir_.write("plancal.yaml",
                         "plans: [plans/dybdemoter.yaml]\n"
                         "database: var/plancal.db\nfeeds:\n  listen: 127.0.0.1:8080\n"
                         "  public_url: https://kalender.example.no\nsmtp:\n  url: " +
                             sink_.url() +
                             "\n  from: kurs@example.no\n  from_name: Kompetansetjenesten\n"
                             "  starttls: never\n");
    fs::create_directories(dir_.path() / "var");
    auto database = StateDatabase::open(db_path());
    ASSERT_TRUE(database.ok()) << database.error().message;
    RegistrationStore store(*database);
    for (std::size_t i = 0; i < kOrganisations.size(); ++i) {
      const auto& o = kOrganisations[i];
      NewRegistration r = seed003_registration(o.name, o.email, o.rows,
                                               "confirm-" + std::to_string(i), change_secret(i));
      r.contact_name = "Kontakt " + o.name;
      const std::int64_t at = kConfirmedAt + static_cast<std::int64_t>(i) * 60;
      ASSERT_TRUE(store.add(r, at).ok());
      auto confirmed = store.confirm(r.confirm_hash, "<receipt-" + std::to_string(i) + "@x>", at);
      ASSERT_TRUE(confirmed.ok() && confirmed->has_value());
    }
    // The confirmation and receipt mails are the sign-up page's (tested there): marked sent.
    ASSERT_TRUE(database->session().db().exec("UPDATE registration_mails SET state = 'sent'"));
  }

  /// The plan moves Tuesday meeting 2 to 12 October, 12.00-14.00.
  void move_tuesday_meeting_two() {
    std::string plan = read_file(dir_.path() / "plans/dybdemoter.yaml");
    const std::string tuesday_end =
        "        from: 2021-09-07\n        count: 4\n        capacity: 1\n";
    ASSERT_NE(plan.find(tuesday_end), std::string::npos);
    plan.insert(plan.find(tuesday_end) + tuesday_end.size(),
                "        changes:\n          \"2\": { date: 2021-10-12, start: \"12:00\", end: "
                "\"14:00\" }\n");
    dir_.write("plans/dybdemoter.yaml", plan);
  }

  static std::string change_secret(std::size_t i) { return "change-" + std::to_string(i); }
  std::string db_path() const { return (dir_.path() / "var/plancal.db").string(); }

  ProcessResult allocate() {
    return run_plancal({"registrations", "allocate", "--config", config_.string()});
  }

  /// Every message received, as imip_check.py reads it (Python's email package and
  /// python3-icalendar, and ical.js from npm, kept in the build folder for the next run).
  nlohmann::json received() const {
    const fs::path tools = plancal_binary().parent_path() / "icaljs-tools";
    const auto result =
        run_process({kDebianPython, (source_dir() / "tests/integration/imip_check.py").string(),
                     sink_.mailbox().string(), tools.string()},
                    {}, 400);
    if (result.exit_code != 0) throw std::runtime_error("imip_check.py failed: " + result.err);
    return nlohmann::json::parse(result.out);
  }

  SmtpSink sink_;
  TempDir dir_;
  fs::path config_;
};

/// The calendar messages among `messages[from..]` sent to `email`.
std::vector<nlohmann::json> invitations_to(const nlohmann::json& messages, const std::string& email,
                                           std::size_t from = 0) {
  std::vector<nlohmann::json> out;
  for (std::size_t i = from; i < messages.size(); ++i) {
    const auto& m = messages[i];
    if (m["rcpt_tos"] == nlohmann::json::array({email}) && !m["calendar"].is_null()) {
      out.push_back(m);
    }
  }
  return out;
}

std::string placement_text(const nlohmann::json& messages, const std::string& email,
                           std::size_t from = 0) {
  for (std::size_t i = from; i < messages.size(); ++i) {
    const auto& m = messages[i];
    if (m["rcpt_tos"] == nlohmann::json::array({email}) && m["calendar"].is_null()) {
      return m["text"];
    }
  }
  return {};
}

/// ical.js (Thunderbird's parser) reads the same as python3-icalendar.
void expect_icaljs_agrees(const nlohmann::json& m) {
  const auto& c = m["calendar"];
  const auto& js = m["icaljs"];
  EXPECT_EQ(js["method"], c["method"]);
  EXPECT_EQ(js["vevents"], 1);
  EXPECT_EQ(js["uid"], c["uid"]);
  EXPECT_EQ(js["sequence"], c["sequence"]);
  EXPECT_EQ(js["start_utc"], c["dtstart_utc"]) << "the same instant through the VTIMEZONE";
  EXPECT_EQ(js["start_zone"], "Europe/Oslo");
  EXPECT_EQ(js["organizer"], c["organizer"]);
  EXPECT_EQ(js["attendee"], c["attendee"]);
}

/// What a well-formed invitation must be, whatever its method.
void expect_well_formed(const nlohmann::json& m, const std::string& email) {
  const auto& c = m["calendar"];
  expect_icaljs_agrees(m);
  EXPECT_EQ(m["content_type"], "multipart/alternative");
  EXPECT_EQ(m["alternatives"], nlohmann::json::array({"text/plain", "text/html", "text/calendar"}));
  EXPECT_TRUE(m["defects"].empty()) << m["defects"];
  EXPECT_EQ(c["mime_method"], c["method"]) << "the MIME method parameter equals METHOD";
  EXPECT_EQ(c["mime_charset"], "utf-8");
  EXPECT_EQ(c["vevents"], 1) << "one meeting per message";
  EXPECT_EQ(c["vtimezones"], nlohmann::json::array({"Europe/Oslo"}));
  EXPECT_EQ(c["dtstart_tzid"], "Europe/Oslo");
  EXPECT_EQ(c["organizer"], "mailto:kurs@example.no");
  EXPECT_EQ(c["attendee"], "mailto:" + email);
  EXPECT_EQ(c["partstat"], "NEEDS-ACTION");
  EXPECT_TRUE(std::regex_match(
      c["uid"].get<std::string>(),
      std::regex(R"(dybdemoter-2021\.dybdemote\.(tirsdag|torsdag)\.all\.[1-4]@plancal)")))
      << c["uid"];
}

std::map<std::string, int> sequence_by_uid(const std::vector<nlohmann::json>& messages,
                                           const std::string& method) {
  std::map<std::string, int> out;
  for (const auto& m : messages) {
    if (m["calendar"]["method"] == method) out[m["calendar"]["uid"]] = m["calendar"]["sequence"];
  }
  return out;
}

TEST_F(ImipInvitationsIntegration, InvitationsFollowTheAllocationThePlanAndAWithdrawal) {
  const auto first = allocate();
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_NE(first.out.find("mails: 3 sent, 0 retrying, 0 failed; meeting invitations: 8 planned, "
                           "8 sent"),
            std::string::npos)
      << first.out;
  auto messages = received();
  ASSERT_EQ(messages.size(), 11U);

  // The placement mails, in Norwegian, with the explanation.
  EXPECT_NE(placement_text(messages, "kari@fretex.example.no")
                .find("Datorekke 3: Torsdager: plassert som nr. 1 i køen (2. valg)"),
            std::string::npos)
      << placement_text(messages, "kari@fretex.example.no");
  EXPECT_NE(placement_text(messages, "per@dagsenteret.example.no").find("Venteliste nr. 1"),
            std::string::npos);
  EXPECT_TRUE(invitations_to(messages, "per@dagsenteret.example.no").empty());

  // Each placed contact gets the four meetings of its row, one REQUEST each.
  const auto fretex = invitations_to(messages, "kari@fretex.example.no");
  const auto sykehuset = invitations_to(messages, "ola@sykehuset.example.no");
  ASSERT_EQ(fretex.size(), 4U);
  ASSERT_EQ(sykehuset.size(), 4U);
  for (const auto& m : fretex) {
    expect_well_formed(m, "kari@fretex.example.no");
    EXPECT_EQ(m["calendar"]["method"], "REQUEST");
    EXPECT_EQ(m["calendar"]["sequence"], 0);
    EXPECT_NE(m["calendar"]["uid"].get<std::string>().find(".torsdag."), std::string::npos);
    EXPECT_NE(m["text"].get<std::string>().find("Fretex Oslo har plass i Datorekke 3: Torsdager"),
              std::string::npos)
        << m["text"];
  }
  for (const auto& m : sykehuset) expect_well_formed(m, "ola@sykehuset.example.no");
  const auto first_uids = sequence_by_uid(sykehuset, "REQUEST");
  ASSERT_EQ(first_uids.size(), 4U);
  const std::string moved_uid = "dybdemoter-2021.dybdemote.tirsdag.all.2@plancal";
  ASSERT_TRUE(first_uids.contains(moved_uid));
  for (const auto& m : sykehuset) {
    if (m["calendar"]["uid"] == moved_uid) {
      EXPECT_EQ(m["calendar"]["dtstart"], "2021-10-05T09:00:00+02:00");
    }
  }

  // Nothing changed: a rerun sends nothing.
  const auto again = allocate();
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(sink_.count(), 11U);

  // The plan moves Tuesday meeting 2: `plancal publish` plans the update of the same UID.
  move_tuesday_meeting_two();
  const auto published = run_plancal({"publish", "--config", config_.string()});
  ASSERT_EQ(published.exit_code, 0) << published.out << published.err;
  {
    auto database = StateDatabase::open(db_path());
    ASSERT_TRUE(database.ok());
    auto due = MeetingInvitationStore(*database).due(std::numeric_limits<std::int64_t>::max());
    ASSERT_TRUE(due.ok());
    ASSERT_EQ(due->size(), 1U) << "the publish planned exactly the update";
  }
  const auto update_run = allocate();  // sends what is due
  ASSERT_EQ(update_run.exit_code, 0) << update_run.out << update_run.err;
  messages = received();
  ASSERT_EQ(messages.size(), 12U);
  const auto update = messages[11];
  EXPECT_EQ(update["rcpt_tos"], nlohmann::json::array({"ola@sykehuset.example.no"}));
  expect_well_formed(update, "ola@sykehuset.example.no");
  EXPECT_EQ(update["calendar"]["method"], "REQUEST");
  EXPECT_EQ(update["calendar"]["uid"], moved_uid) << "the UID never changes";
  EXPECT_EQ(update["calendar"]["sequence"], 1) << "SEQUENCE rises on the change";
  EXPECT_EQ(update["calendar"]["dtstart"], "2021-10-12T12:00:00+02:00");
  EXPECT_EQ(update["subject"].get<std::string>().rfind("Endret: ", 0), 0U) << update["subject"];

  // Sykehuset withdraws: its four meetings are cancelled, each with a higher SEQUENCE. The
  // next allocation places Dagsenteret, first on the waiting list, in the Tuesdays left free
  // (its second choice). Fretex was told Thursdays and keeps them: nothing is sent to it.
  {
    auto database = StateDatabase::open(db_path());
    ASSERT_TRUE(database.ok());
    auto withdrawn =
        RegistrationStore(*database).withdraw(sha256_hex(change_secret(1)), kConfirmedAt + 3600);
    ASSERT_TRUE(withdrawn.ok() && withdrawn->has_value());
  }
  const auto after_withdrawal = allocate();
  ASSERT_EQ(after_withdrawal.exit_code, 0) << after_withdrawal.out << after_withdrawal.err;
  EXPECT_NE(after_withdrawal.out.find("Fretex Oslo: Datorekke 3: Torsdager: plassert som nr. 1 "
                                      "i køen (2. valg) (uendret)"),
            std::string::npos)
      << after_withdrawal.out;
  messages = received();
  const auto cancels = invitations_to(messages, "ola@sykehuset.example.no", 12);
  ASSERT_EQ(cancels.size(), 4U);
  std::map<std::string, int> expected_cancels = first_uids;
  for (auto& [uid, sequence] : expected_cancels) sequence = uid == moved_uid ? 2 : 1;
  for (const auto& m : cancels) {
    expect_well_formed(m, "ola@sykehuset.example.no");
    EXPECT_EQ(m["calendar"]["status"], "CANCELLED");
  }
  EXPECT_EQ(sequence_by_uid(cancels, "CANCEL"), expected_cancels)
      << "CANCEL removes exactly what was sent, with a higher SEQUENCE";

  EXPECT_TRUE(invitations_to(messages, "kari@fretex.example.no", 12).empty())
      << "a placement that was announced stays put";
  const auto dagsenteret = invitations_to(messages, "per@dagsenteret.example.no", 12);
  ASSERT_EQ(dagsenteret.size(), 4U);
  for (const auto& m : dagsenteret) {
    expect_well_formed(m, "per@dagsenteret.example.no");
    EXPECT_EQ(m["calendar"]["method"], "REQUEST");
    EXPECT_NE(m["calendar"]["uid"].get<std::string>().find(".tirsdag."), std::string::npos);
  }
  EXPECT_EQ(sequence_by_uid(dagsenteret, "REQUEST").at(moved_uid), 0)
      << "a new attendee's first invitation starts its own sequence";
  EXPECT_NE(placement_text(messages, "per@dagsenteret.example.no", 12)
                .find("Datorekke 1: Tirsdager: plassert som nr. 2 i køen (2. valg)"),
            std::string::npos)
      << placement_text(messages, "per@dagsenteret.example.no", 12);

  const std::size_t settled = sink_.count();
  ASSERT_EQ(allocate().exit_code, 0);
  ASSERT_EQ(run_plancal({"publish", "--config", config_.string()}).exit_code, 0);
  ASSERT_EQ(allocate().exit_code, 0);
  EXPECT_EQ(sink_.count(), settled) << "nothing material changed: nothing is sent";
}

TEST_F(ImipInvitationsIntegration, AMailServerThatRefusesForAWhileGetsEachMessageOnceLater) {
  const std::int64_t now = std::time(nullptr);
  sink_.reply_with("451");
  const auto refused = run_plancal(
      {"registrations", "allocate", "--config", config_.string(), "--now", std::to_string(now)});
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_NE(refused.out.find("mails: 0 sent, 3 retrying, 0 failed; meeting invitations: 8 "
                             "planned, 0 sent, 8 retrying"),
            std::string::npos)
      << refused.out;
  EXPECT_EQ(sink_.count(), 0U);

  // The server accepts again; a run before the retry time sends and plans nothing new.
  sink_.reply_with("ok");
  const auto early = run_plancal({"registrations", "allocate", "--config", config_.string(),
                                  "--now", std::to_string(now + 1)});
  EXPECT_EQ(early.exit_code, 0) << early.out << early.err;
  EXPECT_EQ(sink_.count(), 0U);

  const auto later = run_plancal({"registrations", "allocate", "--config", config_.string(),
                                  "--now", std::to_string(now + 600)});
  ASSERT_EQ(later.exit_code, 0) << later.out << later.err;
  EXPECT_NE(later.out.find("meeting invitations: 0 planned, 8 sent"), std::string::npos)
      << later.out;
  const auto messages = received();
  ASSERT_EQ(messages.size(), 11U);
  std::set<std::string> uids;
  for (const auto& m : messages) {
    if (!m["calendar"].is_null())
      uids.insert(m["rcpt_tos"][0].get<std::string>() + " " +
                  m["calendar"]["uid"].get<std::string>());
  }
  EXPECT_EQ(uids.size(), 8U) << "each meeting once per contact";
}

/// Every planned mail of the registrations by Message-ID with its state: placement mails and
/// meeting invitations.
std::map<std::string, std::string> planned_mails(const std::string& db_path) {
  auto database = StateDatabase::open(db_path);
  if (!database) throw std::runtime_error(database.error().message);
  std::map<std::string, std::string> out;
  auto meetings = MeetingInvitationStore(*database).mails();
  if (!meetings) throw std::runtime_error(meetings.error().message);
  for (const auto& m : *meetings) out[m.message_id] = m.state;
  auto session = database->session();
  auto statement = sqlite::Statement::prepare(
      session.db(), "SELECT message_id, state FROM registration_mails WHERE kind = 'placement'");
  if (!statement) throw std::runtime_error(statement.error().message);
  while (true) {
    auto row = statement->step();
    if (!row || !*row) break;
    out[statement->text(0)] = statement->text(1);
  }
  return out;
}

TEST_F(ImipInvitationsIntegration, KilledAtRandomPointsNoMailIsLostOrPlannedTwice) {
  SmtpSinkOptions slow;
  slow.delay_ms = 200;  // 11 mails take over 2 s: longer than any kill delay below
  SmtpSink sink(slow);  // this test's own, slow server
  const std::string text = read_file(config_);
  dir_.write("plancal.yaml", std::regex_replace(text, std::regex(sink_.url()), sink.url()));

  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("random seed " + std::to_string(seed));
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> delay_ms(0, 900);
  constexpr int kRuns = 10;
  const std::int64_t start = std::time(nullptr);
  int kills = 0;
  std::set<std::string> left_sending;
  for (int run = 0; run < kRuns; ++run) {
    // An hour apart, so what a killed run was sending is due again in the next.
    const pid_t pid =
        spawn_quietly({plancal_binary().string(), "registrations", "allocate", "--config",
                       config_.string(), "--now", std::to_string(start + run * 3600)});
    if (!kill_after(pid, std::chrono::milliseconds(delay_ms(random)))) continue;
    ++kills;
    for (const auto& [message_id, state] : planned_mails(db_path())) {
      if (state == "sending") left_sending.insert(message_id);
    }
  }
  // Once everything is sent a run ends quickly, so only the first runs are sure to be killed.
  EXPECT_GE(kills, 1) << "no kill landed while a run was going";
  const auto final_run = run_plancal({"registrations", "allocate", "--config", config_.string(),
                                      "--now", std::to_string(start + kRuns * 3600)});
  ASSERT_EQ(final_run.exit_code, 0) << final_run.out << final_run.err;

  // Three placement mails and eight invitations planned, whatever the kills; all sent.
  const auto planned = planned_mails(db_path());
  ASSERT_EQ(planned.size(), 11U);
  for (const auto& [message_id, state] : planned) EXPECT_EQ(state, "sent") << message_id;

  std::map<std::string, std::vector<nlohmann::json>> received;
  for (auto m : sink.messages()) {
    m.erase("file");
    m.erase("date");  // each attempt is dated when it is made
    received[m["message_id"]].push_back(m);
  }
  EXPECT_EQ(received.size(), planned.size()) << "no message outside the planned ones";
  int duplicates = 0;
  for (const auto& [message_id, state] : planned) {
    const auto it = received.find(message_id);
    ASSERT_NE(it, received.end()) << "lost: " << message_id;
    const auto& copies = it->second;
    if (copies.size() == 1) continue;
    duplicates += static_cast<int>(copies.size()) - 1;
    EXPECT_EQ(left_sending.count(message_id), 1U)
        << message_id << " came " << copies.size() << " times without a kill while sending it";
    for (const auto& copy : copies) EXPECT_EQ(copy, copies[0]) << "a resend is the same message";
  }
  std::printf(
      "[ meeting invitations ] %d runs, %d killed, %zu mails, %d same-Message-ID "
      "duplicate(s)\n",
      kRuns, kills, planned.size(), duplicates);
}

TEST_F(ImipInvitationsIntegration, TheDaemonSendsTheUpdateWhenThePlanFileChanges) {
  ASSERT_EQ(allocate().exit_code, 0);
  ASSERT_EQ(sink_.count(), 11U);
  DaemonProcess daemon(config_, dir_.path() / "daemon.log");

  // The daemon publishes the edited plan (on the file event, and again on SIGHUP: the second
  // publish finds nothing new), plans the update and its mail job sends it.
  move_tuesday_meeting_two();
  daemon.signal(SIGHUP);
  for (int i = 0; i < 300 && sink_.count() < 12; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(sink_.count(), 12U) << read_file(dir_.path() / "daemon.log");
  const auto update = received().back();
  EXPECT_EQ(update["rcpt_tos"], nlohmann::json::array({"ola@sykehuset.example.no"}));
  expect_well_formed(update, "ola@sykehuset.example.no");
  EXPECT_EQ(update["calendar"]["uid"], "dybdemoter-2021.dybdemote.tirsdag.all.2@plancal");
  EXPECT_EQ(update["calendar"]["sequence"], 1);
  EXPECT_EQ(update["calendar"]["dtstart"], "2021-10-12T12:00:00+02:00");
  EXPECT_EQ(daemon.stop(), 0);
  EXPECT_EQ(sink_.count(), 12U) << "one update, however many publishes saw the change";
}

}  // namespace
}  // namespace plancal::testing
