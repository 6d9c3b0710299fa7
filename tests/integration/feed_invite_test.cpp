// plancal feed invite against a real SMTP server (aiosmtpd) and a real `plancal serve`: every
// roster person with an address gets exactly one mail whose links open their own page and
// feed; a rerun sends nothing; --rotate sends a new link and kills the old one; failures are
// retried; and SIGKILL at random moments loses and duplicates nothing.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include "smtp_sink_process.h"
#include "store/invitations.h"
#include "store/link_key.h"
#include "test_support.h"
#include "web_server_support.h"

namespace plancal::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPublicUrl = "https://kalender.example.no";
/// A roster person whose name holds markup, quotes and an '&': text in every mail part.
constexpr const char* kMarkupName = R"(Kari "K" <b>Nordmann</b> & co)";

struct Invitee {
  std::string id;
  std::string name;
  std::string email;
};

/// The roster as the test reads it from the CSV itself (not through plancal).
std::vector<Invitee> roster_with_email(const fs::path& csv) {
  std::vector<Invitee> people;
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);  // header
  const std::regex row(R"re(^([^,]+),("(?:[^"]|"")*"|[^,]*),([^,]*),.*$)re");
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_match(line, m, row)) continue;
    std::string name = m[2];
    if (name.size() >= 2 && name.front() == '"') {
      name = std::regex_replace(name.substr(1, name.size() - 2), std::regex("\"\""), "\"");
    }
    if (!m[3].str().empty()) people.push_back({m[1], name, m[3]});
  }
  return people;
}

/// Seed 000 and friends published (web_server_support.h), a roster person with markup in her
/// name, and an smtp: section pointing at `sink`.
fs::path invite_world(const TempDir& dir, const SmtpSink& sink) {
  const fs::path config = write_published_seeds(dir);
  std::ofstream(dir.path() / "plans/roster-milepaelen.csv", std::ios::app)
      << "kari.nordmann,\"Kari \"\"K\"\" <b>Nordmann</b> & co\",kari.nordmann@example.no,A,no,"
         "ingrid.haug,\n";
  std::ofstream(config, std::ios::app) << "smtp:\n  url: " << sink.url()
                                       << "\n  from: kalender@milepaelen.example.no\n"
                                          "  from_name: Milepælen kalender\n  starttls: never\n";
  return config;
}

ProcessResult invite(const fs::path& config, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"feed", "invite", "--config", config.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_plancal(args);
}

std::string part_text(const nlohmann::json& message, const std::string& type) {
  for (const auto& part : message["parts"]) {
    if (part["type"] == type) return part["text"];
  }
  return {};
}

/// The secret in the page link of a mail's text part.
std::string page_secret(const nlohmann::json& message) {
  std::smatch m;
  const std::string text = part_text(message, "text/plain");
  const std::regex link(std::string(kPublicUrl) + "/p/([A-Za-z0-9_-]{43})");
  if (!std::regex_search(text, m, link)) return {};
  return m[1];
}

/// Waits (bounded) until `path` answers `status`: a token made or revoked by another process
/// reaches the running server within about a second.
int status_soon(const TempDir& dir, const ServeProcess& server, const std::string& path,
                int status) {
  int last = 0;
  for (int i = 0; i < 50 && last != status; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    last = fetch(dir, server.url(path)).status;
  }
  return last;
}

