// The pages in a real browser, as `plancal serve` serves them: the test publishes the seed
// plans with a history of changes, makes tokens, starts `plancal serve` on a random loopback
// port and has tests/browser/check_pages.py check them in headless Chromium: what a reader
// sees, every subscribe link against the token's feed URL, the QR code, the response headers,
// no console error or blocked resource, axe-core, and screenshots at phone and desktop size.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>

#include "smtp_sink_process.h"
#include "test_support.h"
#include "web_server_support.h"

namespace plancal::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPublicUrl = "https://kalender.example.no";

std::string feed(const std::string& secret) {
  return std::string(kPublicUrl) + "/feeds/" + secret + ".ics";
}

std::string webcal(const std::string& secret) {
  return "webcal://kalender.example.no/feeds/" + secret + ".ics";
}

nlohmann::json subscribe_expectation(const std::string& feed_url, const std::string& name) {
  return {{"feed", feed_url}, {"name", name}};
}

TEST(WebPagesBrowserIntegration, PersonalPageAndYearOverviewsPassInChromium) {
  TempDir dir;
  const fs::path config = write_published_seeds(dir);
  const std::string sindre = create_personal_token(config, "person:sindre.lunde");
  const std::string team_a = create_plan_token(config, "mandagsseminar-2024", "team:A");
  const std::string everyone = create_plan_token(config, "dybdemoter-2021", "all");
  const std::string seminar_all = create_plan_token(config, "mandagsseminar-2024", "all");
  ServeProcess server(config, dir.path() / "serve.err");
  nlohmann::json pages = nlohmann::json::array();

  pages.push_back(
      {{"name", "personlig-side"},
       {"path", "/p/" + sindre},
       {"texts",
        {"Kalender for Sindre Lunde",
         "Kommende møter",
         "onsdag 6. januar 2027",
         "kl. 13.00–14.00",
         "Møterom 2",
         "Kollegaveiledning i team A",
         "Tidligere møter",
         "mandag 23. september 2024",
         "kl. 09.00–12.00",
         "Undervisningsbrakka",
         "Mandagsseminar 7: Metoder brukt på Milepælen",
         "Forberedelser",
         "Flyttet fra mandag 7. oktober",
         "mandag 21. oktober 2024",
         "Tema er avklart",
         "AVLYST",
         "mandag 2. september 2024",
         "kl. 09.00–13.00",
         "<script>alert(\"x\")</script> & \"sitat\"",
         "Google Kalender henter abonnerte kalendere bare med flere timers "
         "mellomrom, og Outlook med noen timers mellomrom."}},
       {"absent_texts", {"mandag 7. oktober 2024"}},
       {"details",
        {{"neste-mote", "article.meeting"},
         {"endret-mote", "article.meeting:has(.changes)"},
         {"avlyst-mote", "article.meeting.is-cancelled"},
         {"tidligere", "section.past-meetings"}}},
       {"subscribe", {subscribe_expectation(feed(sindre), "Kalender for Sindre Lunde")}},
       {"qr", webcal(sindre)}});

  pages.push_back(
      {{"name", "aarsoversikt-mandagsseminar"},
       {"path", "/p/" + team_a + "/aar"},
       {"texts",
        {"Årsprogram for mandagsseminarene 2024", "Møte nr.", "15.01", "08.01", "22.01",
         "En dag på Milepælen", "Foredragsholder: Erik", "16.12", "kl. 09.00–13.00",
         "Datoene for Team A er uthevet."}},
       {"subscribe", {subscribe_expectation(feed(team_a), "Mandagsseminar 2024 – Team A")}},
       {"details", {{"tabell", "section.programme-block"}}},
       {"qr", webcal(team_a)}});

  pages.push_back({{"name", "aarsoversikt-dybdemoter"},
                   {"path", "/p/" + everyone + "/aar"},
                   {"texts",
                    {"Dybdemøter om praksis i arbeidsrettet rehabilitering, høsten 2021",
                     "Datorekke 1: Tirsdager", "Datorekke 2: Onsdager", "FULLT", "8. september",
                     "2. desember", "kl. 09.00–11.00", "Påmeldingsfrist: torsdag 26. august 2021"}},
                   {"subscribe", {subscribe_expectation(feed(everyone), "Dybdemøter høsten 2021")}},
                   {"qr", webcal(everyone)}});

  // A plan's `all` link: a subscribe box per team (its feed below the link), then everyone's.
  const std::string team_feed = std::string(kPublicUrl) + "/feeds/" + seminar_all + "/";
  pages.push_back({{"name", "aarsoversikt-alle-team"},
                   {"path", "/p/" + seminar_all + "/aar"},
                   {"texts", {"Møte nr.", "Team A", "Team B", "Team C", "Alle team"}},
                   {"subscribe",
                    {subscribe_expectation(team_feed + "A.ics", "Mandagsseminar 2024 – Team A"),
                     subscribe_expectation(team_feed + "B.ics", "Mandagsseminar 2024 – Team B"),
                     subscribe_expectation(team_feed + "C.ics", "Mandagsseminar 2024 – Team C"),
                     subscribe_expectation(feed(seminar_all), "Mandagsseminar 2024")}}});

  const fs::path work = dir.path() / "browser";
  fs::create_directories(work);
  std::ofstream(work / "expect.json")
      << nlohmann::json{{"pages", pages}, {"not_found_path", "/p/" + std::string(43, 'Q')}}.dump(2);

  // Screenshots and axe-core stay in the build folder, for people to look at and to reuse.
  const fs::path build = fs::path(plancal_binary()).parent_path();
  const fs::path shots = build / "web-screenshots";
  const auto result = run_process(
      {kDebianPython, (source_dir() / "tests/browser/check_pages.py").string(), work.string(),
       shots.string(), (build / "browser-tools").string(), server.url("")},
      {}, 600);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find(" passed, 0 failed"), std::string::npos) << result.out;
  std::cout << result.out.substr(result.out.rfind('\n', result.out.size() - 2) + 1);

  EXPECT_EQ(server.stop(), 0);
  const std::string log = read_file(dir.path() / "serve.err");
  for (const auto& secret : {sindre, team_a, everyone}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << "a link's token in the log";
  }
}

