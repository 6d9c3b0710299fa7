// CaldavClient against a scripted HttpClient: what it sends and how it reads answers that the
// real test servers never give (missing ETags, 507 truncation, preconditions, redirects).
#include "caldav/client.h"

#include <gtest/gtest.h>

#include "test_doubles.h"

namespace plancal::caldav {
namespace {

using FakeHttp = testing::ScriptedHttp;

constexpr const char* kCollection = "https://dav.example/cal/team/";

std::string multistatus(const std::string& responses, const std::string& token = "") {
  return R"(<d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">)" + responses +
         (token.empty() ? "" : "<d:sync-token>" + token + "</d:sync-token>") + "</d:multistatus>";
}

std::string etag_response(const std::string& href, const std::string& etag) {
  return "<d:response><d:href>" + href + "</d:href><d:propstat><d:prop><d:getetag>" + etag +
         "</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>";
}

std::string status_response(const std::string& href, int status) {
  return "<d:response><d:href>" + href + "</d:href><d:status>HTTP/1.1 " + std::to_string(status) +
         " X</d:status></d:response>";
}

TEST(CaldavClientTest, CreateSendsIfNoneMatchAndCalendarContentType) {
  FakeHttp http;
  http.then(201, "", http::Headers{{"ETag", "\"e1\""}});
  CaldavClient client(http, kCollection);
  auto made = client.create("/cal/team/a@b.ics", "BEGIN:VCALENDAR");
  ASSERT_TRUE(made.ok()) << made.error().message;
  EXPECT_EQ(made->etag, "\"e1\"");
  EXPECT_EQ(made->href, "/cal/team/a@b.ics");
  ASSERT_EQ(http.sent.size(), 1U);
  EXPECT_EQ(http.sent[0].method, "PUT");
  EXPECT_EQ(http.sent[0].url, "https://dav.example/cal/team/a@b.ics");
  EXPECT_EQ(http.sent[0].headers.find("If-None-Match"), "*");
  EXPECT_FALSE(http.sent[0].headers.contains("If-Match"));
  EXPECT_EQ(http.sent[0].headers.find("Content-Type"), "text/calendar; charset=utf-8");
  EXPECT_EQ(http.sent[0].body, "BEGIN:VCALENDAR");
}

TEST(CaldavClientTest, AMissingOrWeakEtagIsReportedAsNoneGiven) {
  FakeHttp http;
  http.then(204);
  http.then(204, "", http::Headers{{"ETag", "W/\"weak\""}});
  CaldavClient client(http, kCollection);
  auto updated = client.update("/cal/team/a.ics", "X", "\"e1\"");
  ASSERT_TRUE(updated.ok());
  EXPECT_FALSE(updated->etag.has_value());
  EXPECT_EQ(http.sent[0].headers.find("If-Match"), "\"e1\"");
  auto weak = client.update("/cal/team/a.ics", "X", "\"e1\"");
  ASSERT_TRUE(weak.ok());
  EXPECT_FALSE(weak->etag.has_value());
}

TEST(CaldavClientTest, FetchEtagLearnsTheEtagWithOnePropfind) {
  FakeHttp http;
  http.then(207, multistatus(etag_response("/cal/team/a.ics", "\"server-e\"")));
  CaldavClient client(http, kCollection);
  auto etag = client.fetch_etag("/cal/team/a.ics");
  ASSERT_TRUE(etag.ok()) << etag.error().message;
  EXPECT_EQ(*etag, "\"server-e\"");
  EXPECT_EQ(http.sent[0].method, "PROPFIND");
  EXPECT_EQ(http.sent[0].headers.find("Depth"), "0");
}

struct StatusCase {
  int status;
  std::string body;
  Failure expected;
};

TEST(CaldavClientTest, WriteFailuresAreTyped) {
  const std::vector<StatusCase> cases{
      {412, "", Failure::PreconditionFailed},
      {404, "", Failure::NotFound},
      {401, "", Failure::Unauthorized},
      {403, "<html>no</html>", Failure::Forbidden},
      {507, "", Failure::InsufficientStorage},
      {413, "", Failure::ResourceTooLarge},
      {500, "", Failure::ServerError},
      {403,
       R"(<error xmlns="DAV:"><valid-calendar-data xmlns="urn:ietf:params:xml:ns:caldav"/></error>)",
       Failure::InvalidCalendarData},
      {403,
       R"(<D:error xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><C:supported-calendar-component/></D:error>)",
       Failure::UnsupportedComponent},
      {403,
       R"(<ns0:error xmlns:ns0="DAV:" xmlns:ns1="urn:ietf:params:xml:ns:caldav"><ns1:max-resource-size/></ns0:error>)",
       Failure::ResourceTooLarge},
  };
  for (const auto& c : cases) {
    FakeHttp http;
    http.then(c.status, c.body);
    CaldavClient client(http, kCollection);
    auto result = client.create("/cal/team/a.ics", "X");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, c.expected)
        << c.status << " " << c.body << ": " << result.error().message;
    EXPECT_EQ(result.error().status, c.status);
  }
}

