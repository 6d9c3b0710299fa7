// The sign-up page of seed 003 served by a real `plancal serve`, its mails received by a real
// SMTP server (aiosmtpd), driven with curl: a registration, its confirmation mail and link,
// the place count falling to FULLT, and every refused post storing nothing. The plan's dates
// are moved to 2032 (the same weekdays) so the form is open on the real clock; the closed form
// after the deadline is tested with an injected clock in tests/unit/web_signup_test.cpp.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <thread>

#include "smtp_sink_process.h"
#include "store/database.h"
#include "store/registrations.h"
#include "test_support.h"
#include "web_server_support.h"

namespace plancal::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPublicUrl = "https://kalender.example.no";
constexpr const char* kPath = "/pamelding/dybdemoter-2021/dybdemote";

/// Seed 003 with every date moved from 2021 to 2032 (7 September is a Tuesday in both).
fs::path signup_world(const TempDir& dir, const SmtpSink& sink) {
  const std::string plan = std::regex_replace(read_file(example_plan("dybdemoter-2021.yaml")),
                                              std::regex("2021-"), "2032-");
  dir.write("plans/dybdemoter.yaml", plan);
  return dir.write("plancal.yaml",
                   "plans: [plans/dybdemoter.yaml]\n"
                   "database: var/plancal.db\nfeeds:\n  listen: 127.0.0.1:8080\n"
                   "  public_url: " +
                       std::string(kPublicUrl) + "\nsmtp:\n  url: " + sink.url() +
                       "\n  from: kurs@example.no\n  from_name: Kompetansetjenesten\n"
                       "  starttls: never\n");
}

class SignupPageIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = signup_world(dir_, sink_);
    server_ = std::make_unique<ServeProcess>(config_, dir_.path() / "serve.err");
  }

  /// curl with this test's cookie jar (the CSRF cookie), so every request is one browser.
  HttpFetch get(const std::string& path) {
    return fetch(dir_, server_->url(path), {"-c", jar(), "-b", jar()});
  }

  HttpFetch post(const std::string& path,
                 const std::vector<std::pair<std::string, std::string>>& fields) {
    std::vector<std::string> options{"-c", jar(), "-b", jar()};
    for (const auto& [name, value] : fields) {
      options.push_back("--data-urlencode");
      options.push_back(name + "=" + value);
    }
    return fetch(dir_, server_->url(path), options);
  }

  static std::string csrf_of(const std::string& body) {
    std::smatch m;
    if (!std::regex_search(body, m, std::regex(R"re(name="csrf" value="([0-9a-f]{64})")re"))) {
      return {};
    }
    return m[1];
  }

  std::vector<std::pair<std::string, std::string>> valid(const std::string& csrf) {
    return {{"csrf", csrf},
            {"organisasjon", "Fretex Oslo"},
            {"kontaktperson", "Kari Nordmann"},
            {"epost", "kari@fretex.example.no"},
            {"deltakere", "4"},
            {"valg1", "tirsdag"},
            {"valg2", "torsdag"}};
  }

  std::vector<RegistrationRecord> stored() {
    auto database = StateDatabase::open((dir_.path() / "var/plancal.db").string());
    EXPECT_TRUE(database.ok());
    return *RegistrationStore(*database).registrations("");
  }

  /// Waits (bounded) for the SMTP server to hold `count` messages.
  bool mails_soon(std::size_t count) {
    for (int i = 0; i < 100 && sink_.count() < count; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return sink_.count() >= count;
  }

  std::string jar() const { return (dir_.path() / "cookies.txt").string(); }

  SmtpSink sink_;
  TempDir dir_;
  fs::path config_;
  std::unique_ptr<ServeProcess> server_;
};

std::string text_part(const nlohmann::json& message) {
  for (const auto& part : message["parts"]) {
    if (part["type"] == "text/plain") return part["text"];
  }
  return {};
}

