// The signed-in attendance pages as a handler, with seed 000 in an in-memory page source, a
// real state database and a clock the test sets: who may sign in, bad input coming back next
// to its field, rate limits, idle sessions, make-up dates and the audit trail.

#include <gtest/gtest.h>

#include <regex>

#include "ical/timezone.h"
#include "test_support.h"
#include "web/attendance_routes.h"
#include "web_test_doubles.h"

namespace plancal::web {
namespace {

using plancal::testing::example_plan;
using plancal::testing::FakePageSource;

constexpr const char* kRegister = "/oppmote/mandagsseminar-2024/2024-01-15";  // Team A, møte 1

std::string match(const std::string& text, const std::string& pattern) {
  std::smatch m;
  return std::regex_search(text, m, std::regex(pattern)) ? m[1].str() : std::string{};
}

class WebAttendanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto source = std::make_shared<FakePageSource>();
    source->add_plan_file(example_plan("mandagsseminar-2024.yaml").string());
    source_ = source;
    auto database = StateDatabase::open((dir_.path() / "plancal.db").string());
    ASSERT_TRUE(database.ok()) << database.error().message;
    AttendanceWebSettings settings;
    settings.admins = {"kontor@example.no"};
    settings.public_url = "https://kalender.example.no";
    routes_ = std::make_unique<AttendanceRoutes>(
        settings, *database,
        AttendanceWebDependencies{
            .source = [this] { return source_; },
            .send_mail = [this](const mail::MailMessage& message) -> mail::SendResult {
              mails_.push_back(message);
              return Ok{};
            },
            .now = [this] { return now_; },
        });
    // Wednesday 10 January 2024, 12:00 in Oslo: meeting 1 of every team is still ahead.
    now_ = to_unix_seconds("Europe/Oslo", {{2024, 1, 10}, {12, 0}}).value();
  }

  httpd::HttpResponse request(std::string_view method, const std::string& path,
                              const std::string& body = {}, const std::string& session = {}) {
    httpd::HttpRequest r;
    r.method = method;
    r.path = path;
    r.version = "HTTP/1.1";
    r.client_address = "192.0.2.10";
    r.body = body;
    cookie_ = "plancal_okt=" + session;
    if (!session.empty()) r.cookie = cookie_;
    return routes_->handle(r);
  }

  std::string sign_in(const std::string& email) {
    const std::size_t before = mails_.size();
    EXPECT_EQ(request("POST", "/logg-inn", "epost=" + email).status, 200);
    EXPECT_EQ(mails_.size(), before + 1) << email;
    if (mails_.size() != before + 1) return {};
    const std::string secret = match(mails_.back().text, "/logg-inn/([A-Za-z0-9_-]{43})");
    const auto signed_in = request("POST", "/logg-inn/" + secret);
    return match(signed_in.header("Set-Cookie").value_or(""), "plancal_okt=([^;]+);");
  }

  static std::string csrf(const std::string& html, const std::string& action) {
    return match(html,
                 "action=\"" + action +
                     "\"[^>]*>\\s*<input type=\"hidden\" name=\"csrf\" value=\"([0-9a-f]+)\"");
  }

  testing::TempDir dir_;
  std::shared_ptr<const PageSource> source_;
  std::unique_ptr<AttendanceRoutes> routes_;
  std::vector<mail::MailMessage> mails_;
  std::int64_t now_ = 0;
  std::string cookie_;
};

TEST(WebAttendanceScopeTest, LeadersAndAdminsMaySignInAndSeeTheirOwnPeople) {
  FakePageSource source;
  source.add_plan_file(example_plan("mandagsseminar-2024.yaml").string());
  const auto plans = source.plans();
  const std::vector<const Plan*> raw = {plans[0].get()};
  const auto ingrid = sign_in_user(raw, {}, " Ingrid.Haug@Example.no ");
  ASSERT_TRUE(ingrid.has_value());
  EXPECT_EQ(ingrid->person_id, "ingrid.haug");
  EXPECT_EQ(ingrid->email, "ingrid.haug@example.no");
  EXPECT_FALSE(sign_in_user(raw, {}, "sindre.lunde@example.no").has_value()) << "leads nobody";
  EXPECT_FALSE(sign_in_user(raw, {}, "ukjent@example.no").has_value());
  const auto admin = sign_in_user(raw, {"kontor@example.no"}, "KONTOR@example.no");
  ASSERT_TRUE(admin.has_value());
  EXPECT_TRUE(admin->person_id.empty());

  const AttendanceScope leader = scope_of(*ingrid, {});
  std::vector<std::string> ids;
  for (const Person* p : leader.people(*plans[0])) ids.push_back(p->id);
  EXPECT_EQ(ids, (std::vector<std::string>{"ingrid.haug", "sindre.lunde", "maja.berntsen",
                                           "tobias.aas"}));
  EXPECT_EQ(scope_of(*admin, {"kontor@example.no"}).people(*plans[0]).size(),
            plans[0]->roster.size());
}

