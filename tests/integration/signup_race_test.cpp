// 200 organisations racing for the last place of seed 003, on a real `plancal serve` with a
// real SMTP server (aiosmtpd). The registration has closed (seed 003's deadline, 26 August
// 2021, is past on the real clock) and one row is already taken, so each confirmation that
// arrives is allocated at once on the server thread that received it. 200 confirmations from
// parallel clients must give exactly one place, 199 on the waiting list, the taken row left as
// it was, and each contact exactly one receipt and one placement mail: nothing lost, nothing
// twice.

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <regex>
#include <thread>

#include "base/hash.h"
#include "raw_http.h"
#include "registration_test_support.h"
#include "smtp_sink_process.h"
#include "store/database.h"
#include "store/registrations.h"
#include "test_support.h"
#include "web_server_support.h"

namespace plancal::testing {
namespace {

namespace fs = std::filesystem;

constexpr int kRacers = 200;
constexpr int kClients = 16;

/// A confirm link's secret: 43 characters of base64url, as the page's links have.
std::string race_confirm_secret(int i) {
  std::string secret = "racer" + std::to_string(i) + "-";
  secret.resize(43, 'x');
  return secret;
}

std::string race_email(int i) { return "kontakt" + std::to_string(i) + "@org.example.no"; }

class SignupRaceIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("plans/dybdemoter.yaml", read_file(example_plan("dybdemoter-2021.yaml")));
    config_ = dir_.write("plancal.yaml",
                         "plans: [plans/dybdemoter.yaml]\n"
                         "database: var/plancal.db\n"
                         "feeds:\n  listen: 127.0.0.1:8080\n"
                         "  public_url: https://kalender.example.no\n"
                         "signup:\n  rate_limit: { posts: 1000, window_minutes: 10 }\n"
                         "smtp:\n  url: " +
                             sink_.url() +
                             "\n  from: kurs@example.no\n  from_name: Kompetansetjenesten\n"
                             "  starttls: never\n");
    fs::create_directories(dir_.path() / "var");
  }

  std::string db_path() const { return (dir_.path() / "var/plancal.db").string(); }

  /// Stores a registration as the page does (unconfirmed, expiring a day from now), with a
  /// confirm link whose secret the test knows.
  static void add(RegistrationStore& store, const std::string& organisation,
                  const std::string& email, std::vector<std::string> rows,
                  const std::string& confirm_secret, std::int64_t now) {
    ASSERT_TRUE(store
                    .add(seed003_registration(organisation, email, std::move(rows), confirm_secret,
                                              "change " + organisation),
                         now)
                    .ok());
  }

  /// Fretex confirmed and placed on Thursdays before the race: Tuesdays is the last place
  /// (Wednesdays is FULLT in the seed). Then the 200 racers, all unconfirmed.
  void prepare_registrations() {
    const std::int64_t now = std::time(nullptr);
    {
      auto database = StateDatabase::open(db_path());
      ASSERT_TRUE(database.ok()) << database.error().message;
      RegistrationStore store(*database);
      add(store, "Fretex", "kari@fretex.example.no", {"torsdag"}, race_confirm_secret(9999), now);
      ASSERT_TRUE(store.confirm(sha256_hex(race_confirm_secret(9999)), "<r@x>", now).ok());
      for (int i = 0; i < kRacers; ++i) {
        add(store, "Organisasjon " + std::to_string(i), race_email(i), {"tirsdag", "torsdag"},
            race_confirm_secret(i), now);
      }
      ASSERT_TRUE(database->session().db().exec("UPDATE registration_mails SET state = 'sent'"))
          << "the confirmation mails are the page's (tested there)";
    }
    const auto allocated = run_plancal({"registrations", "allocate", "--config", config_.string()});
    ASSERT_EQ(allocated.exit_code, 0) << allocated.out << allocated.err;
    ASSERT_NE(allocated.out.find("Fretex: Datorekke 3: Torsdager: plassert"), std::string::npos)
        << allocated.out;
  }

