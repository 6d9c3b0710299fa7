// The feed server's routes and headers, exercised without sockets.

#include <gtest/gtest.h>

#include "feed/request_handler.h"
#include "httpd/gzip.h"
#include "httpd/server.h"

namespace plancal::feed {
namespace {

using httpd::gzip_decompress;
using httpd::HttpRequest;
using httpd::HttpResponse;
using httpd::parse_listen_address;

constexpr std::int64_t kNow = 1704067200;
const std::string kSecret = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";     // 43 chars
const std::string kNewSecret = "Zbcdefghijklmnopqrstuvwxyz0123456789-_ABCDE";  // no feed yet

Plan small_plan() {
  Plan plan;
  plan.id = "p";
  plan.calendar_name = "Plan";
  plan.teams = {{"A", "Team A", {}}};
  return plan;
}

StoredEvent small_event() {
  StoredEvent stored;
  stored.occurrence.uid = "p.1@plancal";
  stored.occurrence.plan_id = "p";
  stored.occurrence.audience = "team:A";
  stored.occurrence.summary = "Møte";
  stored.occurrence.start = {{2024, 1, 15}, {9, 0}};
  stored.occurrence.end = {{2024, 1, 15}, {12, 0}};
  stored.occurrence.timezone = "Europe/Oslo";
  stored.revision = {0, kNow, kNow, false};
  return stored;
}

struct FeedHandlerTest : ::testing::Test {
  Plan plan = small_plan();
  Catalog catalog;
  Metrics metrics;
  AccessLog access_log;
  bool database_up = true;
  int rebuilds_requested = 0;
  TokenResolver resolver{[](std::string_view secret) -> std::optional<FeedToken> {
    if (secret == kSecret) return FeedToken{7, "p", "team:A", "", kNow, {}, {}, {}};
    if (secret == kNewSecret) return FeedToken{8, "p", "team:A", "", kNow, {}, {}, {}};
    return std::nullopt;
  }};
  FeedRequestHandler handler{HandlerDependencies{
      .catalog = &catalog,
      .tokens = &resolver,
      .metrics = &metrics,
      .access_log = &access_log,
      .database_problem = [this]() -> std::optional<std::string> {
        if (database_up) return std::nullopt;
        return "database unavailable: disk I/O error";
      },
      .now = [] { return kNow; },
      .request_rebuild = [this] { ++rebuilds_requested; },
  }};

  void SetUp() override {
    CatalogSource source;
    source.plans = {&plan};
    source.events_by_plan["p"] = {small_event()};
    source.tokens = {FeedToken{7, "p", "team:A", "", kNow, {}, {}, {}}};
    BuildReport report;
    catalog.replace(build_catalog(source, CatalogSettings{}, kNow, nullptr, report));
  }

  const FeedBody& body() const { return catalog.current()->find(7)->feed->body; }

