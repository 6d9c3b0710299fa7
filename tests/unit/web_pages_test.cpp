// The personal page and the year overview, built from the real seed plans through the
// in-memory page source, and rendered: what a person reading them would check.

#include <gtest/gtest.h>

#include "base/civil.h"
#include "ical/timezone.h"
#include "test_support.h"
#include "web/person_page.h"
#include "web/published_source.h"
#include "web/templates.h"
#include "web/year_overview.h"
#include "web_test_doubles.h"

namespace plancal::web {
namespace {

using plancal::testing::example_plan;
using plancal::testing::FakePageSource;

constexpr const char* kSeminarA = "mandagsseminar-2024.mandagsseminar.";

std::int64_t oslo(Date date, TimeOfDay time) {
  return to_unix_seconds("Europe/Oslo", {date, time}).value();
}

/// Seed 000 and seed 003 as published, on Tuesday 10 September 2024 at 08:00.
class WebPagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source.add_plan_file(example_plan("mandagsseminar-2024.yaml").string());
    source.add_plan_file(example_plan("dybdemoter-2021.yaml").string());
    request.scope = {"person:sindre.lunde", ""};
    request.feed_url = "https://kalender.example.no/feeds/sindre-token.ics";
    request.page_path = "/p/sindre-token";
    request.now = oslo({2024, 9, 10}, {8, 0});
  }

  TrackedEvent& team_a(int meeting) {
    return source.event_starting(kSeminarA + std::to_string(meeting) + ".team-A.");
  }

  FakePageSource source;
  PageRequest request;
};

TEST_F(WebPagesTest, PersonalPageListsTheTeamsMeetingsUpcomingFirstAndPastBelow) {
  const auto page = build_person_page(source, request);
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(page->heading, "Kalender for Sindre Lunde");
  // Sindre is in Team A of seed 000 and in no roster of seed 003.
  ASSERT_EQ(page->programmes.size(), 1U);
  EXPECT_EQ(page->programmes[0].name, "Mandagsseminar 2024");
  EXPECT_EQ(page->programmes[0].overview_path, "/p/sindre-token/aar/mandagsseminar-2024");
  ASSERT_EQ(page->upcoming.size(), 5U);  // meetings 7..11
  EXPECT_EQ(page->upcoming[0]->date_text, "mandag 23. september 2024");
  EXPECT_EQ(page->upcoming[0]->time_text, "kl. 09.00–12.00");
  EXPECT_EQ(page->upcoming[0]->place, "Undervisningsbrakka");
  EXPECT_EQ(page->upcoming[0]->title, "Mandagsseminar 7: Metoder brukt på Milepælen");
  EXPECT_EQ(page->upcoming[0]->speaker, "Erik");
  EXPECT_EQ(page->upcoming[0]->preparation.size(), 4U);
  EXPECT_EQ(page->upcoming[0]->agenda.front().time, "09.00");
  EXPECT_EQ(page->upcoming[4]->date_text, "mandag 16. desember 2024");
  ASSERT_EQ(page->past.size(), 6U);  // meetings 1..6, the latest first
  EXPECT_EQ(page->past[0]->date_text, "mandag 2. september 2024");
  EXPECT_EQ(page->past[0]->time_text, "kl. 09.00–13.00");  // meeting 6 ends at 13.00
  EXPECT_TRUE(page->past[0]->past);
  EXPECT_EQ(page->past[5]->date_text, "mandag 15. januar 2024");
  ASSERT_TRUE(page->subscribe);
  EXPECT_EQ(page->subscribe->calendar_name, "Kalender for Sindre Lunde");
  EXPECT_EQ(page->subscribe->links.webcal, "webcal://kalender.example.no/feeds/sindre-token.ics");
}