// The attendance pages of issue 16 as a leader uses them in Chromium: sign-in by the link that
// arrived at the real SMTP server, three people registered by clicking, kept after a reload,
// the audit trail, sign-out; axe-core and screenshots at 390 and 1280 px
// (tests/browser/check_attendance.py).
TEST(WebPagesBrowserIntegration, ALeaderSignsInAndRegistersAttendanceInChromium) {
  SmtpSink sink;
  TempDir dir;
  const fs::path config = write_published_seeds(dir);
  std::ofstream(config, std::ios::app) << "smtp:\n  url: " << sink.url()
                                       << "\n  from: kalender@milepaelen.example.no\n"
                                          "  starttls: never\n";
  ServeProcess server(config, dir.path() / "serve.err");
  const fs::path work = dir.path() / "browser";
  fs::create_directories(work);
  const fs::path build = fs::path(plancal_binary()).parent_path();
  const auto result = run_process(
      {kDebianPython, (source_dir() / "tests/browser/check_attendance.py").string(), work.string(),
       (build / "web-screenshots").string(), (build / "browser-tools").string(), server.url(""),
       sink.mailbox().string(), "ingrid.haug@example.no"},
      {}, 600);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find(" passed, 0 failed"), std::string::npos) << result.out;
  std::cout << result.out.substr(result.out.rfind('\n', result.out.size() - 2) + 1);
  EXPECT_EQ(server.stop(), 0);
}

// The sign-up page of issue 17 as an organisation's contact uses it in Chromium: seed 003 with
// its dates moved to 2032 (the same weekdays, so the form is open on the real clock) beside
// the seed itself under another id (its deadline, 26 August 2021, long gone): the form with
// mistakes and then right, the confirmation mail at the real SMTP server, FULLT, the closed
// form, and the registration in the organiser's view of an admin signed in by mail; axe-core
// and screenshots at 390 and 1280 px (tests/browser/check_signup.py).
TEST(WebPagesBrowserIntegration, AnOrganisationSignsUpForADateRowInChromium) {
  SmtpSink sink;
  TempDir dir;
  const std::string seed = read_file(example_plan("dybdemoter-2021.yaml"));
  dir.write("plans/open.yaml", std::regex_replace(seed, std::regex("2021-"), "2032-"));
  dir.write("plans/closed.yaml", std::regex_replace(seed, std::regex("plan: dybdemoter-2021"),
                                                    "plan: dybdemoter-2021-stengt"));
  const fs::path config = dir.write("plancal.yaml",
                                    "plans: [plans/open.yaml, plans/closed.yaml]\n"
                                    "database: var/plancal.db\nfeeds:\n  listen: 127.0.0.1:8080\n"
                                    "  public_url: http://kalender.example.no\nsmtp:\n  url: " +
                                        sink.url() +
                                        "\n  from: kurs@example.no\n  starttls: never\n"
                                        "attendance:\n  admins: [kontor@example.no]\n");
  ServeProcess server(config, dir.path() / "serve.err");
  const fs::path work = dir.path() / "browser";
  fs::create_directories(work);
  const fs::path build = fs::path(plancal_binary()).parent_path();
  const auto result = run_process(
      {kDebianPython, (source_dir() / "tests/browser/check_signup.py").string(), work.string(),
       (build / "web-screenshots").string(), (build / "browser-tools").string(), server.url(""),
       sink.mailbox().string(), "/pamelding/dybdemoter-2021/dybdemote",
       "/pamelding/dybdemoter-2021-stengt/dybdemote", "kontor@example.no"},
      {}, 600);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find(" passed, 0 failed"), std::string::npos) << result.out;
  std::cout << result.out.substr(result.out.rfind('\n', result.out.size() - 2) + 1);
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace plancal::testing
