// The pages in a real browser: the personal page and the year overviews rendered from the real
// seed plans (expanded by the expand layer, with a history of changes), served with plancal's
// own headers on a random loopback port, and checked in headless Chromium by
// tests/browser/check_pages.py: what a reader sees, every subscribe link, the QR code, no
// console error or blocked resource, axe-core, and screenshots at phone and desktop size.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "ical/timezone.h"
#include "test_support.h"
#include "web/page_response.h"
#include "web/person_page.h"
#include "web/static_assets.h"
#include "web/year_overview.h"
#include "web_test_doubles.h"

namespace plancal::web {
namespace {

namespace fs = std::filesystem;
using plancal::testing::example_plan;
using plancal::testing::FakePageSource;
using plancal::testing::TempDir;

constexpr const char* kPublicUrl = "https://kalender.example.no";

/// Writes what the server would answer for `path` into the site folder and its manifest.
void record(const fs::path& site, nlohmann::json& manifest, const std::string& path,
            const PageResponse& response, const std::string& file) {
  std::ofstream(site / file, std::ios::binary) << response.body;
  nlohmann::json headers = nlohmann::json::array();
  for (const auto& [name, value] : response.headers) headers.push_back({name, value});
  manifest[path] = {{"status", response.status}, {"headers", headers}, {"body_file", file}};
}

std::string feed(const std::string& token) {
  return std::string(kPublicUrl) + "/feeds/" + token + ".ics";
}

/// Seed 000 and seed 003 as published, after three edits to seed 000 that subscribers must be
/// told about: Team A's meeting 8 moved two weeks, meeting 10's topic decided (it was "TBA" in
/// the table), meeting 9 removed from the plan.
FakePageSource published_seeds() {
  FakePageSource source;
  source.add_plan_file(example_plan("mandagsseminar-2024.yaml").string());
  source.add_plan_file(example_plan("dybdemoter-2021.yaml").string());
  const std::string a = "mandagsseminar-2024.mandagsseminar.";
  source.change(source.event_starting(a + "8.team-A.").current.uid, [](Occurrence& o) {
    o.start.date = o.end.date = {2024, 10, 21};
  });
  const std::string ten = source.event_starting(a + "10.team-A.").current.uid;
  source.change(ten, [](Occurrence&) {});
  source.event(ten).first_published->content.topic = "TBA";
  source.event_starting(a + "9.team-A.").removed = true;
  for (const std::string team : {"A", "B", "C"}) {
    source.set_feed_url("mandagsseminar-2024", "team:" + team, feed("team-" + team));
  }
  source.set_feed_url("dybdemoter-2021", "all", feed("dybdemoter-alle"));
  return source;
}

nlohmann::json subscribe_expectation(const std::string& feed_url, const std::string& name) {
  return {{"feed", feed_url}, {"name", name}};
}

TEST(WebPagesBrowserIntegration, PersonalPageAndYearOverviewsPassInChromium) {
  TempDir dir;
  const fs::path site = dir.path() / "site";
  fs::create_directories(site);
  FakePageSource source = published_seeds();
  nlohmann::json manifest;
  nlohmann::json pages = nlohmann::json::array();

  PageRequest sindre;
  sindre.scope = {"person:sindre.lunde", ""};
  sindre.feed_url = feed("sindre-token");
  sindre.page_path = "/p/sindre-token";
  sindre.now = to_unix_seconds("Europe/Oslo", {{2024, 9, 10}, {8, 0}}).value();
  const auto person = build_person_page(source, sindre);
  ASSERT_TRUE(person.ok()) << person.error().message;
  record(site, manifest, "/p/sindre-token", html_page(render_person_page(*person)), "person.html");
  pages.push_back(
      {{"name", "personlig-side"},
       {"path", "/p/sindre-token"},
       {"texts",
        {"Kalender for Sindre Lunde", "Kommende møter", "mandag 23. september 2024",
         "kl. 09.00–12.00", "Undervisningsbrakka", "Mandagsseminar 7: Metoder brukt på Milepælen",
         "Forberedelser", "Flyttet fra mandag 7. oktober", "mandag 21. oktober 2024",
         "Tema er avklart", "AVLYST", "Tidligere møter", "mandag 2. september 2024",
         "kl. 09.00–13.00",
         "Google Kalender henter abonnerte kalendere bare med flere timers "
         "mellomrom, og Outlook med noen timers mellomrom."}},
       {"absent_texts", {"mandag 7. oktober 2024"}},
       {"details",
        {{"neste-mote", "article.meeting"},
         {"endret-mote", "article.meeting:has(.changes)"},
         {"avlyst-mote", "article.meeting.is-cancelled"},
         {"tidligere", "section.past-meetings"}}},
       {"subscribe", {subscribe_expectation(feed("sindre-token"), "Kalender for Sindre Lunde")}},
       {"qr", "webcal://kalender.example.no/feeds/sindre-token.ics"}});

  PageRequest overview_request = sindre;
  const auto seminar = build_year_overview(source, overview_request, "mandagsseminar-2024");
  ASSERT_TRUE(seminar.ok()) << seminar.error().message;
  const std::string seminar_path = "/p/sindre-token/aar/mandagsseminar-2024";
  record(site, manifest, seminar_path, html_page(render_year_overview(*seminar)),
         "mandagsseminar.html");
  nlohmann::json team_boxes = nlohmann::json::array();
  for (const std::string team : {"A", "B", "C"}) {
    team_boxes.push_back(
        subscribe_expectation(feed("team-" + team), "Mandagsseminar 2024 – Team " + team));
  }
  pages.push_back({{"name", "aarsoversikt-mandagsseminar"},
                   {"path", seminar_path},
                   {"texts",
                    {"Årsprogram for mandagsseminarene 2024", "Møte nr.", "15.01", "08.01", "22.01",
                     "En dag på Milepælen", "Foredragsholder: Erik", "16.12", "kl. 09.00–13.00",
                     "Datoene for Team A er uthevet."}},
                   {"subscribe", team_boxes},
                   {"details", {{"tabell", "section.programme-block"}}},
                   {"qr", "webcal://kalender.example.no/feeds/team-A.ics"}});

  PageRequest everyone;
  everyone.scope = {"all", "dybdemoter-2021"};
  everyone.feed_url = feed("dybdemoter-alle");
  everyone.now = sindre.now;
  const auto depth = build_year_overview(source, everyone, "");
  ASSERT_TRUE(depth.ok()) << depth.error().message;
  record(site, manifest, "/p/alle-token/aar", html_page(render_year_overview(*depth)),
         "dybdemoter.html");
  pages.push_back(
      {{"name", "aarsoversikt-dybdemoter"},
       {"path", "/p/alle-token/aar"},
       {"texts",
        {"Dybdemøter om praksis i arbeidsrettet rehabilitering, høsten 2021",
         "Datorekke 1: Tirsdager", "Datorekke 2: Onsdager", "FULLT", "8. september", "2. desember",
         "kl. 09.00–11.00", "Påmeldingsfrist: torsdag 26. august 2021"}},
       {"subscribe", {subscribe_expectation(feed("dybdemoter-alle"), "Dybdemøter høsten 2021")}},
       {"qr", "webcal://kalender.example.no/feeds/dybdemoter-alle.ics"}});

  record(site, manifest, "/static/plancal.css", *static_asset("/static/plancal.css"),
         "plancal.css");
  record(site, manifest, "/static/plancal.svg", *static_asset("/static/plancal.svg"),
         "plancal.svg");
  record(site, manifest, "*", not_found_page(), "not-found.html");
  std::ofstream(site / "manifest.json") << manifest.dump(2);
  std::ofstream(site / "expect.json")
      << nlohmann::json{{"pages", pages}, {"not_found_path", "/p/ukjent-token"}}.dump(2);

  // Screenshots and axe-core stay in the build folder, for people to look at and to reuse.
  const fs::path build = fs::path(plancal::testing::plancal_binary()).parent_path();
  const fs::path shots = build / "web-screenshots";
  const auto result = plancal::testing::run_process(
      {plancal::testing::kDebianPython,
       (plancal::testing::source_dir() / "tests/browser/check_pages.py").string(), site.string(),
       shots.string(), (build / "browser-tools").string()},
      {}, 600);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find(" passed, 0 failed"), std::string::npos) << result.out;
  std::cout << result.out.substr(result.out.rfind('\n', result.out.size() - 2) + 1);
}

}  // namespace
}  // namespace plancal::web
