// The pages as `plancal serve` serves them at a token's own link (/p/<token>), seen from
// curl: a personal token's page across two plans with the changes since first publication,
// plan text with markup shown as text, the security headers, 404 for unknown and revoked
// links (logged without the token), the personal feed behind the page, and the page's last
// fetch in `plancal feed token list`.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "daemon_process.h"
#include "test_support.h"
#include "web_server_support.h"

namespace plancal::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class WebPagesServerIntegration : public ::testing::Test {
 protected:
  void SetUp() override { config = write_published_seeds(dir); }

  TempDir dir;
  fs::path config;
};

TEST_F(WebPagesServerIntegration, APersonalLinkServesThePersonsPageAcrossPlans) {
  const std::string secret = create_personal_token(config, "person:sindre.lunde");
  ServeProcess server(config, dir.path() / "serve.err");

  const auto page = fetch(dir, server.url("/p/" + secret));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  const std::string csp = page.header("content-security-policy");
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("style-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("script-src"), std::string::npos) << csp;
  EXPECT_EQ(page.header("referrer-policy"), "no-referrer");
  EXPECT_EQ(page.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(page.header("cache-control").rfind("private", 0), 0U) << page.header("cache-control");

  const std::string& html = page.body;
  EXPECT_NE(html.find("Kalender for Sindre Lunde"), std::string::npos);
  EXPECT_NE(html.find("Mandagsseminar 2024"), std::string::npos);
  EXPECT_NE(html.find("Kollegaveiledning i team A"), std::string::npos) << "the second plan";
  EXPECT_NE(html.find("onsdag 6. januar 2027"), std::string::npos) << "an upcoming meeting";
  EXPECT_NE(html.find("Flyttet fra mandag 7. oktober"), std::string::npos) << "history";
  EXPECT_NE(html.find("mandag 21. oktober 2024"), std::string::npos);
  EXPECT_NE(html.find("AVLYST"), std::string::npos) << "meeting 9 left the plan";
  EXPECT_NE(html.find("Tema er avklart"), std::string::npos) << "meeting 10 was TBA";

  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "),
            std::string::npos)
      << "plan text is escaped";
  EXPECT_EQ(html.find("<script"), std::string::npos) << "no script element, ever";

  const std::string feed_url = "https://kalender.example.no/feeds/" + secret + ".ics";
  EXPECT_NE(html.find("webcal://kalender.example.no/feeds/" + secret + ".ics"), std::string::npos);
  EXPECT_NE(html.find(feed_url), std::string::npos);

  const auto head = fetch(dir, server.url("/p/" + secret), {"-I"});
  EXPECT_EQ(head.status, 200);
  const auto again =
      fetch(dir, server.url("/p/" + secret), {"-H", "If-None-Match: " + page.header("etag")});
  EXPECT_EQ(again.status, 304);

  const auto feed = fetch(dir, server.url("/feeds/" + secret + ".ics"));
  ASSERT_EQ(feed.status, 200);
  const std::string ics = unfold(feed.body);
  EXPECT_NE(ics.find("X-WR-CALNAME:Kalender for Sindre Lunde"), std::string::npos);
  EXPECT_NE(ics.find("CATEGORIES:Mandagsseminar 2024"), std::string::npos);
  EXPECT_NE(ics.find("CATEGORIES:Kollegaveiledning"), std::string::npos);
  EXPECT_NE(ics.find("DESCRIPTION:Program: Kollegaveiledning"), std::string::npos);

  EXPECT_EQ(server.stop(), 0);
  EXPECT_EQ(read_file(dir.path() / "serve.err").find(secret), std::string::npos);
}

TEST_F(WebPagesServerIntegration, APlansAllLinkOffersEachTeamsFeedOnTheYearOverview) {
  const std::string everyone = create_plan_token(config, "mandagsseminar-2024", "all");
  const std::string team_a = create_plan_token(config, "mandagsseminar-2024", "team:A");
  ServeProcess server(config, dir.path() / "serve.err");

  const auto overview = fetch(dir, server.url("/p/" + everyone + "/aar"));
  ASSERT_EQ(overview.status, 200) << overview.body;
  const std::string team_b_feed = "/feeds/" + everyone + "/B.ics";
  EXPECT_NE(overview.body.find("webcal://kalender.example.no" + team_b_feed), std::string::npos);
  EXPECT_NE(overview.body.find("Alle team"), std::string::npos);

  // The button's link serves Team B's ten meetings (meeting 9 left the plan), nobody else's.
  const auto feed = fetch(dir, server.url(team_b_feed));
  ASSERT_EQ(feed.status, 200) << feed.body;
  const std::string ics = unfold(feed.body);
  EXPECT_NE(ics.find("X-WR-CALNAME:Mandagsseminar 2024 – Team B"), std::string::npos) << ics;
  std::size_t events = 0;
  for (std::size_t at = ics.find("\nUID:"); at != std::string::npos;
       at = ics.find("\nUID:", at + 1)) {
    ++events;
    const std::string uid = ics.substr(at + 5, ics.find('\r', at) - at - 5);
    EXPECT_NE(uid.find(".team-B."), std::string::npos) << uid;
  }
  EXPECT_EQ(events, 10U);

  // A team link reaches no other team; an unknown team is not found.
  EXPECT_EQ(fetch(dir, server.url("/feeds/" + team_a + "/B.ics")).status, 404);
  EXPECT_EQ(fetch(dir, server.url("/feeds/" + everyone + "/D.ics")).status, 404);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_EQ(read_file(dir.path() / "serve.err").find(everyone), std::string::npos);
}

TEST_F(WebPagesServerIntegration, UnknownAndRevokedLinksAnswer404AndAreLoggedWithoutTheToken) {
  const std::string secret = create_personal_token(config, "person:sindre.lunde");
  const std::string other = create_personal_token(config, "team:B");
  ServeProcess server(config, dir.path() / "serve.err");
  ASSERT_EQ(fetch(dir, server.url("/p/" + secret)).status, 200);

  const std::string unknown(43, 'Q');
  const auto missing = fetch(dir, server.url("/p/" + unknown));
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("Siden finnes ikke"), std::string::npos);
  EXPECT_EQ(missing.header("referrer-policy"), "no-referrer");
  EXPECT_EQ(fetch(dir, server.url("/p/" + secret + "/aar/no-such-plan")).status, 404);
  EXPECT_EQ(fetch(dir, server.url("/p/" + secret), {"-X", "POST", "-d", "x=1"}).status, 405);

  const auto revoked = run_plancal({"feed", "token", "revoke", "--config", config.string(), "1"});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  int status = 0;
  for (int i = 0; i < 100 && status != 404; ++i) {
    status = fetch(dir, server.url("/p/" + secret)).status;
    if (status != 404) std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(status, 404) << "a revoked link's page is gone";
  EXPECT_EQ(fetch(dir, server.url("/feeds/" + secret + ".ics")).status, 404);
  EXPECT_EQ(fetch(dir, server.url("/p/" + other)).status, 200) << "other links keep working";

  EXPECT_EQ(server.stop(), 0);
  const std::string log = read_file(dir.path() / "serve.err");
  EXPECT_NE(log.find("unknown page token (client 127.0.0.1"), std::string::npos) << log;
  EXPECT_EQ(log.find(secret), std::string::npos);
  EXPECT_EQ(log.find(unknown), std::string::npos);
}

TEST_F(WebPagesServerIntegration, TokenListShowsWhenTheFeedAndThePageWereLastFetched) {
  const std::string fetched_both = create_personal_token(config, "person:sindre.lunde");
  const std::string page_only = create_personal_token(config, "team:B");
  const std::string untouched = create_personal_token(config, "team:C");
  {
    ServeProcess server(config, dir.path() / "serve.err");
    ASSERT_EQ(fetch(dir, server.url("/feeds/" + fetched_both + ".ics")).status, 200);
    ASSERT_EQ(fetch(dir, server.url("/p/" + fetched_both)).status, 200);
    ASSERT_EQ(fetch(dir, server.url("/p/" + page_only)).status, 200);
    EXPECT_EQ(server.stop(), 0);
  }
  const auto listed = run_plancal({"feed", "token", "list", "--config", config.string()});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const std::string time = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC";
  // ID PLAN AUDIENCE LABEL CREATED LAST-ACCESS REVOKED LAST-PAGE-ACCESS
  const auto row = [&](int id, const std::string& feed, const std::string& page) {
    return std::regex("\\n +" + std::to_string(id) + " +\\* +\\S+ +- +" + time + " +" + feed +
                      " +- +" + page + "\\n");
  };
  EXPECT_TRUE(std::regex_search(listed.out, row(1, time, time))) << listed.out;
  EXPECT_TRUE(std::regex_search(listed.out, row(2, "-", time))) << listed.out;
  EXPECT_TRUE(std::regex_search(listed.out, row(3, "-", "-"))) << listed.out;
  EXPECT_EQ(listed.out.find(untouched), std::string::npos);
}

}  // namespace
}  // namespace plancal::testing
