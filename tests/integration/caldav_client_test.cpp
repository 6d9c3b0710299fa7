// The CalDAV protocol layer against real Radicale, Xandikos and Cyrus servers.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "caldav/client.h"
#include "caldav/href.h"
#include "caldav_servers.h"
#include "http/curl_transport.h"
#include "test_doubles.h"
#include "test_support.h"

namespace plancal {
namespace {

using caldav::CaldavClient;
using caldav::Failure;
using testing::CaldavServer;

std::string event_ics(const std::string& uid, const std::string& summary) {
  return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//plancal//tests//EN\r\n"
         "BEGIN:VEVENT\r\nUID:" +
         uid +
         "\r\nDTSTAMP:20240101T000000Z\r\n"
         "DTSTART:20240115T080000Z\r\nDTEND:20240115T090000Z\r\nSUMMARY:" +
         summary + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
}

/// The UID line of an iCalendar object (unfolded lines are enough for our own events).
std::string uid_of(const std::string& ics) {
  std::istringstream in(ics);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.starts_with("UID:")) return line.substr(4);
  }
  return {};
}

class CaldavClientIntegration : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    servers_ = new std::map<std::string, std::unique_ptr<CaldavServer>>();
  }
  static void TearDownTestSuite() {
    delete servers_;
    servers_ = nullptr;
  }

  void SetUp() override {
    // Each server once per process, when a test first needs it (ctest runs every test in a
    // process of its own).
    if (servers_->count(GetParam()) == 0) {
      (*servers_)[GetParam()] = testing::start_caldav_server(GetParam());
    }
    http::ClientOptions options;
    options.auth = http::BasicAuth{server().user, Secret(server().password)};
    options.retry.max_attempts = 2;
    http_ = http::make_curl_client(std::move(options));
  }

  CaldavServer& server() { return *servers_->at(GetParam()); }

  CaldavClient client(const std::string& base) { return CaldavClient(*http_, base); }

  /// A calendar of its own for each test, made with MKCALENDAR.
  std::string fresh_calendar() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info->name();
    name = name.substr(0, name.find('/'));
    const std::string url = server().home_url + name + "/";
    auto made = client(server().root_url).ensure_calendar(url, name);
    EXPECT_TRUE(made.ok()) << (made ? "" : made.error().message) << "\n" << server().log();
    return url;
  }

  long connections_opened() {
    return dynamic_cast<http::CurlTransport&>(http_->transport()).connections_opened();
  }

  static std::map<std::string, std::unique_ptr<CaldavServer>>* servers_;
  std::unique_ptr<http::RetryingClient> http_;
};

std::map<std::string, std::unique_ptr<CaldavServer>>* CaldavClientIntegration::servers_ = nullptr;

TEST_P(CaldavClientIntegration, DiscoveryFromTheServerRootFindsTheCalendar) {
  auto calendars = client(server().root_url).discover();
  ASSERT_TRUE(calendars.ok()) << calendars.error().message;
  const std::string wanted = caldav::collection_path(server().calendar_url);
  const auto found = std::find_if(calendars->begin(), calendars->end(),
                                  [&](const auto& c) { return c.href == wanted; });
  ASSERT_NE(found, calendars->end()) << "calendars found: " << calendars->size();
  EXPECT_TRUE(found->is_calendar);
  EXPECT_TRUE(found->supports_vevent);
  EXPECT_FALSE(found->sync_token.empty());
  EXPECT_EQ(found->url, server().calendar_url);
}

TEST_P(CaldavClientIntegration, DiscoveryFromTheCalendarUrlFindsIt) {
  auto calendars = client(server().calendar_url).discover();
  ASSERT_TRUE(calendars.ok()) << calendars.error().message;
  const std::string wanted = caldav::collection_path(server().calendar_url);
  EXPECT_TRUE(std::any_of(calendars->begin(), calendars->end(),
                          [&](const auto& c) { return c.href == wanted; }));
}

TEST_P(CaldavClientIntegration, MakeCalendarCreatesAnEventCalendar) {
  const std::string url = server().home_url + "made-by-plancal/";
  auto made = client(server().root_url).make_calendar(url, "Møteplan");
  ASSERT_TRUE(made.ok()) << made.error().message << "\n" << server().log();
  EXPECT_TRUE(made->is_calendar);
  EXPECT_TRUE(made->supports_vevent);
  EXPECT_EQ(made->display_name, "Møteplan");
  auto again = client(server().root_url).ensure_calendar(url, "Møteplan");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->href, made->href);
}

