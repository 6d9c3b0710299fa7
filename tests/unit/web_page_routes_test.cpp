// The page routes without sockets: which paths are pages, what a token's link shows, the
// headers, 404 for unknown links (logged without the token), plan text shown as text, pages
// kept until the published state changes, and the router that puts feeds and pages side by
// side.

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "expand/expander.h"
#include "feed/access_log.h"
#include "plan/loader.h"
#include "service/http_routes.h"
#include "test_support.h"
#include "web/page_routes.h"
#include "web/published_source.h"

namespace plancal::web {
namespace {

constexpr std::string_view kPersonal = "personlig-hemmelighet";
constexpr std::string_view kTeamA = "team-a-hemmelighet";
constexpr std::string_view kRevoked = "tilbakekalt-hemmelighet";
// As long as the links plancal makes (32 random bytes in base64url): pages rendered ahead
// take such secrets.
constexpr std::string_view kFullLength = "Sindres-lenke_0123456789abcdefghijklmnopqrs";
constexpr std::int64_t kNow = 1'725'951'600;  // 2024-09-10 09:00 Oslo

Plan seminar_plan() {
  PlanLoad load = load_plan_file(testing::example_plan("mandagsseminar-2024.yaml").string());
  if (!load.plan) throw std::runtime_error(testing::diagnostics_text(load.diagnostics));
  return std::move(*load.plan);
}

/// Every occurrence of `plan` as published once, with `edit` applied to each.
std::vector<StoredEvent> published(const Plan& plan,
                                   const std::function<void(Occurrence&)>& edit = {}) {
  std::vector<StoredEvent> events;
  for (auto& occurrence : expand_plan(plan)) {
    StoredEvent stored;
    stored.occurrence = std::move(occurrence);
    if (edit) edit(stored.occurrence);
    events.push_back(std::move(stored));
  }
  return events;
}

/// A request for `path`, which must outlive it (a temporary does, within one expression).
httpd::HttpRequest get(const std::string& path, std::string_view method = "GET") {
  httpd::HttpRequest request;
  request.method = method;
  request.path = path;
  request.client_address = "192.0.2.7";
  return request;
}

std::string body_of(const httpd::HttpResponse& response) { return std::string(response.payload()); }

std::string header(const httpd::HttpResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

/// Log lines written while it lives.
class CapturedLog {
 public:
  CapturedLog() : sink_(std::make_shared<spdlog::sinks::ostream_sink_mt>(text_)) {
    spdlog::default_logger()->sinks().push_back(sink_);
  }
  ~CapturedLog() { spdlog::default_logger()->sinks().pop_back(); }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;
  [[nodiscard]] std::string text() const { return text_.str(); }

 private:
  std::ostringstream text_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
};

struct WebPageRoutesTest : ::testing::Test {
  std::shared_ptr<const Plan> plan = std::make_shared<const Plan>(seminar_plan());
  std::vector<FeedToken> tokens{
      {1, "", "person:sindre.lunde", "", kNow, {}, {}, {}},
      {2, "mandagsseminar-2024", "team:A", "", kNow, {}, {}, {}},
  };
  std::vector<std::int64_t> page_accesses;
  int renders_wanted = 0;
  PageRoutes routes{PageDependencies{
      .resolve_token = [](std::string_view secret) -> std::optional<std::int64_t> {
        if (secret == kPersonal || secret == kFullLength) return 1;
        if (secret == kTeamA) return 2;
        if (secret == kRevoked) return 3;  // cached as live, but the store no longer has it
        return std::nullopt;
      },
      .look_up_token = [](std::string_view) -> std::optional<FeedToken> { return std::nullopt; },
      .note_access = [this](std::int64_t id, std::int64_t) { page_accesses.push_back(id); },
      .request_rebuild = [this] { ++renders_wanted; },
      .now = [] { return kNow; },
  }};

  std::shared_ptr<const PublishedPageSource> source;

  void publish(const std::vector<StoredEvent>& events) {
    StoredEventsByPlan by_plan;
    by_plan[plan->id] = events;
    PageState state;
    source = std::make_shared<const PublishedPageSource>(
        std::vector<std::shared_ptr<const Plan>>{plan}, by_plan);
    state.source = source;
    state.tokens = tokens;
    state.public_url = "https://kalender.example.no";
    routes.update(std::move(state));
  }
};

TEST(WebPagePathTest, PagePathsAreATokenAndOptionallyAYearOverview) {
  const auto personal = parse_page_path("/p/abc");
  ASSERT_TRUE(personal.has_value());
  EXPECT_EQ(personal->secret, "abc");
  EXPECT_EQ(personal->kind, PagePath::Kind::Personal);
  const auto own_plan = parse_page_path("/p/abc/aar");
  ASSERT_TRUE(own_plan.has_value());
  EXPECT_EQ(own_plan->kind, PagePath::Kind::Overview);
  EXPECT_TRUE(own_plan->plan_id.empty());
  const auto named = parse_page_path("/p/abc/aar/mandagsseminar-2024");
  ASSERT_TRUE(named.has_value());
  EXPECT_EQ(named->plan_id, "mandagsseminar-2024");
  for (const char* other : {"/p/", "/p//aar", "/p/abc/", "/p/abc/other", "/p/abc/aarx",
                            "/p/abc/aar/", "/p/abc/aar/a/b", "/feeds/abc.ics", "/pabc"}) {
    EXPECT_FALSE(parse_page_path(other).has_value()) << other;
  }
  EXPECT_EQ(personal_page_path("abc"), "/p/abc");
}

TEST_F(WebPageRoutesTest, APersonalLinkShowsThePersonsPageWithTheSecurityHeaders) {
  publish(published(*plan));
  const auto response = routes.handle(get("/p/" + std::string(kPersonal)));
  ASSERT_EQ(response.status, 200);
  const std::string html = body_of(response);
  EXPECT_NE(html.find("Kalender for Sindre Lunde"), std::string::npos);
  EXPECT_NE(html.find("Mandagsseminar 7: Metoder brukt på Milepælen"), std::string::npos);
  EXPECT_NE(html.find("https://kalender.example.no/feeds/" + std::string(kPersonal) + ".ics"),
            std::string::npos)
      << "the subscribe buttons point at the token's own feed";
  EXPECT_NE(header(response, "Content-Security-Policy").find("default-src 'none'"),
            std::string::npos);
  EXPECT_EQ(header(response, "Referrer-Policy"), "no-referrer");
  EXPECT_EQ(header(response, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(header(response, "Cache-Control").rfind("private", 0), 0U);
  EXPECT_EQ(page_accesses, std::vector<std::int64_t>{1}) << "the fetch is noted for token list";
}

TEST_F(WebPageRoutesTest, UnknownAndRevokedLinksGet404AndTheLogNeverHoldsTheToken) {
  publish(published(*plan));
  const CapturedLog log;
  const auto unknown = routes.handle(get("/p/gjettet-lenke-123"));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(body_of(unknown).find("Siden finnes ikke"), std::string::npos);
  EXPECT_EQ(header(unknown, "Referrer-Policy"), "no-referrer");
  EXPECT_EQ(routes.handle(get("/p/" + std::string(kRevoked))).status, 404);
  EXPECT_NE(log.text().find("unknown page token (client 192.0.2.7"), std::string::npos)
      << log.text();
  EXPECT_EQ(log.text().find("gjettet-lenke-123"), std::string::npos) << log.text();
  EXPECT_EQ(log.text().find(kRevoked), std::string::npos) << log.text();
  EXPECT_TRUE(page_accesses.empty());
}

TEST_F(WebPageRoutesTest, ATokenReachesOnlyTheOverviewsOfItsPlans) {
  publish(published(*plan));
  const std::string team = "/p/" + std::string(kTeamA);
  const std::string personal = "/p/" + std::string(kPersonal);
  EXPECT_EQ(routes.handle(get(team + "/aar")).status, 200);
  EXPECT_EQ(routes.handle(get(team + "/aar/mandagsseminar-2024")).status, 200);
  EXPECT_EQ(routes.handle(get(team + "/aar/dybdemoter-2021")).status, 404);
  EXPECT_EQ(routes.handle(get(personal + "/aar/mandagsseminar-2024")).status, 200);
  EXPECT_EQ(routes.handle(get(personal + "/aar")).status, 404) << "which plan? none is its own";
  EXPECT_EQ(routes.handle(get(personal + "/aar/no-such-plan")).status, 404);
}

TEST_F(WebPageRoutesTest, PlanTextWithMarkupShowsAsText) {
  publish(published(*plan, [](Occurrence& o) {
    o.content.topic = "<script>alert(\"x\")</script> & 'sitat'";
    o.summary = "Mandagsseminar: " + o.content.topic;
    o.location = "<b>Brakka</b> & co";
  }));
  for (const std::string& path :
       {"/p/" + std::string(kPersonal), "/p/" + std::string(kTeamA) + "/aar"}) {
    const auto response = routes.handle(get(path));
    ASSERT_EQ(response.status, 200) << path;
    const std::string html = body_of(response);
    EXPECT_EQ(html.find("<script"), std::string::npos) << path;
    EXPECT_EQ(html.find("<b>Brakka"), std::string::npos) << path;
    EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "),
              std::string::npos)
        << path;
  }
}

TEST_F(WebPageRoutesTest, APageIsKeptUntilThePublishedStateChanges) {
  publish(published(*plan));
  const std::string path = "/p/" + std::string(kPersonal);
  const auto first = routes.handle(get(path));
  const std::string etag = header(first, "ETag");
  EXPECT_EQ(routes.cache().size(), 1U);
  auto conditional = get(path);
  conditional.if_none_match = etag;
  EXPECT_EQ(routes.handle(conditional).status, 304);

  publish(published(*plan, [](Occurrence& o) { o.location = "Gymsalen"; }));
  EXPECT_EQ(routes.cache().size(), 0U) << "a new state drops the pages of the old one";
  const auto second = routes.handle(get(path));
  EXPECT_NE(header(second, "ETag"), etag);
  EXPECT_NE(body_of(second).find("Gymsalen"), std::string::npos);
  EXPECT_EQ(routes.handle(conditional).status, 200);
}

TEST_F(WebPageRoutesTest, APageRenderedAheadReadsExactlyAsOneRenderedOnRequest) {
  CapturedLog log;
  publish(published(*plan, [](Occurrence& o) { o.location = "Gymsalen"; }));
  EXPECT_NE(log.text().find("pages: 2 personal page(s) rendered ahead"), std::string::npos)
      << log.text();
  const std::string secret(kFullLength);
  const auto response = routes.handle(get("/p/" + secret));
  ASSERT_EQ(response.status, 200);

  PageRequest request;
  request.scope = {"person:sindre.lunde", ""};
  request.feed_url = "https://kalender.example.no/feeds/" + secret + ".ics";
  request.page_path = "/p/" + secret;
  request.now = kNow;
  const ViewerPageSource viewer(*source, request.scope, request.feed_url);
  const auto page = build_person_page(viewer, request);
  ASSERT_TRUE(page.ok());
  ASSERT_TRUE(page->subscribe && page->subscribe->qr) << "the page has its QR code";
  EXPECT_EQ(body_of(response), render_person_page(*page));
  EXPECT_EQ(body_of(response).find(frame_secret_stand_in()), std::string::npos);
  EXPECT_EQ(body_of(response).find(qr_mark()), std::string::npos);
}

TEST(WebPageFramesTest, OnlyASecretOfLinkLengthAndAlphabetFillsAFrame) {
  PageFrame frame;
  frame.page.pieces = {std::make_shared<const std::string>(
      "<a href=\"/p/" + std::string(frame_secret_stand_in()) + "\">")};
  const std::string good(43, 'x');
  EXPECT_EQ(fill_frame(frame, good), "<a href=\"/p/" + good + "\">");
  EXPECT_FALSE(fill_frame(frame, std::string(42, 'x')).has_value());
  EXPECT_FALSE(fill_frame(frame, std::string(42, 'x') + "\"").has_value())
      << "a secret that is not base64url would be written unescaped";
}

TEST_F(WebPageRoutesTest, OnlyGetAndHeadAreAllowed) {
  publish(published(*plan));
  const auto post = routes.handle(get("/p/" + std::string(kPersonal), "POST"));
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(header(post, "Allow"), "GET, HEAD");
  EXPECT_EQ(routes.handle(get("/static/plancal.css")).status, 200);
  EXPECT_EQ(routes.handle(get("/static/nope.js")).status, 404);
}

TEST(WebPageRoutesStateTest, BeforeTheFirstPublishEveryPageIs404) {
  PageRoutes routes{PageDependencies{}};
  EXPECT_EQ(routes.handle(get("/p/anything")).status, 404);
}

/// A handler that answers with its own status, to see where the router sends a path.
struct Answers final : httpd::HttpHandler {
  explicit Answers(int status) : status(status) {}
  int status;
  [[nodiscard]] httpd::HttpResponse handle(const httpd::HttpRequest&) const override {
    httpd::HttpResponse response;
    response.status = status;
    return response;
  }
};

TEST(ServicePathRouterTest, FeedsAndPagesShareOneServerByPath) {
  const Answers fallback(404), feeds(201), pages(202), health(203);
  PathRouter router(fallback, 64);
  router.add_prefix("/feeds/", feeds);
  router.add_prefix("/p/", pages);
  router.add_exact("/healthz", health);
  EXPECT_EQ(router.handle(get("/feeds/abc.ics")).status, 201);
  EXPECT_EQ(router.handle(get("/p/abc")).status, 202);
  EXPECT_EQ(router.handle(get("/healthz")).status, 203);
  EXPECT_EQ(router.handle(get("/healthz/x")).status, 404) << "exact means exact";
  EXPECT_EQ(router.handle(get("/")).status, 404);
  EXPECT_EQ(router.handle(get("/p/" + std::string(80, 'a'))).status, 404) << "too long";
}

TEST(FeedAccessLogTest, AHttpFetchIsNotedOnceAMinutePerTokenApartFromItsFeed) {
  feed::AccessLog log;
  log.note_page(1, kNow);
  log.note_page(1, kNow + 30);
  log.note_page(2, kNow + 30);
  log.note_page(1, kNow + 61);
  const auto noted = log.drain();
  ASSERT_EQ(noted.size(), 3U);
  EXPECT_EQ(noted[0].token_id, 1);
  EXPECT_EQ(noted[0].use, TokenUse::Page);
  EXPECT_EQ(noted[1].token_id, 2);
  EXPECT_EQ(noted[2].at, kNow + 61);
  EXPECT_TRUE(log.drain().empty());
}

}  // namespace
}  // namespace plancal::web