TEST_F(SignupPageIntegration, ARegistrationIsConfirmedByItsMailAndTheRowBecomesFull) {
  const auto page = get(kPath);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("tirsdag 7. september 2032 kl. 09.00"), std::string::npos);
  EXPECT_NE(page.body.find("Plasser igjen: 1 av 1"), std::string::npos);
  const std::string csrf = csrf_of(page.body);
  ASSERT_FALSE(csrf.empty());

  // Refused posts store nothing: no CSRF token, bad input, the honeypot.
  auto no_token = valid("");
  EXPECT_EQ(post(kPath, no_token).status, 403);
  auto bad = valid(csrf);
  bad[3].second = "kari@";
  bad[4].second = "40";
  const auto refused = post(kPath, bad);
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("Skriv en e-postadresse som navn@eksempel.no."), std::string::npos);
  EXPECT_NE(refused.body.find("Skriv et tall fra 2 til 15."), std::string::npos);
  EXPECT_NE(refused.body.find("value=\"kari@\""), std::string::npos);
  auto bot = valid(csrf);
  bot.emplace_back("nettsted", "http://spam.example");
  EXPECT_EQ(post(kPath, bot).status, 200);
  EXPECT_TRUE(stored().empty());

  // The registration, and its confirmation mail at the SMTP server.
  const auto accepted = post(kPath, valid(csrf));
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  ASSERT_TRUE(mails_soon(1));
  const auto mail = sink_.messages().at(0);
  EXPECT_EQ(mail["rcpt_tos"], nlohmann::json::array({"kari@fretex.example.no"}));
  const std::string text = text_part(mail);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      text, m, std::regex(std::string(kPublicUrl) + "(/pamelding/bekreft/[A-Za-z0-9_-]{43})")))
      << text;
  const std::string link = m[1];
  EXPECT_NE(get(kPath).body.find("Plasser igjen: 1 av 1"), std::string::npos)
      << "unconfirmed: no place taken";

  // Following the link shows a button; its POST confirms and sends the receipt.
  const auto button = get(link);
  ASSERT_EQ(button.status, 200);
  ASSERT_EQ(stored().at(0).state, RegistrationState::Unconfirmed);
  const auto confirmed = post(link, {{"csrf", csrf_of(button.body)}});
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_NE(confirmed.body.find("Påmeldingen er bekreftet"), std::string::npos);
  EXPECT_EQ(stored().at(0).state, RegistrationState::Confirmed);
  ASSERT_TRUE(mails_soon(2));
  EXPECT_NE(text_part(sink_.messages().at(1)).find("/pamelding/endre/"), std::string::npos);

  const std::string after = get(kPath).body;
  EXPECT_NE(after.find("Ingen plasser igjen av 1"), std::string::npos);
  const auto tuesday = after.find("Datorekke 1: Tirsdager");
  const auto wednesday = after.find("Datorekke 2: Onsdager");
  EXPECT_NE(after.substr(tuesday, wednesday - tuesday).find("FULLT"), std::string::npos);

  // The organiser allocates: --dry-run shows the result and stores nothing.
  const auto dry =
      run_plancal({"registrations", "allocate", "--config", config_.string(), "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.out << dry.err;
  EXPECT_NE(dry.out.find("Fretex Oslo: Datorekke 1: Tirsdager: plassert som nr. 1 i køen"),
            std::string::npos)
      << dry.out;
  EXPECT_EQ(stored().at(0).state, RegistrationState::Confirmed);
  const auto allocated = run_plancal({"registrations", "allocate", "--config", config_.string()});
  ASSERT_EQ(allocated.exit_code, 0) << allocated.out << allocated.err;
  EXPECT_EQ(stored().at(0).state, RegistrationState::Placed);
  EXPECT_EQ(stored().at(0).placed_row, std::optional<std::string>("tirsdag"));
  const auto listed = run_plancal({"registrations", "list", "--config", config_.string()});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("Fretex Oslo (Kari Nordmann, <kari@fretex.example.no>), 4 "
                            "participant(s), rows tirsdag, torsdag: placed in tirsdag"),
            std::string::npos)
      << listed.out;

  const auto exported = run_plancal({"registrations", "export", "--config", config_.string()});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_EQ(exported.out.substr(0, exported.out.find("\r\n")),
            "id,plan,series,organisation,contact,email,participants,preferences,state,placed_row,"
            "created_at,confirmed_at");
  EXPECT_NE(exported.out.find(",dybdemoter-2021,dybdemote,Fretex Oslo,Kari Nordmann,"
                              "kari@fretex.example.no,4,tirsdag torsdag,placed,tirsdag,"),
            std::string::npos)
      << exported.out;

  // No link in the log or the database.
  const std::string secret = link.substr(link.rfind('/') + 1);
  EXPECT_EQ(read_file(dir_.path() / "serve.err").find(secret), std::string::npos);
  for (const char* file : {"var/plancal.db", "var/plancal.db-wal"}) {
    if (fs::exists(dir_.path() / file)) {
      EXPECT_EQ(read_file(dir_.path() / file).find(secret), std::string::npos) << file;
    }
  }
  EXPECT_EQ(server_->stop(), 0);
}

}  // namespace
}  // namespace plancal::testing