TEST_P(CaldavClientIntegration, CreateTwiceGivesPreconditionFailed) {
  CaldavClient dav = client(fresh_calendar());
  const std::string href = caldav::href_for_uid(dav.base_url(), "twice@plancal.test");
  auto first = dav.create(href, event_ics("twice@plancal.test", "Første"));
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->href, href);
  auto second = dav.create(href, event_ics("twice@plancal.test", "Andre"));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().kind, Failure::PreconditionFailed) << second.error().message;
  EXPECT_EQ(second.error().status, 412);
}

TEST_P(CaldavClientIntegration, StaleEtagsAreRefusedForUpdateAndDelete) {
  CaldavClient dav = client(fresh_calendar());
  const std::string href = caldav::href_for_uid(dav.base_url(), "stale@plancal.test");
  auto created = dav.create(href, event_ics("stale@plancal.test", "v1"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  auto first_etag = created->etag ? *created->etag : dav.fetch_etag(href).value();
  ASSERT_FALSE(first_etag.empty());
  EXPECT_EQ(dav.fetch_etag(href).value(), first_etag);

  auto updated = dav.update(href, event_ics("stale@plancal.test", "v2"), first_etag);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  const std::string second_etag = updated->etag ? *updated->etag : dav.fetch_etag(href).value();
  EXPECT_NE(second_etag, first_etag);

  auto stale_update = dav.update(href, event_ics("stale@plancal.test", "v3"), first_etag);
  ASSERT_FALSE(stale_update.ok());
  EXPECT_EQ(stale_update.error().kind, Failure::PreconditionFailed);
  auto stale_delete = dav.remove(href, first_etag);
  ASSERT_FALSE(stale_delete.ok());
  EXPECT_EQ(stale_delete.error().kind, Failure::PreconditionFailed);

  auto deleted = dav.remove(href, second_etag);
  EXPECT_TRUE(deleted.ok()) << deleted.error().message;
  auto gone = dav.fetch_etag(href);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().kind, Failure::NotFound);
  auto delete_again = dav.remove(href, second_etag);
  ASSERT_FALSE(delete_again.ok());
  EXPECT_TRUE(delete_again.error().kind == Failure::NotFound ||
              delete_again.error().kind == Failure::PreconditionFailed)
      << delete_again.error().message;
}

TEST_P(CaldavClientIntegration, SyncCollectionReportsExactlyWhatChanged) {
  CaldavClient dav = client(fresh_calendar());
  std::map<std::string, std::string> etags;
  for (const std::string uid : {"a@sync.test", "b@sync.test", "c@sync.test"}) {
    const std::string href = caldav::href_for_uid(dav.base_url(), uid);
    auto made = dav.create(href, event_ics(uid, "x"));
    ASSERT_TRUE(made.ok()) << made.error().message;
    etags[href] = made->etag ? *made->etag : dav.fetch_etag(href).value();
  }
  auto initial = dav.sync_collection(dav.base_url(), "");
  ASSERT_TRUE(initial.ok()) << initial.error().message;
  EXPECT_EQ(initial->changed.size(), 3U);
  auto quiet = dav.sync_collection(dav.base_url(), initial->token);
  ASSERT_TRUE(quiet.ok()) << quiet.error().message;
  EXPECT_TRUE(quiet->changed.empty());
  EXPECT_TRUE(quiet->removed.empty());

  const std::string b = caldav::href_for_uid(dav.base_url(), "b@sync.test");
  auto updated = dav.update(b, event_ics("b@sync.test", "changed"), etags[b]);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  auto after_update = dav.sync_collection(dav.base_url(), quiet->token);
  ASSERT_TRUE(after_update.ok()) << after_update.error().message;
  ASSERT_EQ(after_update->changed.size(), 1U);
  EXPECT_EQ(after_update->changed[0].href, b);
  EXPECT_FALSE(after_update->changed[0].etag.empty());
  EXPECT_TRUE(after_update->removed.empty());

  const std::string c = caldav::href_for_uid(dav.base_url(), "c@sync.test");
  ASSERT_TRUE(dav.remove(c, etags[c]).ok());
  auto after_delete = dav.sync_collection(dav.base_url(), after_update->token);
  ASSERT_TRUE(after_delete.ok()) << after_delete.error().message;
  EXPECT_TRUE(after_delete->changed.empty());
  EXPECT_EQ(after_delete->removed, std::vector<std::string>{c});

  auto listing = dav.list_resources(dav.base_url());
  ASSERT_TRUE(listing.ok()) << listing.error().message;
  EXPECT_EQ(listing->size(), 2U);
}

TEST_P(CaldavClientIntegration, AnUnknownSyncTokenAsksForAFullListing) {
  CaldavClient dav = client(fresh_calendar());
  auto info = dav.calendar_info(dav.base_url());
  ASSERT_TRUE(info.ok()) << info.error().message;
  ASSERT_FALSE(info->sync_token.empty());
  // Cyrus reads its token "data:,VALIDITY-MODSEQ" and ignores whatever follows the number:
  // this one names a modification sequence it never gave.
  auto bogus = dav.sync_collection(dav.base_url(), info->sync_token + "0000-not-a-token");
  ASSERT_FALSE(bogus.ok());
  EXPECT_EQ(bogus.error().kind, Failure::InvalidSyncToken) << bogus.error().message;
}

TEST_P(CaldavClientIntegration, MultigetInChunksToleratesAMissingHref) {
  CaldavClient dav = client(fresh_calendar());
  constexpr int kEvents = 249;
  std::vector<std::string> hrefs(kEvents);
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&, w] {
      for (int i = w; i < kEvents; i += 2) {
        const std::string uid = "bulk-" + std::to_string(i) + "@plancal.test";
        hrefs[static_cast<std::size_t>(i)] = caldav::href_for_uid(dav.base_url(), uid);
        if (!dav.create(hrefs[static_cast<std::size_t>(i)], event_ics(uid, "bulk")).ok())
          ++failures;
      }
    });
  }
  for (auto& writer : writers) writer.join();
  ASSERT_EQ(failures.load(), 0);
  const std::string missing = caldav::href_for_uid(dav.base_url(), "never-created@plancal.test");
  hrefs.insert(hrefs.begin() + 120, missing);

  auto fetched = dav.multiget(dav.base_url(), hrefs);
  ASSERT_TRUE(fetched.ok()) << fetched.error().message;
  EXPECT_EQ(fetched->found.size(), static_cast<std::size_t>(kEvents));
  EXPECT_EQ(fetched->missing, std::vector<std::string>{missing});
  for (const auto& event : fetched->found) {
    EXPECT_FALSE(event.etag.empty()) << event.href;
    EXPECT_EQ(caldav::href_for_uid(dav.base_url(), uid_of(event.calendar_data)), event.href);
  }
  auto listing = dav.list_resources(dav.base_url());
  ASSERT_TRUE(listing.ok()) << listing.error().message;
  EXPECT_EQ(listing->size(), static_cast<std::size_t>(kEvents));
}