TEST(WebAttendanceCookieTest, FindsTheSessionCookieAmongOthers) {
  EXPECT_EQ(cookie_value("a=1; plancal_okt=abc; b=2", "plancal_okt"), "abc");
  EXPECT_EQ(cookie_value("plancal_okt=abc", "plancal_okt"), "abc");
  EXPECT_EQ(cookie_value("xplancal_okt=abc", "plancal_okt"), "");
  EXPECT_EQ(cookie_value("", "plancal_okt"), "");
}

TEST_F(WebAttendanceTest, ABadAddressComesBackWithTheErrorNextToTheFieldAndNoMail) {
  const auto page = request("POST", "/logg-inn", "epost=ikke+en+adresse");
  EXPECT_EQ(page.status, 400);
  EXPECT_NE(page.owned_body.find("<strong>Feil:</strong> Skriv inn en e-postadresse"),
            std::string::npos);
  EXPECT_NE(page.owned_body.find("value=\"ikke en adresse\""), std::string::npos) << "kept";
  EXPECT_NE(page.owned_body.find("aria-invalid=\"true\""), std::string::npos);
  EXPECT_TRUE(mails_.empty());
}

TEST_F(WebAttendanceTest, MailsPerAddressAreLimitedAndTheAnswerStaysTheSame) {
  const auto first = request("POST", "/logg-inn", "epost=ingrid.haug%40example.no");
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(request("POST", "/logg-inn", "epost=ingrid.haug%40example.no").owned_body,
              first.owned_body);
  }
  EXPECT_EQ(mails_.size(), 3U) << "three an hour";
  EXPECT_EQ(mails_[0].to.address, "ingrid.haug@example.no");
  EXPECT_EQ(mails_[0].subject, "Innloggingslenke for oppmøte");
  now_ += 3601;
  EXPECT_EQ(request("POST", "/logg-inn", "epost=ingrid.haug%40example.no").status, 200);
  EXPECT_EQ(mails_.size(), 4U);
}

TEST_F(WebAttendanceTest, ALinkFetchedByGetStaysUsableAndAnIdleSessionEnds) {
  ASSERT_EQ(request("POST", "/logg-inn", "epost=ingrid.haug%40example.no").status, 200);
  const std::string secret = match(mails_.at(0).text, "/logg-inn/([A-Za-z0-9_-]{43})");
  EXPECT_EQ(request("GET", "/logg-inn/" + secret).status, 200);
  EXPECT_EQ(request("GET", "/logg-inn/" + secret).status, 200) << "a mail scanner's GET";
  const auto signed_in = request("POST", "/logg-inn/" + secret);
  ASSERT_EQ(signed_in.status, 303);
  const std::string session =
      match(signed_in.header("Set-Cookie").value_or(""), "plancal_okt=([^;]+);");
  EXPECT_EQ(request("GET", "/oppmote", {}, session).status, 200);
  now_ += 8 * 3600;  // exactly the timeout: still in
  EXPECT_EQ(request("GET", "/oppmote", {}, session).status, 200);
  now_ += 8 * 3600 + 1;
  EXPECT_EQ(request("GET", "/oppmote", {}, session).status, 303);
}

TEST_F(WebAttendanceTest, BadStatusAndLongNotesComeBackNextToTheirFieldsAndNothingIsSaved) {
  const std::string session = sign_in("ingrid.haug@example.no");
  const std::string token = csrf(request("GET", kRegister, {}, session).owned_body, kRegister);
  ASSERT_FALSE(token.empty());
  const auto bad = request("POST", kRegister,
                           "csrf=" + token + "&status:sindre.lunde=kanskje&status:maja.berntsen=" +
                               "attended&notat:maja.berntsen=" + std::string(2001, 'x'),
                           session);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.owned_body.find("Velg møtt, møtt for sent, gyldig fravær eller fravær."),
            std::string::npos);
  EXPECT_NE(bad.owned_body.find("Notatet er for langt"), std::string::npos);
  const auto again = request("GET", kRegister, {}, session);
  EXPECT_EQ(again.owned_body.find(" checked"), std::string::npos) << "nothing saved";
  EXPECT_NE(again.owned_body.find("Ingen endringer ennå."), std::string::npos);
}

