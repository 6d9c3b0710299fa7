// The signed-in attendance pages as a handler, with seed 000 in an in-memory page source, a
// real state database and a clock the test sets: who may sign in, bad input coming back next
// to its field, rate limits, idle sessions, make-up dates and the audit trail. And the
// organiser's view of the sign-ups (seed 003 added to the source, registrations made through
// the real registration store): an admin's alone.

#include <gtest/gtest.h>

#include <optional>
#include <regex>

#include "base/hash.h"
#include "ical/timezone.h"
#include "registration_test_support.h"
#include "store/makeup_moves.h"
#include "store/registrations.h"
#include "test_support.h"
#include "web/attendance_routes.h"
#include "web/page_response.h"
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
    database_ = *database;
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
            .makeups_changed = [this] { ++publishes_asked_; },
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
  std::optional<StateDatabase> database_;
  int publishes_asked_ = 0;  ///< make-up moves announced to the server (makeups_changed)
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

TEST_F(WebAttendanceTest, ALeaderDownloadsTheReportOfTheirPeopleAsCsvAndExcel) {
  // Meeting 1 of team A has ended (15 January 2024 lasted 09.00-12.00).
  now_ = to_unix_seconds("Europe/Oslo", {{2024, 1, 16}, {12, 0}}).value();
  const std::string admin = sign_in("kontor@example.no");
  const auto page = request("GET", kRegister, {}, admin);
  ASSERT_EQ(page.status, 200);
  ASSERT_EQ(request("POST", kRegister,
                    "csrf=" + csrf(page.owned_body, kRegister) +
                        "&status:sindre.lunde=attended&status:tobias.aas=absent"
                        "&legg-til=nora.vik&legg-til-status=attended",
                    admin)
                .status,
            303);

  const std::string ingrid = sign_in("ingrid.haug%40example.no");
  const auto overview = request("GET", "/oppmote", {}, ingrid);
  const std::string csv_path = "/oppmote/rapport/mandagsseminar-2024/2024.csv";
  ASSERT_NE(overview.owned_body.find("href=\"" + csv_path + "\""), std::string::npos)
      << overview.owned_body;
  const auto csv = request("GET", csv_path, {}, ingrid);
  ASSERT_EQ(csv.status, 200) << csv.owned_body;
  EXPECT_EQ(csv.header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.header("Content-Disposition"),
            "attachment; filename=\"oppmote-mandagsseminar-2024-2024.csv\"");
  EXPECT_EQ(csv.header("Cache-Control"), "no-store") << "personal data";
  const std::string& text = csv.owned_body;
  EXPECT_EQ(text.substr(0, text.find("\r\n")),
            "date,person,name,plan,meeting,group,meeting_hours,hours,status,status_code,note,"
            "added,registered_by,registered_at");
  EXPECT_NE(text.find("2024-01-15,sindre.lunde,Sindre Lunde,mandagsseminar-2024,"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(",3,3,møtt,attended,"), std::string::npos) << "three hours credited";
  EXPECT_NE(text.find("2024-01-15,tobias.aas,Tobias Aas,"), std::string::npos);
  EXPECT_EQ(text.find("nora.vik"), std::string::npos) << "Nora reports to Henrik, not Ingrid";

  const auto everyone = request("GET", csv_path, {}, admin);
  EXPECT_NE(everyone.owned_body.find("nora.vik"), std::string::npos) << "an admin sees everyone";

  const auto workbook =
      request("GET", "/oppmote/rapport/mandagsseminar-2024/2024.xlsx", {}, ingrid);
  ASSERT_EQ(workbook.status, 200);
  EXPECT_EQ(workbook.header("Content-Type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(workbook.owned_body.substr(0, 4), std::string("PK\x03\x04")) << "a zip file";
  EXPECT_NE(workbook.owned_body.find("xl/worksheets/sheet1.xml"), std::string::npos);

  // Signed out, another leader's plan year with none of theirs, or a malformed name: nothing.
  EXPECT_EQ(request("GET", csv_path).status, 303);
  EXPECT_EQ(request("GET", "/oppmote/rapport/mandagsseminar-2024/24.csv", {}, ingrid).status, 404);
  EXPECT_EQ(request("GET", "/oppmote/rapport/ukjent/2024.csv", {}, ingrid).status, 404);
  EXPECT_EQ(request("POST", csv_path, {}, ingrid).status, 405);
}

TEST_F(WebAttendanceTest, AReloadedConfigPutsNewAdminsAndANewIdleTimeInForce) {
  ASSERT_EQ(request("POST", "/logg-inn", "epost=ny.leder%40example.no").status, 200);
  EXPECT_TRUE(mails_.empty()) << "not an admin yet";

  // SIGHUP after the admin added an address and shortened the idle time to one hour.
  AttendanceWebSettings reloaded;
  reloaded.admins = {"kontor@example.no", "ny.leder@example.no"};
  reloaded.public_url = "https://kalender.example.no";
  reloaded.idle_seconds = 3600;
  routes_->adopt_settings(reloaded);

  const std::string session = sign_in("ny.leder%40example.no");
  ASSERT_FALSE(session.empty());
  EXPECT_EQ(request("GET", "/oppmote/pameldinger", {}, session).status, 200) << "an admin now";
  now_ += 3601;
  EXPECT_EQ(request("GET", "/oppmote", {}, session).status, 303) << "idle for over an hour";
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

/// A form value with '|' and '@' as a browser sends them.
std::string form_encoded(std::string text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') {
      out += "%7C";
    } else if (c == '@') {
      out += "%40";
    } else {
      out += c;
    }
  }
  return out;
}

TEST_F(WebAttendanceTest, OneButtonMovesAnAbsentPersonToAMakeUpDateAndAnotherUndoesIt) {
  now_ = to_unix_seconds("Europe/Oslo", {{2024, 1, 15}, {13, 0}}).value();
  const std::string session = sign_in("ingrid.haug@example.no");
  constexpr const char* kTeamCDate = "/oppmote/mandagsseminar-2024/2024-01-22";
  EXPECT_EQ(request("GET", kTeamCDate, {}, session).status, 404) << "none of Ingrid's is there";
  const std::string team_c_link = "href=\"" + std::string(kTeamCDate) + "\"";
  EXPECT_EQ(request("GET", "/oppmote", {}, session).owned_body.find(team_c_link),
            std::string::npos);
  const std::string token = csrf(request("GET", kRegister, {}, session).owned_body, kRegister);
  ASSERT_EQ(
      request("POST", kRegister, "csrf=" + token + "&status:tobias.aas=absent", session).status,
      303);

  const auto offered = request("GET", kRegister, {}, session).owned_body;
  const std::string to_uid =
      match(offered, "form=\"ta-igjen\"[^>]*name=\"flytt\" value=\"tobias\\.aas\\|([^\"]+)\"");
  ASSERT_NE(to_uid.find("team-C"), std::string::npos) << offered;
  EXPECT_NE(offered.find(">Flytt hit</button>"), std::string::npos);
  EXPECT_NE(offered.find("<form id=\"ta-igjen\" method=\"post\" action=\"" +
                         std::string(kRegister) + "\"><input type=\"hidden\" name=\"csrf\""),
            std::string::npos)
      << "the button has a form of its own: Enter in a note never moves anyone";
  const std::string move = "&flytt=" + form_encoded("tobias.aas|" + to_uid);

  // Without the token: 403. A date not offered, or someone not Ingrid's: 404. Nothing moved.
  EXPECT_EQ(request("POST", kRegister, move.substr(1), session).status, 403);
  EXPECT_EQ(request("POST", kRegister,
                    "csrf=" + token + "&flytt=" + form_encoded("tobias.aas|x@plancal"), session)
                .status,
            404);
  EXPECT_EQ(request("POST", kRegister,
                    "csrf=" + token + "&flytt=" + form_encoded("nora.vik|" + to_uid), session)
                .status,
            404);
  MakeupMoves moves(*database_);
  EXPECT_TRUE(moves.list()->empty());
  EXPECT_EQ(publishes_asked_, 0);

  ASSERT_EQ(request("POST", kRegister, "csrf=" + token + move, session).status, 303);
  EXPECT_EQ(publishes_asked_, 1) << "the server publishes, so Tobias's calendar gains the date";
  const auto stored = moves.list();
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ(stored->front().person_id, "tobias.aas");
  EXPECT_EQ(stored->front().to_uid, to_uid);
  EXPECT_EQ(format_date(stored->front().from_date), "2024-01-15");
  EXPECT_EQ(format_date(stored->front().to_date), "2024-01-22");
  EXPECT_EQ(stored->front().moved_by, "ingrid.haug");

  const auto moved = request("GET", kRegister, {}, session).owned_body;
  EXPECT_NE(moved.find("Flyttet til møte 1 med Team C mandag 22. januar"), std::string::npos)
      << moved;
  const std::string missed_uid =
      match(moved, "name=\"angre-flytt\" value=\"tobias\\.aas\\|([^\"]+)\"[^>]*>Angre flyttingen<");
  ASSERT_NE(missed_uid.find("team-A"), std::string::npos) << moved;

  // Team C's date is now among Ingrid's dates, and holds Tobias in her register; team C's own
  // people are Silje's.
  EXPECT_NE(request("GET", "/oppmote", {}, session).owned_body.find(team_c_link),
            std::string::npos);
  const auto team_c = request("GET", kTeamCDate, {}, session);
  ASSERT_EQ(team_c.status, 200);
  EXPECT_NE(team_c.owned_body.find("Tobias Aas <span class=\"att-where\">(flyttet hit"),
            std::string::npos)
      << team_c.owned_body;
  EXPECT_EQ(team_c.owned_body.find("Jonas Bakke"), std::string::npos) << "team C is Silje's";

  ASSERT_EQ(
      request("POST", kRegister,
              "csrf=" + token + "&angre-flytt=" + form_encoded("tobias.aas|" + missed_uid), session)
          .status,
      303);
  EXPECT_EQ(publishes_asked_, 2);
  EXPECT_TRUE(moves.list()->empty());
  EXPECT_EQ(request("GET", kTeamCDate, {}, session).status, 404);
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

/// The attendance pages over seed 000 and seed 003 (dybdemoter-2021: three rows of one place
/// each, the Wednesday row FULLT), with registrations written by the registration store into
/// the same state database the pages read.
class WebRegistrationOverviewTest : public WebAttendanceTest {
 protected:
  static constexpr const char* kView = "/oppmote/pameldinger";

  void SetUp() override {
    WebAttendanceTest::SetUp();
    auto source = std::make_shared<FakePageSource>();
    source->add_plan_file(example_plan("mandagsseminar-2024.yaml").string());
    source->add_plan_file(example_plan("dybdemoter-2021.yaml").string());
    source_ = source;
    auto database = StateDatabase::open((dir_.path() / "plancal.db").string());
    ASSERT_TRUE(database.ok()) << database.error().message;
    store_.emplace(*database);
  }

  /// Oslo wall-clock time as Unix seconds.
  static std::int64_t oslo(Date date, TimeOfDay time) {
    return to_unix_seconds("Europe/Oslo", {date, time}).value();
  }

  /// Registers `organisation` for `preferences` at `at`; its links are "c-<organisation>" and
  /// "w-<organisation>".
  std::int64_t sign_up(const std::string& organisation, std::vector<std::string> preferences,
                       std::int64_t at, const std::string& plan_id = "dybdemoter-2021") {
    NewRegistration r = testing::seed003_registration(organisation, "kari@fretex.example.no",
                                                      std::move(preferences), "c-" + organisation,
                                                      "w-" + organisation);
    r.plan_id = plan_id;
    auto added = store_->add(r, at);
    EXPECT_TRUE(added.ok()) << added.error().message;
    return added.ok() ? added->id : 0;
  }

  void confirm(const std::string& organisation, std::int64_t at) {
    auto confirmed =
        store_->confirm(sha256_hex("c-" + organisation),
                        "<receipt-" + std::to_string(++mail_ids_) + "@plancal.test>", at);
    ASSERT_TRUE(confirmed.ok() && confirmed->has_value()) << organisation;
  }

  std::optional<RegistrationStore> store_;
  int mail_ids_ = 0;
};

TEST_F(WebRegistrationOverviewTest, AnAdminSeesEveryRegistrationWithItsStateAndHistory) {
  const std::int64_t made = oslo({2021, 8, 20}, {12, 0});  // summer time, UTC+2
  const std::int64_t fretex = sign_up("Fretex Oslo", {"tirsdag", "torsdag"}, made);
  confirm("Fretex Oslo", made + 600);
  const std::int64_t bymisjonen = sign_up("Kirkens Bymisjon", {"tirsdag"}, made + 3600);
  confirm("Kirkens Bymisjon", made + 4200);
  sign_up("NAV Alna", {"torsdag"}, made + 7200);
  confirm("NAV Alna", made + 7800);
  sign_up("Ung Arbeid", {"onsdag"}, made + 9000);  // never confirmed
  sign_up("Jobbklubben", {"tirsdag"}, made + 9600);
  confirm("Jobbklubben", made + 9700);
  ASSERT_TRUE(store_
                  ->apply_placements({{fretex, "tirsdag", "plassert som nr. 1 i køen", "<p1@t>"},
                                      {bymisjonen, std::nullopt, "nr. 1 på ventelisten", "<p2@t>"}},
                                     oslo({2021, 8, 27}, {8, 0}))
                  .ok());
  // Withdrawn in winter time (UTC+1): the page still writes Oslo's wall clock.
  ASSERT_TRUE(
      store_->withdraw(sha256_hex("w-Jobbklubben"), oslo({2021, 11, 2}, {10, 0}))->has_value());

  const std::string admin = sign_in("kontor@example.no");
  const auto page = request("GET", kView, {}, admin);
  ASSERT_EQ(page.status, 200);
  const std::string& html = page.owned_body;
  EXPECT_EQ(page.header("Content-Security-Policy"), std::string(kContentSecurityPolicy));
  EXPECT_EQ(page.header("Cache-Control"), "no-store");
  EXPECT_NE(html.find("<h2>Dybdemøte om praksis</h2>"), std::string::npos);
  EXPECT_NE(html.find("Påmeldingsfrist: torsdag 26. august 2021"), std::string::npos);
  EXPECT_NE(html.find("5 påmeldinger"), std::string::npos);
  EXPECT_NE(html.find("1 plassert, 1 på venteliste, 1 bekreftet, ikke fordelt, 1 ubekreftet, "
                      "1 trukket"),
            std::string::npos);

  // Every registration, in the order made, with its state in Norwegian.
  const auto state_of = [&](const std::string& organisation) {
    return match(html, organisation + R"( – <span class="reg-state">([^<]*)</span>)");
  };
  EXPECT_EQ(state_of("Fretex Oslo"), "plassert i Datorekke 1: Tirsdager");
  EXPECT_EQ(state_of("Kirkens Bymisjon"), "venteliste");
  EXPECT_EQ(state_of("NAV Alna"), "bekreftet");
  EXPECT_EQ(state_of("Ung Arbeid"), "ubekreftet");
  EXPECT_EQ(state_of("Jobbklubben"), "trukket");
  EXPECT_LT(html.find("Fretex Oslo –"), html.find("Kirkens Bymisjon –"));
  EXPECT_LT(html.find("Kirkens Bymisjon –"), html.find("Jobbklubben –"));

  // What the contact typed, and when it was made and confirmed.
  const std::string card = html.substr(
      html.find("Fretex Oslo –"), html.find("Kirkens Bymisjon –") - html.find("Fretex Oslo –"));
  EXPECT_NE(card.find("<dd>Kari Nordmann</dd>"), std::string::npos);
  EXPECT_NE(card.find("<dd>kari@fretex.example.no</dd>"), std::string::npos);
  EXPECT_NE(card.find("<dt>Deltakere</dt><dd>4</dd>"), std::string::npos);
  EXPECT_NE(card.find("<li>Datorekke 1: Tirsdager</li><li>Datorekke 3: Torsdager</li>"),
            std::string::npos);
  EXPECT_NE(card.find("<dt>Påmeldt</dt><dd>fredag 20. august 2021 kl. 12.00</dd>"),
            std::string::npos);
  EXPECT_NE(card.find("<dt>Bekreftet</dt><dd>fredag 20. august 2021 kl. 12.10</dd>"),
            std::string::npos);
  // Its history, oldest first, with the allocation's explanation.
  const std::string made_line =
      "<span class=\"audit-when\">fredag 20. august 2021 kl. 12.00</span>: "
      "ubekreftet – påmeldt, venter på bekreftelse";
  const std::string confirmed_line =
      "<span class=\"audit-when\">fredag 20. august 2021 kl. 12.10</span>: "
      "bekreftet – e-postadressen bekreftet";
  const std::string placed_line =
      "<span class=\"audit-when\">fredag 27. august 2021 kl. 08.00</span>: "
      "plassert i Datorekke 1: Tirsdager – plassert som nr. 1 i køen";
  ASSERT_NE(card.find(made_line), std::string::npos) << card;
  ASSERT_NE(card.find(confirmed_line), std::string::npos) << card;
  ASSERT_NE(card.find(placed_line), std::string::npos) << card;
  EXPECT_LT(card.find(made_line), card.find(confirmed_line));
  EXPECT_LT(card.find(confirmed_line), card.find(placed_line));
  EXPECT_NE(html.find("venteliste – nr. 1 på ventelisten"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"audit-when\">tirsdag 2. november 2021 kl. 10.00</span>: "
                      "trukket</li>"),
            std::string::npos);
  EXPECT_NE(html.find("<dt>Bekreftet</dt><dd>ikke bekreftet</dd>"), std::string::npos)
      << "Ung Arbeid";

  // Places per row: taken as the sign-up page counts them, offered as the plan says.
  EXPECT_NE(html.find("<th scope=\"row\">Datorekke 1: Tirsdager</th><td>1</td><td>1</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<th scope=\"row\">Datorekke 2: Onsdager</th><td>0</td><td>0 (FULLT)</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<th scope=\"row\">Datorekke 3: Torsdager</th><td>1</td><td>1</td>"),
            std::string::npos)
      << "NAV Alna, confirmed with it as first choice";

  // The admin's overview links to it.
  EXPECT_NE(request("GET", "/oppmote", {}, admin).owned_body.find("href=\"/oppmote/pameldinger\""),
            std::string::npos);
}

TEST_F(WebRegistrationOverviewTest, OnlyAnAdminSeesItALeaderGets404AndTheSignedOutSignIn) {
  sign_up("Fretex Oslo", {"tirsdag"}, oslo({2021, 8, 20}, {12, 0}));
  const std::string ingrid = sign_in("ingrid.haug@example.no");  // leads people, not an admin
  const auto leader = request("GET", kView, {}, ingrid);
  EXPECT_EQ(leader.status, 404);
  EXPECT_EQ(leader.owned_body.find("Fretex"), std::string::npos);
  EXPECT_EQ(request("GET", "/oppmote", {}, ingrid).owned_body.find("/oppmote/pameldinger"),
            std::string::npos)
      << "no link to a page she may not see";

  const auto signed_out = request("GET", kView);
  EXPECT_EQ(signed_out.status, 303);
  EXPECT_EQ(signed_out.header("Location"), "/logg-inn");
  EXPECT_EQ(signed_out.owned_body.find("Fretex"), std::string::npos);

  const std::string admin = sign_in("kontor@example.no");
  EXPECT_EQ(request("POST", kView, {}, admin).status, 405) << "it only reads";
  EXPECT_EQ(request("GET", std::string(kView) + "/", {}, admin).status, 404);
  EXPECT_EQ(request("GET", kView, {}, admin).status, 200);
}

TEST_F(WebRegistrationOverviewTest, EveryTextIsEscaped) {
  const std::int64_t made = oslo({2021, 8, 20}, {12, 0});
  const std::int64_t id = sign_up("<script>alert(1)</script>", {"tirsdag"}, made);
  ASSERT_TRUE(
      store_->apply_placements({{id, "tirsdag", "<b>nr. 1</b> & først", ""}}, made + 60).ok());
  const auto page = request("GET", kView, {}, sign_in("kontor@example.no"));
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.owned_body.find("<script"), std::string::npos);
  EXPECT_EQ(page.owned_body.find("<b>"), std::string::npos);
  EXPECT_NE(page.owned_body.find("&lt;script&gt;alert(1)&lt;/script&gt; – "), std::string::npos);
  EXPECT_NE(page.owned_body.find("&lt;b&gt;nr. 1&lt;/b&gt; &amp; først"), std::string::npos);
}

TEST_F(WebRegistrationOverviewTest, RegistrationsOfASeriesNoLongerInThePlansAreStillListed) {
  sign_up("Fretex Oslo", {"tirsdag"}, oslo({2020, 8, 20}, {12, 0}), "dybdemoter-2020");
  const auto page = request("GET", kView, {}, sign_in("kontor@example.no"));
  ASSERT_EQ(page.status, 200);
  const std::string& html = page.owned_body;
  const auto gone = html.find("<p class=\"lead\">dybdemoter-2020</p>");
  ASSERT_NE(gone, std::string::npos) << html;
  EXPECT_NE(html.find("Serien finnes ikke lenger i planene.", gone), std::string::npos);
  EXPECT_NE(html.find("Fretex Oslo – <span class=\"reg-state\">ubekreftet</span>", gone),
            std::string::npos);
  EXPECT_NE(html.find("torsdag 20. august 2020 kl. 12.00", gone), std::string::npos)
      << "Oslo's wall clock";
  EXPECT_NE(html.find("<li>tirsdag</li>", gone), std::string::npos) << "the row's key";
  EXPECT_NE(html.find("Ingen påmeldinger ennå."), std::string::npos)
      << "dybdemoter-2021 in force, without registrations";
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