TEST_P(CaldavClientIntegration, AwkwardUidsRoundTripAndAnotherClientSeesThem) {
  const std::string calendar = fresh_calendar();
  CaldavClient dav = client(calendar);
  const std::vector<std::string> uids{"plain-uid@plancal.test", "plus+sign@plancal.test",
                                      "slash/in/uid@plancal.test", "space in uid@plancal.test",
                                      "ærlig-møte@plancal.test"};
  std::vector<std::string> hrefs;
  for (const auto& uid : uids) {
    hrefs.push_back(caldav::href_for_uid(calendar, uid));
    auto made = dav.create(hrefs.back(), event_ics(uid, "Tverrfaglig møte"));
    ASSERT_TRUE(made.ok()) << uid << ": " << made.error().message;
  }
  auto fetched = dav.multiget(calendar, hrefs);
  ASSERT_TRUE(fetched.ok()) << fetched.error().message;
  ASSERT_EQ(fetched->found.size(), uids.size());
  EXPECT_TRUE(fetched->missing.empty());
  std::set<std::string> seen;
  for (const auto& event : fetched->found) {
    const std::string uid = uid_of(event.calendar_data);
    EXPECT_EQ(caldav::href_for_uid(calendar, uid), event.href) << uid;
    seen.insert(uid);
  }
  EXPECT_EQ(seen, std::set<std::string>(uids.begin(), uids.end()));

  const auto listed =
      testing::run_process({testing::kDebianPython,
                            (testing::source_dir() / "tests/integration/caldav_list.py").string(),
                            calendar, server().user, server().password},
                           {}, 60);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  std::set<std::string> listed_uids;
  std::istringstream lines(listed.out);
  std::string line;
  while (std::getline(lines, line)) {
    listed_uids.insert(line.substr(0, line.find('\t')));
    EXPECT_NE(line.find("2024-01-15T08:00:00+00:00"), std::string::npos) << line;
  }
  EXPECT_EQ(listed_uids, std::set<std::string>(uids.begin(), uids.end())) << listed.out;
}