TEST(FeedInviteIntegration, EveryRosterPersonGetsOneMailWhoseLinksOpenTheirOwnCalendar) {
  SmtpSink sink;
  TempDir dir;
  const fs::path config = invite_world(dir, sink);
  const auto people = roster_with_email(dir.path() / "plans/roster-milepaelen.csv");
  ASSERT_EQ(people.size(), 13U);

  const auto dry = invite(config, {"--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.out << dry.err;
  EXPECT_NE(dry.out.find("would invite Sindre Lunde <sindre.lunde@example.no>"), std::string::npos)
      << dry.out;
  EXPECT_EQ(sink.count(), 0U);
  EXPECT_FALSE(fs::exists(link_key_path((dir.path() / "var/plancal.db").string())));

  const auto first = invite(config);
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_NE(first.out.find("planned 13 invitation(s); sent 13, retrying 0, failed 0"),
            std::string::npos)
      << first.out;
  const auto messages = sink.messages();
  ASSERT_EQ(messages.size(), people.size());

  std::map<std::string, std::string> secret_by_email;
  for (const auto& person : people) {
    SCOPED_TRACE(person.email);
    int found = 0;
    for (const auto& m : messages) {
      if (m["rcpt_tos"] != nlohmann::json::array({person.email})) continue;
      ++found;
      EXPECT_EQ(m["to_name"], person.name);
      EXPECT_EQ(m["subject"], "Kalenderen din: møtene dine med ett klikk");
      EXPECT_EQ(m["content_type"], "multipart/alternative");
      EXPECT_TRUE(m["defects"].empty()) << m["defects"];
      const std::string text = part_text(m, "text/plain");
      const std::string html = part_text(m, "text/html");
      EXPECT_NE(text.find("Hei " + person.name + "!"), std::string::npos) << text;
      const std::string secret = page_secret(m);
      ASSERT_FALSE(secret.empty()) << text;
      EXPECT_NE(text.find("webcal://kalender.example.no/feeds/" + secret + ".ics"),
                std::string::npos);
      EXPECT_NE(html.find("href=\"" + std::string(kPublicUrl) + "/p/" + secret + "\""),
                std::string::npos);
      EXPECT_EQ(first.out.find(secret), std::string::npos) << "a link reached the output";
      EXPECT_EQ(first.err.find(secret), std::string::npos) << "a link reached the log";
      secret_by_email[person.email] = secret;
    }
    EXPECT_EQ(found, 1);
  }
  EXPECT_EQ(secret_by_email.size(), people.size()) << "every link is its own";

  // Markup in a name is text in both parts.
  for (const auto& m : messages) {
    if (m["rcpt_tos"] != nlohmann::json::array({"kari.nordmann@example.no"})) continue;
    EXPECT_NE(part_text(m, "text/plain").find(std::string("Hei ") + kMarkupName + "!"),
              std::string::npos);
    const std::string html = part_text(m, "text/html");
    EXPECT_EQ(html.find("<b>"), std::string::npos) << html;
    EXPECT_NE(html.find("Kari &quot;K&quot; &lt;b&gt;Nordmann&lt;/b&gt; &amp; co"),
              std::string::npos)
        << html;
  }

  // Neither a link nor the key is in the database file.
  const std::string db_bytes = read_file(dir.path() / "var/plancal.db");
  for (const auto& [email, secret] : secret_by_email) {
    EXPECT_EQ(db_bytes.find(secret), std::string::npos) << email;
  }

  // The links work: Sindre's page and feed, served by a real `plancal serve`.
  ServeProcess server(config, dir.path() / "serve.err");
  const std::string sindre = secret_by_email["sindre.lunde@example.no"];
  const auto page = fetch(dir, server.url("/p/" + sindre));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Kalender for Sindre Lunde"), std::string::npos);
  const auto feed = fetch(dir, server.url("/feeds/" + sindre + ".ics"));
  ASSERT_EQ(feed.status, 200);
  EXPECT_NE(unfold(feed.body).find("X-WR-CALNAME:Kalender for Sindre Lunde"), std::string::npos);

  // A second run sends nothing.
  const auto second = invite(config);
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_NE(second.out.find("skip Sindre Lunde <sindre.lunde@example.no>: already has a personal "
                            "link"),
            std::string::npos)
      << second.out;
  EXPECT_NE(second.out.find("planned 0 invitation(s); sent 0"), std::string::npos);
  EXPECT_EQ(sink.count(), people.size());

  // --rotate: one new mail for Sindre; the old link answers 404, the new one 200.
  const auto rotated = invite(config, {"--people", "person:sindre.lunde", "--rotate"});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.out << rotated.err;
  ASSERT_EQ(sink.count(), people.size() + 1);
  const auto last = sink.messages().back();
  EXPECT_EQ(last["rcpt_tos"], nlohmann::json::array({"sindre.lunde@example.no"}));
  EXPECT_EQ(last["subject"], "Ny lenke til kalenderen din");
  const std::string renewed = page_secret(last);
  ASSERT_FALSE(renewed.empty());
  EXPECT_NE(renewed, sindre);
  EXPECT_EQ(status_soon(dir, server, "/p/" + sindre, 404), 404);
  EXPECT_EQ(status_soon(dir, server, "/feeds/" + sindre + ".ics", 404), 404);
  EXPECT_EQ(status_soon(dir, server, "/p/" + renewed, 200), 200);
  EXPECT_EQ(server.stop(), 0);
}

TEST(FeedInviteIntegration, ATemporaryFailureIsRetriedAndARefusedAddressReported) {
  SmtpSink sink;
  TempDir dir;
  const fs::path config = invite_world(dir, sink);
  sink.reply_with("451");
  const auto refused = invite(config, {"--people", "team:B", "--now", "1800000000"});
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_NE(refused.out.find("will retry the invitation to Henrik Solberg"), std::string::npos)
      << refused.out;
  EXPECT_EQ(sink.count(), 0U);

  // Before the backoff ends nothing is sent; after it, the same invitations go out, once.
  sink.reply_with("ok");
  const auto early = invite(config, {"--people", "team:B", "--now", "1800000030"});
  EXPECT_EQ(sink.count(), 0U) << early.out;
  const auto later = invite(config, {"--people", "team:B", "--now", "1800000600"});
  ASSERT_EQ(later.exit_code, 0) << later.out << later.err;
  EXPECT_NE(later.out.find("planned 0 invitation(s); sent 4"), std::string::npos) << later.out;
  EXPECT_EQ(sink.count(), 4U);

  sink.reply_with("550");
  const auto failed =
      invite(config, {"--people", "person:nora.vik", "--rotate", "--now", "1800000700"});
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_NE(failed.out.find("FAILED the invitation to Nora Vik <nora.vik@example.no>"),
            std::string::npos)
      << failed.out;
  // Once the address works, the next run replaces the link no mail carried.
  sink.reply_with("ok");
  const auto fixed = invite(config, {"--people", "person:nora.vik", "--now", "1800000800"});
  ASSERT_EQ(fixed.exit_code, 0) << fixed.out << fixed.err;
  EXPECT_NE(fixed.out.find("planned 1 invitation(s); sent 1"), std::string::npos) << fixed.out;
  EXPECT_EQ(sink.count(), 5U);
}

std::vector<InvitationRecord> stored_invitations(const fs::path& database) {
  auto opened = StateDatabase::open(database.string());
  if (!opened) throw std::runtime_error(opened.error().message);
  return InvitationStore(*opened).invitations();
}

TEST(FeedInviteCrashIntegration, KilledAtRandomPointsNoInvitationIsLostOrDoubled) {
  // A slow server, so that most of the runs still have mail to send when the kill comes: at
  // 60 ms a mail, the first two runs sent everything and the rest only started up and left,
  // often before their kill (on an idle machine, fewer than half of the kills then landed).
  SmtpSinkOptions slow;
  slow.delay_ms = 200;
  SmtpSink sink(slow);
  TempDir dir;
  const fs::path config = invite_world(dir, sink);
  const fs::path database = dir.path() / "var/plancal.db";
  const auto people = roster_with_email(dir.path() / "plans/roster-milepaelen.csv");

  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("random seed " + std::to_string(seed));
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> delay_ms(0, 400);
  constexpr int kRuns = 12;
  constexpr std::int64_t kStart = 1'800'000'000;
  int kills = 0;
  std::set<std::string> left_sending;
  for (int run = 0; run < kRuns; ++run) {
    // An hour apart, so what a killed run was sending is due again in the next.
    const pid_t pid =
        spawn_quietly({plancal_binary().string(), "feed", "invite", "--config", config.string(),
                       "--now", std::to_string(kStart + run * 3600)});
    if (!kill_after(pid, std::chrono::milliseconds(delay_ms(random)))) continue;
    ++kills;
    if (!fs::exists(database)) continue;
    for (const auto& r : stored_invitations(database)) {
      if (r.state == InvitationState::Sending) left_sending.insert(r.message_id);
    }
  }
  EXPECT_GE(kills, kRuns / 2) << "too few kills landed while a run was going";
  const auto final_run = invite(config, {"--now", std::to_string(kStart + kRuns * 3600)});
  ASSERT_EQ(final_run.exit_code, 0) << final_run.out << final_run.err;

  // One invitation per person, each sent; no second one planned after a kill.
  const auto stored = stored_invitations(database);
  ASSERT_EQ(stored.size(), people.size());
  std::map<std::string, const InvitationRecord*> by_message_id;
  for (const auto& r : stored) {
    EXPECT_EQ(r.state, InvitationState::Sent) << r.person_id;
    by_message_id.emplace(r.message_id, &r);
  }
  ASSERT_EQ(by_message_id.size(), stored.size());

  std::map<std::string, std::vector<nlohmann::json>> received;
  for (auto m : sink.messages()) {
    m.erase("file");
    m.erase("date");  // each attempt is dated when it is made
    received[m["message_id"]].push_back(m);
  }
  EXPECT_EQ(received.size(), by_message_id.size()) << "no message outside the planned ones";
  int duplicates = 0;
  for (const auto& [message_id, invitation] : by_message_id) {
    const auto it = received.find(message_id);
    ASSERT_NE(it, received.end()) << "lost: " << invitation->person_id;
    const auto& copies = it->second;
    EXPECT_EQ(copies[0]["rcpt_tos"], nlohmann::json::array({invitation->email}));
    if (copies.size() == 1) continue;
    duplicates += static_cast<int>(copies.size()) - 1;
    EXPECT_EQ(left_sending.count(message_id), 1U)
        << invitation->person_id << " got " << copies.size()
        << " mails without a kill in its sending window";
    for (const auto& copy : copies) {
      EXPECT_EQ(copy, copies[0]) << "a resent invitation carries the same link and text";
    }
  }
  std::printf(
      "[ invitations ] %d runs, %d killed, %zu invitations, %d same-Message-ID "
      "duplicate(s)\n",
      kRuns, kills, stored.size(), duplicates);
}

}  // namespace
}  // namespace plancal::testing