  HttpResponse get(std::string_view path, std::string_view method = "GET") const {
    HttpRequest request;
    request.method = method;
    request.path = path;
    request.client_address = "192.0.2.1";
    return handler.handle(request);
  }
  HttpRequest feed_request() const {
    HttpRequest request;
    request.method = "GET";
    request.path = feed_path;
    return request;
  }
  std::string feed_path = "/feeds/" + kSecret + ".ics";
};

TEST_F(FeedHandlerTest, ServesTheFeedWithCachingHeaders) {
  const auto response = get(feed_path);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("Content-Type"), "text/calendar; charset=utf-8");
  EXPECT_EQ(response.header("ETag"), body().etag);
  EXPECT_EQ(response.header("Last-Modified"), "Mon, 01 Jan 2024 00:00:00 GMT");
  EXPECT_EQ(response.header("Cache-Control"), "private, max-age=3600");
  EXPECT_EQ(response.header("Vary"), "Accept-Encoding");
  EXPECT_EQ(response.header("Content-Encoding"), std::nullopt);
  EXPECT_EQ(response.payload(), body().text());
  EXPECT_NE(response.payload().find("BEGIN:VCALENDAR"), std::string_view::npos);
}

TEST_F(FeedHandlerTest, GzipWhenAccepted) {
  auto request = feed_request();
  request.accept_encoding = "gzip, deflate";
  const auto response = handler.handle(request);
  EXPECT_EQ(response.header("Content-Encoding"), "gzip");
  EXPECT_EQ(response.header("ETag"), body().gzip_etag);
  EXPECT_EQ(gzip_decompress(response.payload()), body().text());
  request.accept_encoding = "gzip;q=0";
  EXPECT_EQ(handler.handle(request).header("Content-Encoding"), std::nullopt);
}

TEST_F(FeedHandlerTest, NotModifiedByEtagOrDate) {
  auto request = feed_request();
  request.if_none_match = body().etag;
  auto response = handler.handle(request);
  EXPECT_EQ(response.status, 304);
  EXPECT_TRUE(response.payload().empty());
  EXPECT_EQ(response.header("ETag"), body().etag);

  request.if_none_match = "\"stale\"";
  request.if_modified_since = "Mon, 01 Jan 2024 00:00:00 GMT";  // the feed's Last-Modified
  EXPECT_EQ(handler.handle(request).status, 200);               // If-None-Match wins

  request.if_none_match.reset();
  EXPECT_EQ(handler.handle(request).status, 304);
  // A date after the server's clock (kNow) was never sent by it: ignored.
  request.if_modified_since = "Tue, 02 Jan 2024 00:00:00 GMT";
  EXPECT_EQ(handler.handle(request).status, 200);
  request.if_modified_since = "Sun, 31 Dec 2023 23:59:59 GMT";
  EXPECT_EQ(handler.handle(request).status, 200);
  request.if_modified_since = "garbage";
  EXPECT_EQ(handler.handle(request).status, 200);
}

TEST_F(FeedHandlerTest, HeadIsAllowed) { EXPECT_EQ(get(feed_path, "HEAD").status, 200); }

TEST_F(FeedHandlerTest, UnknownTokensGet404AndAreNotCached) {
  EXPECT_EQ(get("/feeds/" + std::string(43, 'x') + ".ics").status, 404);
  EXPECT_EQ(get("/feeds/short.ics").status, 404);
  EXPECT_EQ(get("/feeds/.ics").status, 404);
  EXPECT_EQ(get("/feeds/" + kSecret).status, 404);
}

TEST_F(FeedHandlerTest, TokenNewerThanTheCatalogGets503AndAsksForARebuild) {
  const auto response = get("/feeds/" + kNewSecret + ".ics");
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.header("Retry-After"), "2");
  EXPECT_EQ(rebuilds_requested, 1);
}

TEST_F(FeedHandlerTest, WrongMethodGets405WithAllow) {
  for (const auto* method : {"POST", "PUT", "DELETE", "OPTIONS"}) {
    const auto response = get(feed_path, method);
    EXPECT_EQ(response.status, 405) << method;
    EXPECT_EQ(response.header("Allow"), "GET, HEAD");
  }
  EXPECT_EQ(get("/healthz", "POST").status, 405);
}

TEST_F(FeedHandlerTest, OverlongPathGets414AndUnknownPaths404) {
  EXPECT_EQ(get("/feeds/" + std::string(5000, 'a') + ".ics").status, 414);
  EXPECT_EQ(get("/").status, 404);
  EXPECT_EQ(get("/feeds/").status, 404);
  EXPECT_EQ(get("/etc/passwd").status, 404);
}

TEST_F(FeedHandlerTest, HealthzFollowsTheDatabase) {
  EXPECT_EQ(get("/healthz").status, 200);
  EXPECT_EQ(get("/healthz").payload(), "ok\n");
  database_up = false;
  EXPECT_EQ(get("/healthz").status, 503);
  EXPECT_EQ(get("/healthz").payload(), "database unavailable: disk I/O error\n");
}