  /// One client confirming registration `i` as a browser does: the GET shows the button and
  /// sets the CSRF cookie, the POST sends both back. The status of the POST.
  int confirm_as_a_browser(int port, int i) {
    const std::string path = "/pamelding/bekreft/" + race_confirm_secret(i);
    const auto page =
        raw_http(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    if (!page || page->status != 200) return page ? page->status : 0;
    std::smatch token;
    if (!std::regex_search(page->body, token, std::regex(R"re(name="csrf" value="([^"]+)")re"))) {
      return -1;
    }
    const std::string cookie =
        page->header("set-cookie").substr(0, page->header("set-cookie").find(';'));
    const std::string body = "csrf=" + token[1].str();
    const auto posted = raw_http(
        port, "POST " + path +
                  " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: " + cookie +
                  "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n" + body);
    return posted ? posted->status : 0;
  }

  SmtpSink sink_;
  TempDir dir_;
  fs::path config_;
};

TEST_F(SignupRaceIntegration, TwoHundredConfirmationsRaceForTheLastPlaceAndExactlyOneGetsIt) {
  ASSERT_NO_FATAL_FAILURE(prepare_registrations());
  const std::size_t fretex_mails = sink_.count();  // its placement and its invitations
  ServeProcess server(config_, dir_.path() / "serve.err");

  std::atomic<int> next{0};
  std::vector<int> statuses(kRacers, 0);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&] {
      for (int i = next++; i < kRacers; i = next++) {
        statuses[static_cast<std::size_t>(i)] = confirm_as_a_browser(server.port(), i);
      }
    });
  }
  for (auto& client : clients) client.join();
  for (int i = 0; i < kRacers; ++i) {
    EXPECT_EQ(statuses[static_cast<std::size_t>(i)], 200) << "racer " << i;
  }

  // Each racer gets its receipt and its placement mail (placed or waiting), and the one placed
  // the four Tuesdays as invitations, sent by `plancal serve` itself: 404 in all.
  for (int i = 0; i < 300 && sink_.count() < fretex_mails + 2 * kRacers + 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(server.stop(), 0);

  auto database = StateDatabase::open(db_path());
  ASSERT_TRUE(database.ok());
  const auto all = RegistrationStore(*database).registrations("");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), static_cast<std::size_t>(kRacers + 1)) << "nothing lost";
  std::map<std::string, std::vector<std::string>> rows;  // row -> organisations
  int waiting = 0;
  for (const auto& r : *all) {
    if (r.state == RegistrationState::Placed) rows[*r.placed_row].push_back(r.organisation);
    if (r.state == RegistrationState::Waiting) ++waiting;
    EXPECT_NE(r.state, RegistrationState::Unconfirmed) << r.organisation;
  }
  ASSERT_EQ(rows["torsdag"], std::vector<std::string>{"Fretex"}) << "the taken row stays taken";
  ASSERT_EQ(rows["tirsdag"].size(), 1U) << "the last place is given exactly once";
  EXPECT_EQ(waiting, kRacers - 1);

  // Mails: exactly one receipt and one placement mail per racer, and the one placed is told so.
  std::map<std::string, std::map<std::string, int>> subjects;  // address -> subject -> count
  std::map<std::string, std::string> placement_text;
  for (const auto& m : sink_.messages()) {
    const std::string to = m["rcpt_tos"].at(0);
    const std::string subject = m["subject"];
    ++subjects[to][subject.substr(0, subject.find(':'))];
    if (subject.starts_with("Svar på påmeldingen")) {
      for (const auto& part : m["parts"]) {
        if (part["type"] == "text/plain") placement_text[to] = part["text"];
      }
    }
  }
  int told_placed = 0;
  for (int i = 0; i < kRacers; ++i) {
    const std::string to = race_email(i);
    EXPECT_EQ(subjects[to]["Kvittering for påmeldingen"], 1) << to;
    EXPECT_EQ(subjects[to]["Svar på påmeldingen"], 1) << to;
    const bool placed =
        placement_text[to].find("Datorekke 1: Tirsdager: plassert") != std::string::npos;
    told_placed += placed ? 1 : 0;
    EXPECT_EQ(subjects[to]["Invitasjon"], placed ? 4 : 0) << to;
    if (!placed) {
      EXPECT_NE(placement_text[to].find("Venteliste nr. "), std::string::npos) << to;
    }
  }
  EXPECT_EQ(told_placed, 1);
  int to_fretex = 0;
  for (const auto& [subject, count] : subjects["kari@fretex.example.no"]) to_fretex += count;
  EXPECT_EQ(static_cast<std::size_t>(to_fretex), fretex_mails)
      << "Fretex's place did not change: nothing more was sent to it";
}

}  // namespace
}  // namespace plancal::testing