TEST_F(WebPagesTest, PersonalPageShowsChangesSinceFirstPublishedAndCancellations) {
  source.change(team_a(10).current.uid, [](Occurrence& o) {  // published as "TBA" in the table
    o.content.topic = "Ungdomshjernen og omsorgstretthet";
  });
  source.event(team_a(10).current.uid).first_published->content.topic = "TBA";
  source.change(team_a(8).current.uid, [](Occurrence& o) {
    o.start.date = o.end.date = {2024, 10, 21};
  });
  team_a(9).removed = true;
  const auto page = build_person_page(source, request);
  ASSERT_TRUE(page.ok());
  const auto& upcoming = page->upcoming;
  ASSERT_EQ(upcoming.size(), 5U);
  EXPECT_EQ(upcoming[1]->date_text, "mandag 21. oktober 2024");
  EXPECT_EQ(upcoming[1]->changes, std::vector<std::string>{"Flyttet fra mandag 7. oktober"});
  EXPECT_EQ(upcoming[2]->date_text, "mandag 4. november 2024");
  EXPECT_TRUE(upcoming[2]->cancelled);
  EXPECT_EQ(upcoming[3]->changes, std::vector<std::string>{"Tema er avklart"});

  const std::string html = render_person_page(*page);
  EXPECT_NE(html.find("Flyttet fra mandag 7. oktober"), std::string::npos);
  EXPECT_NE(html.find("Tema er avklart"), std::string::npos);
  EXPECT_NE(html.find(">AVLYST<"), std::string::npos);
  const auto upcoming_at = html.find("mandag 23. september 2024");
  const auto past_heading_at = html.find("Tidligere møter");
  const auto past_at = html.find("mandag 2. september 2024");
  ASSERT_NE(past_at, std::string::npos);
  EXPECT_LT(upcoming_at, past_heading_at);
  EXPECT_LT(past_heading_at, past_at);
  EXPECT_NE(html.find("<html lang=\"nb\">"), std::string::npos);
  EXPECT_NE(html.find("href=\"webcal://kalender.example.no/feeds/sindre-token.ics\""),
            std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);  // the QR code, inline
}

TEST_F(WebPagesTest, APersonTokenWithoutAPlanCoversEveryPlanThePersonIsIn) {
  Plan next_year = *source.plans().front();
  next_year.id = "mandagsseminar-2025";
  next_year.calendar_name = "Mandagsseminar 2025";
  for (auto& meeting : next_year.rotations.front().meetings) {
    for (auto& date : meeting.dates) date.date = add_days(date.date, 364);  // still Mondays
  }
  source.add_plan(std::move(next_year));
  const auto page = build_person_page(source, request);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->programmes.size(), 2U);
  EXPECT_EQ(page->upcoming.size(), 5U + 11U);
  EXPECT_EQ(page->upcoming.back()->programme, "Mandagsseminar 2025");
  EXPECT_EQ(page->upcoming.back()->date_text, "mandag 15. desember 2025");

  request.scope.plan_id = "mandagsseminar-2025";
  const auto one_plan = build_person_page(source, request);
  ASSERT_TRUE(one_plan.ok());
  EXPECT_EQ(one_plan->upcoming.size(), 11U);
  EXPECT_EQ(one_plan->programmes[0].overview_path, "/p/sindre-token/aar");
  EXPECT_EQ(one_plan->subscribe->calendar_name, "Mandagsseminar 2025 – Sindre Lunde");
}

TEST_F(WebPagesTest, APersonWhoMissedAMeetingSeesFirstWhereToTakeItWhileItIsAhead) {
  // Sindre missed Team A's meeting 7 (23 September); on 10 September the page is built.
  const std::int64_t team_b = oslo({2024, 9, 30}, {9, 0});
  const std::int64_t started = oslo({2024, 9, 9}, {9, 0});
  source.set_makeup_offers(
      "sindre.lunde",
      {{"mandagsseminar-2024", "Du kan ta igjen møte 6 med Team C mandag 9. september",
        "kl. 09.00–13.00", started, false},
       {"mandagsseminar-2024", "Du kan ta igjen møte 7 med Team B mandag 30. september",
        "kl. 09.00–12.00", team_b, false},
       {"dybdemoter-2021", "Du kan ta igjen et møte i en annen plan", "kl. 10.00–11.00", team_b,
        false}});
  request.scope.plan_id = "mandagsseminar-2024";
  const auto page = build_person_page(source, request);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->makeups.size(), 1u) << "a date that has started, or of another plan, is gone";
  EXPECT_EQ(page->makeups[0].text, "Du kan ta igjen møte 7 med Team B mandag 30. september");

  const std::string html = render_person_page(*page);
  const auto heading_at = html.find("Møter du kan ta igjen");
  const auto offer_at = html.find("Du kan ta igjen møte 7 med Team B mandag 30. september");
  ASSERT_NE(offer_at, std::string::npos);
  EXPECT_LT(heading_at, offer_at);
  EXPECT_LT(offer_at, html.find("Kommende møter")) << "seen before the list of meetings";
  EXPECT_NE(html.find("kl. 09.00–12.00"), std::string::npos);
  EXPECT_NE(html.find("si fra til lederen din"), std::string::npos);
  EXPECT_EQ(html.find("møte 6 med Team C"), std::string::npos);

  request.now = team_b;  // Team B's date has started: nothing left to offer
  const auto later = build_person_page(source, request);
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(later->makeups.empty());
  EXPECT_EQ(render_person_page(*later).find("Møter du kan ta igjen"), std::string::npos);
}