TEST_F(FeedHandlerTest, MetricsCountStatusesAndNameFeedsNotTokens) {
  (void)get(feed_path);
  (void)get("/nothing");
  const auto response = get("/metrics");
  const std::string text(response.payload());
  EXPECT_EQ(response.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(text.find("plancal_http_requests_total{status=\"200\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("plancal_http_requests_total{status=\"404\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("plancal_feed_events{feed=\"p/team:A\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("plancal_feed_renders_total"), std::string::npos);
  EXPECT_EQ(text.find(kSecret), std::string::npos);
}

TEST_F(FeedHandlerTest, AccessIsNotedAtMostOncePerMinutePerToken) {
  (void)get(feed_path);
  (void)get(feed_path);
  const auto noted = access_log.drain();
  ASSERT_EQ(noted.size(), 1U);
  EXPECT_EQ(noted[0].token_id, 7);
  EXPECT_EQ(noted[0].at, kNow);
  (void)get(feed_path);
  EXPECT_TRUE(access_log.drain().empty());
}

TEST(FeedServerAddressTest, ParsesListenAddresses) {
  auto v4 = parse_listen_address("127.0.0.1:0");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->address, "127.0.0.1");
  EXPECT_EQ(v4->port, 0);
  auto v6 = parse_listen_address("[::1]:8080");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->address, "::1");
  EXPECT_EQ(v6->port, 8080);
  EXPECT_EQ(parse_listen_address("localhost:80")->address, "127.0.0.1");
  EXPECT_FALSE(parse_listen_address("127.0.0.1").ok());
  EXPECT_FALSE(parse_listen_address("127.0.0.1:70000").ok());
  EXPECT_FALSE(parse_listen_address("example.org:80").ok());
}

}  // namespace
}  // namespace plancal::feed

namespace plancal::feed {
namespace {

const std::string kAllSecret = "ALLdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

StoredEvent team_event(const std::string& team, const std::string& summary) {
  StoredEvent stored = small_event();
  stored.occurrence.uid = "p." + team + "@plancal";
  stored.occurrence.audience = "team:" + team;
  stored.occurrence.summary = summary;
  return stored;
}

/// A plan's `all` token reaches each team's feed of that plan below its own link; no other
/// token does, and no other path.
TEST(FeedHandlerTeamFeedTest, AnAllTokenReachesEachTeamsFeedOfItsPlanAndNothingElse) {
  Plan plan = small_plan();
  plan.teams = {{"A", "Team A", {}}, {"B", "Team B", {}}};
  const FeedToken all{9, "p", "all", "", kNow, {}, {}, {}};
  const FeedToken team_a{7, "p", "team:A", "", kNow, {}, {}, {}};
  CatalogSource source;
  source.plans = {&plan};
  source.events_by_plan["p"] = {team_event("A", "Møte for A"), team_event("B", "Møte for B")};
  source.tokens = {all, team_a};
  BuildReport report;
  Catalog catalog;
  catalog.replace(build_catalog(source, CatalogSettings{}, kNow, nullptr, report));
  TokenResolver resolver{[&](std::string_view secret) -> std::optional<FeedToken> {
    if (secret == kAllSecret) return all;
    if (secret == kSecret) return team_a;
    return std::nullopt;
  }};
  HandlerDependencies dependencies;
  dependencies.catalog = &catalog;
  dependencies.tokens = &resolver;
  dependencies.now = [] { return kNow; };
  FeedRequestHandler handler{std::move(dependencies)};
  const auto get = [&](const std::string& path) {
    HttpRequest request;
    request.method = "GET";
    request.path = path;
    return handler.handle(request);
  };

  const auto b = get("/feeds/" + kAllSecret + "/B.ics");
  ASSERT_EQ(b.status, 200);
  const std::string body = b.payload();
  EXPECT_NE(body.find("SUMMARY:Møte for B"), std::string::npos) << body;
  EXPECT_EQ(body.find("Møte for A"), std::string::npos);
  EXPECT_NE(body.find("X-WR-CALNAME:Plan – Team B"), std::string::npos) << body;
  EXPECT_EQ(get("/feeds/" + kAllSecret + ".ics").status, 200);
  EXPECT_EQ(get("/feeds/" + kAllSecret + "/C.ics").status, 404);
  EXPECT_EQ(get("/feeds/" + kAllSecret + "/B/x.ics").status, 404);
  EXPECT_EQ(get("/feeds/" + kAllSecret + "/.ics").status, 404);
  EXPECT_EQ(get("/feeds/" + kSecret + "/A.ics").status, 404) << "a team token reaches no other";
  EXPECT_EQ(get("/feeds/" + kSecret + "/B.ics").status, 404);
}

}  // namespace
}  // namespace plancal::feed