TEST(CaldavClientTest, UidConflictNamesTheExistingHref) {
  FakeHttp http;
  http.then(403, R"(<d:error xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
    <c:no-uid-conflict><d:href>https://dav.example/cal/team/other%20name.ics</d:href></c:no-uid-conflict></d:error>)");
  CaldavClient client(http, kCollection);
  auto result = client.create("/cal/team/a.ics", "X");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, Failure::UidConflict);
  EXPECT_EQ(result.error().href, "/cal/team/other%20name.ics");
  EXPECT_NE(result.error().message.find("no-uid-conflict"), std::string::npos);
  EXPECT_FALSE(result.error().stops_target());
}

TEST(CaldavClientTest, AFailureInsideA207AnswerToAPutIsAFailure) {
  // Xandikos answers a PUT whose UID lives elsewhere with 207 holding a 412.
  FakeHttp http;
  http.then(207, R"(<ns0:multistatus xmlns:ns0="DAV:" xmlns:ns1="urn:ietf:params:xml:ns:caldav">
    <ns0:response><ns0:href>http%3A//dav.example/cal/team/a.ics</ns0:href>
    <ns0:status>HTTP/1.1 412 Precondition Failed</ns0:status>
    <ns0:error><ns1:no-uid-conflict /></ns0:error></ns0:response></ns0:multistatus>)");
  CaldavClient client(http, kCollection);
  auto result = client.create("/cal/team/a.ics", "X");
  ASSERT_FALSE(result.ok()) << "a 207 holding a 412 was taken for a stored event";
  EXPECT_EQ(result.error().kind, Failure::UidConflict);
  EXPECT_EQ(result.error().status, 412);
}

TEST(CaldavClientTest, HrefsWithUidAskACalendarQueryForTheUid) {
  FakeHttp http;
  http.then(207, multistatus(etag_response("/cal/team/elsewhere.ics", "\"e1\"")));
  CaldavClient client(http, kCollection);
  auto hrefs = client.hrefs_with_uid(kCollection, "a&b@plancal");
  ASSERT_TRUE(hrefs.ok()) << hrefs.error().message;
  EXPECT_EQ(*hrefs, std::vector<std::string>{"/cal/team/elsewhere.ics"});
  ASSERT_EQ(http.sent.size(), 1U);
  EXPECT_EQ(http.sent[0].method, "REPORT");
  EXPECT_NE(http.sent[0].body.find("calendar-query"), std::string::npos);
  EXPECT_NE(http.sent[0].body.find(">a&amp;b@plancal</c:text-match>"), std::string::npos)
      << http.sent[0].body;
}

TEST(CaldavClientTest, TransportErrorsAreTyped) {
  FakeHttp http;  // no script: every send fails
  CaldavClient client(http, kCollection);
  auto result = client.remove("/cal/team/a.ics", "\"e\"");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, Failure::Transport);
}