TEST_F(WebPagesTest, AMoveReadsAsDoneAndNoOneElsesPageShowsTheOffers) {
  source.set_makeup_offers(
      "sindre.lunde", {{"mandagsseminar-2024", "Flyttet til møte 7 med Team B mandag 30. september",
                        "kl. 09.00–12.00", oslo({2024, 9, 30}, {9, 0}), true}});
  const auto page = build_person_page(source, request);
  ASSERT_TRUE(page.ok());
  const std::string html = render_person_page(*page);
  EXPECT_NE(html.find("Flyttet til møte 7 med Team B"), std::string::npos);
  EXPECT_NE(html.find("Møtet er i kalenderen din."), std::string::npos);
  EXPECT_NE(html.find("Møter du tar igjen"), std::string::npos);
  EXPECT_EQ(html.find("si fra til lederen din"), std::string::npos) << "nothing left to ask for";

  request.scope.audience = "team:A";  // Sindre's team's page says nothing of his absence
  const auto team = build_person_page(source, request);
  ASSERT_TRUE(team.ok());
  EXPECT_TRUE(team->makeups.empty());
  EXPECT_EQ(render_person_page(*team).find("Flyttet til"), std::string::npos);
}

TEST(PublishedPageSourceTest, APageIsKeptOnlyUntilTheNextMakeUpDateStarts) {
  Plan plan;
  plan.id = "p";
  const std::int64_t starts = 1'900'000'000;
  MakeupOffers offers;
  offers["kari"] = {
      {"p", "Du kan ta igjen møte 1 med Team B mandag 1. mars", "kl. 09.00–12.00", starts, false}};
  const PublishedPageSource source({std::make_shared<const Plan>(plan)}, {}, offers);
  EXPECT_EQ(source.next_change_after(starts - 3600), starts);
  EXPECT_EQ(source.next_change_after(starts), std::nullopt);
  EXPECT_EQ(source.makeup_offers("kari").size(), 1u);
  EXPECT_TRUE(source.makeup_offers("ola").empty());
}

TEST_F(WebPagesTest, AnAudienceNoPlanKnowsHasNoPage) {
  request.scope.audience = "person:nobody";
  const auto page = build_person_page(source, request);
  ASSERT_FALSE(page.ok());
  EXPECT_NE(page.error().message.find("person:nobody"), std::string::npos);
  EXPECT_FALSE(build_year_overview(source, request, "mandagsseminar-2024").ok());
  request.scope.audience = "team:A";
  EXPECT_FALSE(build_year_overview(source, request, "no-such-plan").ok());
}