TEST_P(CaldavClientIntegration, ConnectionsAreReusedWhereTheServerAllowsIt) {
  CaldavClient dav = client(server().calendar_url);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(dav.calendar_info(server().calendar_url).ok());
  // Radicale's wsgiref server speaks HTTP/1.0 and closes every connection; Xandikos keeps
  // them open, so there all ten requests share one connection.
  if (GetParam() == "Xandikos") {
    EXPECT_EQ(connections_opened(), 1);
  } else {
    EXPECT_LE(connections_opened(), 10);
  }
}

INSTANTIATE_TEST_SUITE_P(Caldav, CaldavClientIntegration,
                         ::testing::Values(std::string("Radicale"), std::string("Xandikos"),
                                           std::string("Cyrus")),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace plancal

namespace plancal {
namespace {

/// TLS options against a loopback HTTPS server whose certificate comes from a private CA
/// (a self-signed certificate made for this test with the openssl command).
class CaldavTlsIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto cert = dir_.path() / "cert.pem";
    const auto key = dir_.path() / "key.pem";
    const auto made = testing::run_process(
        {"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.string(), "-out",
         cert.string()},
        {}, 60);
    ASSERT_EQ(made.exit_code, 0) << made.err;
    dir_.write("www/index.html", "hello over TLS");
    const auto script = dir_.write("serve.py", R"(import http.server, ssl, sys, os
os.chdir(sys.argv[4])
server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), http.server.SimpleHTTPRequestHandler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(sys.argv[2], sys.argv[3])
server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
)");
    port_ = testing::free_loopback_port();
    server_ = std::make_unique<testing::ServerProcess>(
        std::vector<std::string>{testing::kDebianPython, script.string(), std::to_string(port_),
                                 cert.string(), key.string(), (dir_.path() / "www").string()},
        dir_.path() / "server.log");
    ASSERT_TRUE(testing::wait_for_port(port_, *server_, std::chrono::seconds(20)))
        << testing::read_file(dir_.path() / "server.log");
    cert_ = cert;
  }

  Result<http::HttpResponse> get(http::ClientOptions options) {
    options.retry.max_attempts = 3;
    auto client = http::make_curl_client(std::move(options));
    return client->send(http::HttpRequest::make(
        "GET", "https://127.0.0.1:" + std::to_string(port_) + "/index.html"));
  }

  testing::TempDir dir_;
  int port_ = 0;
  std::filesystem::path cert_;
  std::unique_ptr<testing::ServerProcess> server_;
};

TEST_F(CaldavTlsIntegration, AnUnknownCaIsRefusedWithoutRetrying) {
  // Counted, not timed: a certificate failure is final, so one attempt and no backoff wait.
  testing::RecordingSleeper sleeper;
  http::ClientOptions options;
  options.retry.max_attempts = 3;
  const http::RetryPolicy policy = options.retry;
  http::RetryingClient client(std::make_unique<http::CurlTransport>(std::move(options)), policy,
                              {&sleeper, {}, {}});
  auto response = client.send(
      http::HttpRequest::make("GET", "https://127.0.0.1:" + std::to_string(port_) + "/index.html"));
  ASSERT_FALSE(response.ok());
  auto& transport = dynamic_cast<http::CurlTransport&>(client.transport());
  EXPECT_EQ(transport.requests_performed(), 1) << "a TLS failure must not be retried";
  EXPECT_TRUE(sleeper.slept.empty()) << "a TLS failure must not wait for a retry";
  EXPECT_NE(response.error().message.find("https://127.0.0.1"), std::string::npos)
      << response.error().message;
  EXPECT_NE(response.error().message.find("certificate"), std::string::npos)
      << response.error().message;
}

TEST_F(CaldavTlsIntegration, AnExtraCaFileIsTrustedBesideTheSystemCas) {
  http::ClientOptions options;
  options.tls.extra_ca_file = cert_;
  auto response = get(std::move(options));
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "hello over TLS");
}

TEST_F(CaldavTlsIntegration, InsecureSkipVerifyAcceptsAnyCertificate) {
  http::ClientOptions options;
  options.tls.insecure_skip_verify = true;
  auto response = get(std::move(options));
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 200);
}

}  // namespace
}  // namespace plancal