TEST(CaldavClientTest, SyncCollectionContinuesAfter507Truncation) {
  FakeHttp http;
  http.then(207, multistatus(etag_response("/cal/team/a.ics", "\"a1\"") +
                                 status_response("/cal/team/gone.ics", 404) +
                                 status_response("/cal/team/", 507),
                             "tok-2"));
  http.then(207, multistatus(etag_response("/cal/team/b.ics", "\"b1\"") +
                                 etag_response("https://dav.example/cal/team/a.ics", "\"a2\""),
                             "tok-3"));
  CaldavClient client(http, kCollection);
  auto changes = client.sync_collection(kCollection, "tok-1");
  ASSERT_TRUE(changes.ok()) << changes.error().message;
  EXPECT_EQ(changes->requests, 2);
  EXPECT_EQ(changes->token, "tok-3");
  EXPECT_EQ(changes->changed, (std::vector<ResourceRef>{{"/cal/team/a.ics", "\"a2\""},
                                                        {"/cal/team/b.ics", "\"b1\""}}));
  EXPECT_EQ(changes->removed, std::vector<std::string>{"/cal/team/gone.ics"});
  EXPECT_NE(http.sent[0].body.find("<d:sync-token>tok-1</d:sync-token>"), std::string::npos);
  EXPECT_NE(http.sent[1].body.find("<d:sync-token>tok-2</d:sync-token>"), std::string::npos);
  EXPECT_EQ(http.sent[0].headers.find("Depth"), "0");
}

TEST(CaldavClientTest, SyncCollectionStopsWhenTruncationMakesNoProgress) {
  FakeHttp http;
  http.then(207, multistatus(status_response("/cal/team/", 507), "tok-1"));
  CaldavClient client(http, kCollection);
  auto changes = client.sync_collection(kCollection, "tok-1");
  ASSERT_FALSE(changes.ok());
  EXPECT_EQ(changes.error().kind, Failure::Protocol);
}

TEST(CaldavClientTest, AnInvalidSyncTokenSignalsAFullListing) {
  FakeHttp http;
  http.then(403, R"(<D:error xmlns:D="DAV:"><D:valid-sync-token/></D:error>)");
  http.then(500, "Internal Server Error");
  CaldavClient client(http, kCollection);
  auto named = client.sync_collection(kCollection, "old");
  ASSERT_FALSE(named.ok());
  EXPECT_EQ(named.error().kind, Failure::InvalidSyncToken);
  auto unnamed = client.sync_collection(kCollection, "old");
  ASSERT_FALSE(unnamed.ok());
  EXPECT_EQ(unnamed.error().kind, Failure::InvalidSyncToken);
}

TEST(CaldavClientTest, MultigetAsksInChunksAndReportsWhatIsMissing) {
  FakeHttp http;
  const auto answer_all_but_omitted = [](const http::HttpRequest& request) {
    std::string responses;
    std::size_t at = 0;
    while ((at = request.body.find("<d:href>", at)) != std::string::npos) {
      const auto end = request.body.find("</d:href>", at);
      const std::string href = request.body.substr(at + 8, end - at - 8);
      at = end;
      if (href.find("omitted") != std::string::npos) continue;
      if (href.find("missing") != std::string::npos) {
        responses += status_response(href, 404);
        continue;
      }
      responses += "<d:response><d:href>" + href +
                   "</d:href><d:propstat><d:prop><d:getetag>\"e\"</d:getetag><c:calendar-data>"
                   "BEGIN:VCALENDAR</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK"
                   "</d:status></d:propstat></d:response>";
    }
    http::HttpResponse response;
    response.status = 207;
    response.body = multistatus(responses);
    return Result<http::HttpResponse>(response);
  };
  for (int i = 0; i < 3; ++i) http.then(answer_all_but_omitted);
  std::vector<std::string> hrefs;
  for (int i = 0; i < 248; ++i) hrefs.push_back("/cal/team/e" + std::to_string(i) + ".ics");
  hrefs.push_back("/cal/team/missing.ics");
  hrefs.push_back("/cal/team/omitted.ics");
  CaldavClient client(http, kCollection);
  auto fetched = client.multiget(kCollection, hrefs);
  ASSERT_TRUE(fetched.ok()) << fetched.error().message;
  EXPECT_EQ(http.sent.size(), 3U);
  EXPECT_EQ(fetched->found.size(), 248U);
  EXPECT_EQ(fetched->missing,
            (std::vector<std::string>{"/cal/team/missing.ics", "/cal/team/omitted.ics"}));
  EXPECT_EQ(http.sent[0].method, "REPORT");
  EXPECT_NE(http.sent[0].body.find("calendar-multiget"), std::string::npos);
}