TEST_F(WebPagesTest, YearOverviewOfSeed000ShowsTheTableOfTheSourceDocument) {
  for (const std::string team : {"A", "B", "C"}) {
    source.set_feed_url("mandagsseminar-2024", "team:" + team,
                        "https://kalender.example.no/feeds/team-" + team + ".ics");
  }
  request.scope = {"team:A", ""};
  const auto overview = build_year_overview(source, request, "mandagsseminar-2024");
  ASSERT_TRUE(overview.ok()) << overview.error().message;
  EXPECT_EQ(overview->heading, "Årsprogram for mandagsseminarene 2024");
  EXPECT_EQ(overview->viewer_note, "Datoene for Team A er uthevet.");
  ASSERT_EQ(overview->rotations.size(), 1U);
  const RotationView& table = overview->rotations[0];
  EXPECT_EQ(table.time_text, "kl. 09.00–12.00");
  ASSERT_EQ(table.teams.size(), 3U);
  EXPECT_TRUE(table.teams[0].mine);
  EXPECT_FALSE(table.teams[1].mine);
  ASSERT_EQ(table.rows.size(), 11U);
  // Møte nr 1: A 15.01, B 08.01, C 22.01, "En dag på Milepælen", Foredragsholder: Erik.
  const RotationRowView& first = table.rows[0];
  EXPECT_EQ(first.number, "1");
  ASSERT_EQ(first.dates.size(), 3U);
  EXPECT_EQ(first.dates[0].text, "15.01");
  EXPECT_EQ(first.dates[1].text, "08.01");
  EXPECT_EQ(first.dates[2].text, "22.01");
  EXPECT_EQ(first.dates[0].full_text, "mandag 15. januar 2024");
  EXPECT_EQ(first.topic, "En dag på Milepælen");
  EXPECT_EQ(first.speaker_label, "Foredragsholder");
  EXPECT_EQ(first.speaker, "Erik");
  EXPECT_TRUE(first.dates[0].past);
  EXPECT_EQ(table.rows[5].time_note, "kl. 09.00–13.00");  // meeting 6's longer day
  EXPECT_EQ(table.rows[10].dates[0].text, "16.12");
  ASSERT_EQ(overview->subscribe.size(), 3U);
  EXPECT_EQ(overview->subscribe[1].heading, "Team B");
  EXPECT_EQ(overview->subscribe[1].links.webcal, "webcal://kalender.example.no/feeds/team-B.ics");
  EXPECT_EQ(overview->subscribe[1].calendar_name, "Mandagsseminar 2024 – Team B");

  const std::string html = render_year_overview(*overview);
  EXPECT_NE(html.find(">Møte nr.</th>"), std::string::npos);
  EXPECT_NE(html.find("title=\"mandag 15. januar 2024\">15.01</time>"), std::string::npos);
  EXPECT_NE(html.find("Foredragsholder: Erik"), std::string::npos);
  EXPECT_NE(html.find("href=\"webcal://kalender.example.no/feeds/team-C.ics\""), std::string::npos);
}

TEST_F(WebPagesTest, APlansAllTokenGetsSubscribeButtonsForEveryTeam) {
  // The feed links a plan's `all` token grants: its own and, below it, each team's.
  const ViewerPageSource viewer(source, {"all", "mandagsseminar-2024"},
                                "https://kalender.example.no/feeds/alle.ics");
  request.scope = {"all", "mandagsseminar-2024"};
  const auto overview = build_year_overview(viewer, request, "");
  ASSERT_TRUE(overview.ok()) << overview.error().message;
  EXPECT_TRUE(overview->viewer_note.empty());
  ASSERT_EQ(overview->subscribe.size(), 4U);
  EXPECT_EQ(overview->subscribe[0].heading, "Team A");
  EXPECT_EQ(overview->subscribe[0].links.webcal, "webcal://kalender.example.no/feeds/alle/A.ics");
  EXPECT_EQ(overview->subscribe[2].links.feed, "https://kalender.example.no/feeds/alle/C.ics");
  EXPECT_EQ(overview->subscribe[2].calendar_name, "Mandagsseminar 2024 – Team C");
  EXPECT_EQ(overview->subscribe[3].heading, "Alle team");
  EXPECT_EQ(overview->subscribe[3].links.feed, "https://kalender.example.no/feeds/alle.ics");

  // A team token offers its own team only; another plan or a personal token, nothing.
  const ViewerPageSource team(source, {"team:A", "mandagsseminar-2024"},
                              "https://kalender.example.no/feeds/a.ics");
  EXPECT_EQ(team.feed_url({"team:A", "mandagsseminar-2024"}),
            "https://kalender.example.no/feeds/a.ics");
  EXPECT_FALSE(team.feed_url({"team:B", "mandagsseminar-2024"}).has_value());
  EXPECT_FALSE(team.feed_url({"all", "mandagsseminar-2024"}).has_value());
  EXPECT_FALSE(viewer.feed_url({"team:A", "dybdemoter-2021"}).has_value());
  const ViewerPageSource personal(source, {"person:sindre.lunde", ""},
                                  "https://kalender.example.no/feeds/s.ics");
  EXPECT_FALSE(personal.feed_url({"team:A", "mandagsseminar-2024"}).has_value());
}