TEST_F(WebAttendanceTest, AnAbsentPersonIsOfferedTheOtherTeamsDatesAndNotesAreEscaped) {
  now_ = to_unix_seconds("Europe/Oslo", {{2024, 1, 15}, {13, 0}}).value();
  const std::string session = sign_in("ingrid.haug@example.no");
  const std::string token = csrf(request("GET", kRegister, {}, session).owned_body, kRegister);
  const auto saved = request(
      "POST", kRegister,
      "csrf=" + token + "&status:tobias.aas=absent&notat:tobias.aas=" + "%3Cb%3Esyk%3C%2Fb%3E",
      session);
  ASSERT_EQ(saved.status, 303) << saved.owned_body;
  const auto page = request("GET", kRegister, {}, session);
  EXPECT_NE(page.owned_body.find("Du kan ta igjen møte 1 med Team C mandag 22. januar"),
            std::string::npos)
      << page.owned_body;
  EXPECT_NE(page.owned_body.find("value=\"&lt;b&gt;syk&lt;/b&gt;\""), std::string::npos)
      << "notes are escaped";
  EXPECT_NE(page.owned_body.find("Ingrid Haug endret Tobias Aas fra ikke registrert til fravær"),
            std::string::npos);
  // The other leader's people are nowhere on Ingrid's pages, and her dates are 404 to Henrik.
  EXPECT_EQ(page.owned_body.find("Nora Vik"), std::string::npos);
  const std::string henrik = sign_in("henrik.solberg@example.no");
  EXPECT_EQ(request("GET", kRegister, {}, henrik).status, 404);
  EXPECT_EQ(request("GET", "/oppmote/ukjent-plan/2024-01-15", {}, henrik).status, 404);
}

TEST_F(WebAttendanceTest, SomeoneWhoCameUnscheduledIsAddedAndKeptAsAdded) {
  const std::string admin = sign_in("kontor@example.no");
  const auto page = request("GET", kRegister, {}, admin);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.owned_body.find("<option value=\"nora.vik\">Nora Vik</option>"), std::string::npos)
      << "team B's Nora can be added to team A's date";
  const auto saved = request(
      "POST", kRegister,
      "csrf=" + csrf(page.owned_body, kRegister) + "&legg-til=nora.vik&legg-til-status=attended",
      admin);
  ASSERT_EQ(saved.status, 303) << saved.owned_body;
  const auto kept = request("GET", kRegister, {}, admin);
  EXPECT_NE(kept.owned_body.find("Nora Vik <span class=\"att-where\">(ikke satt opp"),
            std::string::npos);
  EXPECT_NE(kept.owned_body.find("name=\"status:nora.vik\" value=\"attended\" checked"),
            std::string::npos);
  EXPECT_EQ(kept.owned_body.find("<option value=\"nora.vik\">"), std::string::npos);

  // Adding without saying how the person came: the error is next to that field.
  const auto missing =
      request("POST", kRegister,
              "csrf=" + csrf(kept.owned_body, kRegister) + "&legg-til=emil.strand", admin);
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.owned_body.find("Velg hvordan personen møtte."), std::string::npos);
  // Someone not in the roster: 404, whatever the form says.
  EXPECT_EQ(request("POST", kRegister,
                    "csrf=" + csrf(kept.owned_body, kRegister) +
                        "&legg-til=ukjent&legg-til-status=attended",
                    admin)
                .status,
            404);
}

TEST_F(WebAttendanceTest, ALeaderOfFortySavesTheWholeRegisterInOnePost) {
  // Ingrid leads 40 people here: the form a browser sends has about 125 fields.
  std::string roster =
      "id,name,email,team,leader,reports_to,roles\n"
      "ingrid.haug,Ingrid Haug,ingrid.haug@example.no,A,yes,,\n";
  for (int i = 10; i < 50; ++i) {
    roster +=
        "ansatt." + std::to_string(i) + ",Ansatt " + std::to_string(i) + ",,A,no,ingrid.haug,\n";
  }
  dir_.write("forty/roster-milepaelen.csv", roster);
  const auto plan = dir_.write("forty/mandagsseminar-2024.yaml",
                               testing::read_file(example_plan("mandagsseminar-2024.yaml")));
  auto forty = std::make_shared<FakePageSource>();
  forty->add_plan_file(plan.string());
  source_ = forty;

  const std::string ingrid = sign_in("ingrid.haug@example.no");
  const auto page = request("GET", kRegister, {}, ingrid);
  ASSERT_EQ(page.status, 200);
  std::string form =
      "csrf=" + csrf(page.owned_body, kRegister) + "&notat%3Aingrid.haug=&versjon%3Aingrid.haug=0";
  for (int i = 10; i < 50; ++i) {
    const std::string id = "ansatt." + std::to_string(i);
    form += "&status%3A" + id + "=" + (i % 2 == 0 ? "attended" : "late") + "&notat%3A" + id +
            "=Notat+" + std::to_string(i) + "&versjon%3A" + id + "=0";
  }
  const auto saved = request("POST", kRegister, form, ingrid);
  ASSERT_EQ(saved.status, 303) << saved.owned_body;
  const auto kept = request("GET", kRegister, {}, ingrid);
  for (int i = 10; i < 50; ++i) {
    EXPECT_NE(kept.owned_body.find("value=\"Notat " + std::to_string(i) + "\""), std::string::npos)
        << i;
  }
  EXPECT_NE(kept.owned_body.find("name=\"status:ansatt.49\" value=\"late\" checked"),
            std::string::npos);
}

}  // namespace
}  // namespace plancal::web