TEST(CaldavClientTest, DiscoveryFollowsWellKnownToPrincipalHomeAndCalendars) {
  FakeHttp http;
  http.then(301, "", http::Headers{{"Location", "/dav/"}});
  http.then(207, multistatus(R"(<d:response><d:href>/dav/</d:href><d:propstat><d:prop>
      <d:current-user-principal><d:href>/dav/principals/alice/</d:href></d:current-user-principal>
      </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>)"));
  http.then(207,
            multistatus(R"(<d:response><d:href>/dav/principals/alice/</d:href><d:propstat><d:prop>
      <c:calendar-home-set><d:href>/dav/calendars/alice/</d:href></c:calendar-home-set>
      </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>)"));
  http.then(207, multistatus(R"(
      <d:response><d:href>/dav/calendars/alice/</d:href><d:propstat><d:prop>
        <d:resourcetype><d:collection/></d:resourcetype></d:prop>
        <d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
      <d:response><d:href>/dav/calendars/alice/work/</d:href><d:propstat><d:prop>
        <d:resourcetype><d:collection/><c:calendar/></d:resourcetype><d:displayname>Work</d:displayname>
        <c:supported-calendar-component-set><c:comp name="VEVENT"/><c:comp name="VTODO"/></c:supported-calendar-component-set>
        <d:sync-token>s1</d:sync-token></d:prop>
        <d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
      <d:response><d:href>/dav/calendars/alice/tasks/</d:href><d:propstat><d:prop>
        <d:resourcetype><d:collection/><c:calendar/></d:resourcetype>
        <c:supported-calendar-component-set><c:comp name="VTODO"/></c:supported-calendar-component-set></d:prop>
        <d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>)"));
  CaldavClient client(http, "https://dav.example/");
  auto calendars = client.discover();
  ASSERT_TRUE(calendars.ok()) << calendars.error().message;
  ASSERT_EQ(calendars->size(), 1U);
  EXPECT_EQ((*calendars)[0].href, "/dav/calendars/alice/work/");
  EXPECT_EQ((*calendars)[0].url, "https://dav.example/dav/calendars/alice/work/");
  EXPECT_EQ((*calendars)[0].display_name, "Work");
  EXPECT_EQ((*calendars)[0].sync_token, "s1");
  // A server root means "this server": RFC 6764 starts at its well-known URL.
  ASSERT_EQ(http.sent.size(), 4U);
  EXPECT_EQ(http.sent[0].url, "https://dav.example/.well-known/caldav");
  EXPECT_EQ(http.sent[1].url, "https://dav.example/dav/");
  EXPECT_EQ(http.sent[3].headers.find("Depth"), "1");
}

TEST(CaldavClientTest, AContextPathWithoutAPrincipalFallsBackToTheWellKnownUrl) {
  FakeHttp http;
  http.then(500);  // the configured context path fails (retries are the HttpClient's job)
  http.then(301, "", http::Headers{{"Location", "https://dav.example/caldav.php/"}});
  http.then(207, multistatus(R"(<d:response><d:href>/caldav.php/</d:href><d:propstat><d:prop>
      <d:current-user-principal><d:href>/caldav.php/alice/</d:href></d:current-user-principal>
      </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>)"));
  http.then(207, multistatus(R"(<d:response><d:href>/caldav.php/alice/</d:href><d:propstat>
      <d:prop><c:calendar-home-set><d:href>/caldav.php/alice/</d:href></c:calendar-home-set>
      </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>)"));
  CaldavClient client(http, "https://dav.example/dav/");
  auto homes = client.calendar_homes();
  ASSERT_TRUE(homes.ok()) << homes.error().message;
  EXPECT_EQ(*homes, std::vector<std::string>{"/caldav.php/alice/"});
  ASSERT_EQ(http.sent.size(), 4U);
  EXPECT_EQ(http.sent[0].url, "https://dav.example/dav/");
  EXPECT_EQ(http.sent[1].url, "https://dav.example/.well-known/caldav");
  EXPECT_EQ(http.sent[2].url, "https://dav.example/caldav.php/");
}

TEST(CaldavClientTest, AWellKnownUrlThatFindsNothingTriesTheRootAndNeverListsItself) {
  FakeHttp http;
  http.then(404);                   // /.well-known/caldav: no redirect
  http.then(404);                   // the root: no principal either
  http.then(207, multistatus(""));  // so the root is listed as the home
  CaldavClient client(http, "https://dav.example/.well-known/caldav");
  auto homes = client.calendar_homes();
  ASSERT_TRUE(homes.ok()) << homes.error().message;
  EXPECT_EQ(*homes, std::vector<std::string>{"/"});
  ASSERT_EQ(http.sent.size(), 2U);
  EXPECT_EQ(http.sent[0].url, "https://dav.example/.well-known/caldav");
  EXPECT_EQ(http.sent[1].url, "https://dav.example/");
}

TEST(CaldavClientTest, ADiscoveryEntryIsNeverACalendarNorAPlaceForOne) {
  for (const std::string url : {"https://dav.example/", "https://dav.example/.well-known/caldav",
                                "https://dav.example/.well-known/caldav/", "https://dav.example"}) {
    FakeHttp http;  // no answers scripted: any request fails the test
    CaldavClient client(http, url);
    auto info = client.calendar_info(url);
    ASSERT_TRUE(info.ok()) << url << ": " << info.error().message;
    EXPECT_FALSE(info->is_calendar) << url;
    auto ensured = client.ensure_calendar(url, "Plan");
    ASSERT_TRUE(ensured.ok()) << url;
    EXPECT_FALSE(ensured->is_calendar) << url;
    auto made = client.make_calendar(url, "Plan");
    ASSERT_FALSE(made.ok()) << url;
    EXPECT_NE(made.error().message.find("point the url at a calendar home"), std::string::npos)
        << made.error().message;
    EXPECT_TRUE(http.sent.empty()) << url << ": " << http.sent.front().method;
  }
}

TEST(CaldavClientTest, AUidTheAccountHoldsInAnotherCalendarIsRefusedNamingIt) {
  // Cyrus 3.6 keeps one copy of a UID per account (RFC 6638 §3.2.4.1).
  FakeHttp http;
  http.then(403, R"(<?xml version="1.0" encoding="utf-8"?>
<D:error xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><C:unique-scheduling-object-resource><D:href>/cal/all/a.ics</D:href></C:unique-scheduling-object-resource></D:error>)");
  CaldavClient client(http, kCollection);
  auto result = client.create("/cal/team/a.ics", "X");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, Failure::UidInOtherCalendar) << result.error().message;
  EXPECT_EQ(result.error().href, "/cal/all/a.ics");
  EXPECT_FALSE(result.error().stops_target()) << "one refused event, not a refused account";
  EXPECT_NE(result.error().message.find("refused: unique-scheduling-object-resource"),
            std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().message.find("/cal/all/a.ics"), std::string::npos)
      << result.error().message;
}

TEST(CaldavClientTest, AUidHeldElsewhereInTheSameCalendarIsAUidConflict) {
  // Cyrus names this condition for a UID stored under another name in the same calendar too.
  FakeHttp http;
  http.then(
      403,
      R"(<D:error xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><C:unique-scheduling-object-resource><D:href>https://dav.example/cal/team/imported.ics</D:href></C:unique-scheduling-object-resource></D:error>)");
  CaldavClient client(http, kCollection);
  auto result = client.create("/cal/team/a.ics", "X");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, Failure::UidConflict) << result.error().message;
  EXPECT_EQ(result.error().href, "/cal/team/imported.ics");
}

TEST(CaldavClientTest, DiscoveryRefusesRedirectsToAnotherOrigin) {
  FakeHttp http;
  http.then(301, "", http::Headers{{"Location", "https://evil.example/dav/"}});
  http.then(404);                   // well-known
  http.then(207, multistatus(""));  // fallback listing of the configured URL
  CaldavClient client(http, "https://dav.example/");
  auto calendars = client.discover();
  ASSERT_TRUE(calendars.ok()) << calendars.error().message;
  for (const auto& request : http.sent) {
    EXPECT_EQ(request.url.find("evil.example"), std::string::npos) << request.url;
  }
}

TEST(CaldavClientTest, DiscoveryStopsOnRejectedCredentials) {
  FakeHttp http;
  http.then(401);
  CaldavClient client(http, "https://dav.example/");
  auto calendars = client.discover();
  ASSERT_FALSE(calendars.ok());
  EXPECT_EQ(calendars.error().kind, Failure::Unauthorized);
  EXPECT_TRUE(calendars.error().stops_target());
}

}  // namespace
}  // namespace plancal::caldav