TEST_F(WebPagesTest, YearOverviewOfSeed003ShowsTheDateRowsWithFullt) {
  source.set_feed_url("dybdemoter-2021", "all", "https://kalender.example.no/feeds/dybde.ics");
  request.scope = {"all", "dybdemoter-2021"};
  const auto overview = build_year_overview(source, request, "");
  ASSERT_TRUE(overview.ok()) << overview.error().message;
  ASSERT_EQ(overview->series.size(), 1U);
  const SeriesView& series = overview->series[0];
  EXPECT_EQ(series.time_text, "kl. 09.00–11.00");
  EXPECT_EQ(series.place, "Microsoft Teams");
  EXPECT_EQ(series.deadline_text, "Påmeldingsfrist: torsdag 26. august 2021");
  ASSERT_EQ(series.rows.size(), 3U);
  EXPECT_EQ(series.rows[1].name, "Datorekke 2: Onsdager");
  EXPECT_TRUE(series.rows[1].full);
  EXPECT_FALSE(series.rows[0].full);
  EXPECT_EQ(series.rows[0].places, "Plasser: 1");
  std::vector<std::string> wednesdays;
  for (const auto& date : series.rows[1].dates) wednesdays.push_back(date.text);
  EXPECT_EQ(wednesdays,
            (std::vector<std::string>{"8. september", "6. oktober", "3. november", "1. desember"}));
  ASSERT_EQ(overview->subscribe.size(), 1U);
  EXPECT_EQ(overview->subscribe[0].heading, "Hele programmet");
  const std::string html = render_year_overview(*overview);
  EXPECT_NE(html.find(">FULLT<"), std::string::npos);
  EXPECT_NE(html.find("Datorekke 3: Torsdager"), std::string::npos);
  EXPECT_EQ(series.signup_path, "/pamelding/dybdemoter-2021/dybdemote");
  EXPECT_NE(
      html.find("<a href=\"/pamelding/dybdemoter-2021/dybdemote\">Meld på organisasjonen</a>"),
      std::string::npos)
      << "the year overview links to the sign-up page";
}

TEST_F(WebPagesTest, PlanTextWithMarkupQuotesAndAmpersandsComesOutAsText) {
  Plan plan = *source.plans().front();
  plan.id = "escaping";
  plan.calendar_name = "Plan <i>&</i> \"kurs\"";
  auto& meeting = plan.rotations.front().meetings[6];  // meeting 7, after `now`
  meeting.content.topic = "<script>alert(\"x\")</script> & 'co'";
  meeting.content.speaker = "\"Ola\" <b>Nordmann</b>";
  meeting.content.notes = "Tom & Jerry <img src=x onerror=alert(1)>";
  meeting.content.preparation = {"Les <a href=\"javascript:alert(1)\">dette</a>"};
  source.add_plan(std::move(plan));
  source.set_feed_url("escaping", "team:A", "https://kalender.example.no/feeds/x.ics");
  request.scope = {"person:sindre.lunde", "escaping"};
  const auto page = build_person_page(source, request);
  ASSERT_TRUE(page.ok());
  const auto overview = build_year_overview(source, request, "");
  ASSERT_TRUE(overview.ok());
  for (const std::string& html : {render_person_page(*page), render_year_overview(*overview)}) {
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("<b>Nordmann"), std::string::npos);
    EXPECT_EQ(html.find("<i>&"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;co&apos;"),
              std::string::npos);
    EXPECT_NE(html.find("&quot;Ola&quot; &lt;b&gt;Nordmann&lt;/b&gt;"), std::string::npos);
  }
  const std::string person = render_person_page(*page);
  EXPECT_EQ(person.find("<img"), std::string::npos);
  EXPECT_NE(person.find("Tom &amp; Jerry &lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_EQ(person.find("<a href=\"javascript"), std::string::npos);
  EXPECT_NE(person.find("Plan &lt;i&gt;&amp;&lt;/i&gt; &quot;kurs&quot;"), std::string::npos);
}

TEST(WebTemplatesTest, NoTemplateWritesUnescapedText) {
  const auto names = template_names();
  ASSERT_GE(names.size(), 8U);
  for (const auto& name : names) {
    const std::string_view text = template_text(name);
    EXPECT_EQ(text.find("{{{"), std::string_view::npos) << name;
    EXPECT_EQ(text.find("{{&"), std::string_view::npos) << name;
    EXPECT_NO_THROW((void)render_template(name, TemplateData())) << name;
  }
}

}  // namespace
}  // namespace plancal::web
