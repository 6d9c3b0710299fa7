// The feed server against clients that misbehave, over real sockets: a slowloris from one
// address while others keep being served, requests without Host or with both framing
// headers, an If-Modified-Since in the future; and the limits of an HttpServer with small
// numbers: 503 when it is nearly full, the per-address limit, the request deadline.

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "daemon_process.h"
#include "httpd/server.h"
#include "raw_http.h"
#include "test_support.h"

namespace plancal::testing {
namespace {

namespace fs = std::filesystem;

/// `plancal serve` on the seed-000 plan with one team-A feed token.
class FeedLimitsIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::copy_file(example_plan("mandagsseminar-2024.yaml"), dir.path() / "plan.yaml");
    fs::copy_file(example_plan("roster-milepaelen.csv"), dir.path() / "roster-milepaelen.csv");
    config = dir.write("plancal.yaml",
                       "plans: [plan.yaml]\ndatabase: var/plancal.db\nfeeds:\n"
                       "  listen: 127.0.0.1:8080\n");
    ASSERT_EQ(run_plancal({"publish", "--config", config.string()}).exit_code, 0);
    const auto created = run_plancal({"feed", "token", "create", "--config", config.string(),
                                      "--plan", "mandagsseminar-2024", "--audience", "team:A"});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    std::smatch match;
    ASSERT_TRUE(std::regex_search(created.out, match, std::regex("secret: ([A-Za-z0-9_-]+)")));
    feed_path = "/feeds/" + match[1].str() + ".ics";
  }

  std::string get(const std::string& path, const std::string& headers = "Host: 127.0.0.1\r\n") {
    return "GET " + path + " HTTP/1.1\r\n" + headers + "\r\n";
  }

  TempDir dir;
  fs::path config;
  std::string feed_path;
};

TEST_F(FeedLimitsIntegration, ASlowlorisFromOneAddressDoesNotTakeTheFeedsOffline) {
  DaemonProcess server(config, dir.path() / "serve.err", {}, {}, "serve");
  // 300 connections from 127.0.0.2, each sending one byte of a request head every 3 s and
  // never finishing it; a normal client on 127.0.0.1 fetches the feed twice a second.
  const auto run =
      run_process({kDebianPython, (source_dir() / "tests/integration/slow_clients.py").string(),
                   std::to_string(server.port()), feed_path, "--count", "300", "--interval", "3",
                   "--limit", "90"},
                  {}, 120);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto report = nlohmann::json::parse(run.out);
  SCOPED_TRACE(run.out);
  EXPECT_EQ(report["opened"].get<int>() + report["refused"].get<int>(), 300);
  // One address holds at most 64 connections; the others were closed at once.
  EXPECT_LE(report["closed_later"].get<int>(), 64);
  EXPECT_GE(report["closed_at_once"].get<int>() + report["refused"].get<int>(), 300 - 64);
  // A connection whose request never completes is closed, however steadily it trickles
  // (before, one byte every 3 s kept it open for ever).
  EXPECT_EQ(report["still_open"].get<int>(), 0);
  // Every normal request was answered, and with the feed.
  const auto& statuses = report["normal_statuses"];
  EXPECT_EQ(statuses.size(), 1U);
  EXPECT_GT(statuses.value("200", 0), 10);
  EXPECT_EQ(server.stop(), 0);
}

TEST_F(FeedLimitsIntegration, BrokenFramingAndMissingHostGet400AndFutureDatesAreIgnored) {
  DaemonProcess server(config, dir.path() / "serve.err", {}, {}, "serve");
  const auto no_host = raw_http(server.port(), "GET " + feed_path + " HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(no_host);
  EXPECT_EQ(no_host->status, 400);
  EXPECT_EQ(no_host->body.find("BEGIN:VCALENDAR"), std::string::npos);
  const auto old_client = raw_http(server.port(), "GET " + feed_path + " HTTP/1.0\r\n\r\n");
  ASSERT_TRUE(old_client);
  EXPECT_EQ(old_client->status, 200);  // HTTP/1.0 has no Host requirement

  // Both framing headers: a proxy in front might read one and this server the other.
  const auto smuggled =
      raw_http(server.port(), "GET " + feed_path +
                                  " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 44\r\n"
                                  "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                                  "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  ASSERT_TRUE(smuggled);
  EXPECT_EQ(smuggled->status, 400);
  EXPECT_TRUE(smuggled->closed);
  EXPECT_EQ(smuggled->body.find("plancal_http_requests_total"), std::string::npos);

  const auto full = raw_http(server.port(), get(feed_path));
  ASSERT_TRUE(full);
  ASSERT_EQ(full->status, 200);
  const std::string last_modified = full->header("last-modified");
  const auto by_date =
      raw_http(server.port(),
               get(feed_path, "Host: 127.0.0.1\r\nIf-Modified-Since: " + last_modified + "\r\n"));
  ASSERT_TRUE(by_date);
  EXPECT_EQ(by_date->status, 304);
  const auto future = raw_http(
      server.port(),
      get(feed_path, "Host: 127.0.0.1\r\nIf-Modified-Since: Sun, 06 Nov 2050 08:49:37 GMT\r\n"));
  ASSERT_TRUE(future);
  EXPECT_EQ(future->status, 200);
  EXPECT_EQ(future->body, full->body);
  EXPECT_EQ(server.stop(), 0);
}

/// Answers every request with 200 "ok".
struct OkHandler final : httpd::HttpHandler {
  [[nodiscard]] httpd::HttpResponse handle(const httpd::HttpRequest& /*request*/) const override {
    httpd::HttpResponse response;
    response.owned_body = "ok\n";
    return response;
  }
};

/// Answers with what the request brought: method, cookie, content type and body.
struct EchoHandler final : httpd::HttpHandler {
  [[nodiscard]] httpd::HttpResponse handle(const httpd::HttpRequest& request) const override {
    httpd::HttpResponse response;
    response.owned_body =
        std::string(request.method) + "|" + std::string(request.cookie.value_or("-")) + "|" +
        std::string(request.content_type.value_or("-")) + "|" + std::string(request.body);
    return response;
  }
};

template <class Handler = OkHandler>
struct SmallServer {
  Handler handler;
  std::unique_ptr<httpd::HttpServer> server;
  explicit SmallServer(httpd::ServerOptions options) {
    options.port = 0;
    auto started = httpd::HttpServer::start(options, handler);
    if (!started) throw std::runtime_error(started.error().message);
    server = std::move(*started);
  }
  [[nodiscard]] int port() const { return server->port(); }
};

/// Idle connections from 127.0.0.<first>... (one per address, so no per-address limit bites).
std::vector<int> idle_connections(int port, int count, int first_address = 10) {
  std::vector<int> fds;
  for (int i = 0; i < count; ++i) {
    fds.push_back(open_idle_connection(port, "127.0.0." + std::to_string(first_address + i)));
  }
  return fds;
}

void close_all(const std::vector<int>& fds) {
  for (const int fd : fds) close(fd);
}

TEST(HttpServerLimitsIntegration, NearlyFullItAnswers503WithRetryAfter) {
  httpd::ServerOptions options;
  options.connection_limit = 16;  // busy from 12 open connections on
  SmallServer<> small(options);
  const auto request = std::string("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  const auto before = raw_http(small.port(), request);
  ASSERT_TRUE(before);
  EXPECT_EQ(before->status, 200);

  const auto idle = idle_connections(small.port(), 12);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // accepted by the server
  const auto busy = raw_http(small.port(), request);
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->status, 503);
  EXPECT_EQ(busy->header("retry-after"), "10");
  EXPECT_TRUE(busy->closed);

  close_all(idle);
  std::optional<RawHttpResponse> after;
  for (int i = 0; i < 50 && (!after || after->status != 200); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    after = raw_http(small.port(), request);
  }
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
}

TEST(HttpServerLimitsIntegration, OneAddressGetsOnlyItsShareAndOthersAreServed) {
  httpd::ServerOptions options;
  options.per_client_connection_limit = 4;
  SmallServer<> small(options);
  std::vector<int> mine;
  for (int i = 0; i < 4; ++i) mine.push_back(open_idle_connection(small.port(), "127.0.0.2"));
  const int fifth = open_idle_connection(small.port(), "127.0.0.2");
  EXPECT_TRUE(closed_by_server(fifth, 3000));  // the library closes it without an answer
  close(fifth);
  const auto other = raw_http(small.port(), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 200);
  close_all(mine);
}

TEST(HttpServerLimitsIntegration, ARequestTricklingInPastItsDeadlineIsClosed) {
  httpd::ServerOptions options;
  options.request_timeout_seconds = 2;
  options.connection_timeout_seconds = 30;  // the idle timeout alone would never close it
  SmallServer<> small(options);
  const int fd = open_idle_connection(small.port(), "127.0.0.2");
  const std::string head = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa";
  bool closed = false;
  // One byte every 250 ms: never idle for long, never complete; bounded to 20 s.
  for (std::size_t i = 0; i < 80 && !closed; ++i) {
    (void)send(fd, &head[i % head.size()], 1, MSG_NOSIGNAL);
    closed = closed_by_server(fd, 250);
  }
  EXPECT_TRUE(closed);
  close(fd);
}

}  // namespace
}  // namespace plancal::testing

namespace plancal::testing {
namespace {

std::string post(const std::string& body, const std::string& headers = "") {
  return "POST /skjema HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
         "application/x-www-form-urlencoded\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n" + headers + "\r\n" + body;
}

TEST(HttpServerBodyIntegration, AFormPostReachesTheHandlerWithItsCookieAndBody) {
  SmallServer<EchoHandler> small(httpd::ServerOptions{});
  const std::string form = "epost=kari%40example.no&csrf=abc";
  const auto answer = raw_http(small.port(), post(form, "Cookie: plancal_okt=xyz\r\n"));
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, "POST|plancal_okt=xyz|application/x-www-form-urlencoded|" + form);
  // A body in many pieces arrives whole.
  const std::string big(20000, 'x');
  const auto large = raw_http(small.port(), post("felt=" + big));
  ASSERT_TRUE(large);
  EXPECT_EQ(large->body, "POST|-|application/x-www-form-urlencoded|felt=" + big);
}

TEST(HttpServerBodyIntegration, ABodyPastTheLimitIsRefusedWith413BeforeAnyHandler) {
  httpd::ServerOptions options;
  options.max_body_bytes = 1000;
  SmallServer<EchoHandler> small(options);
  const auto refused = raw_http(small.port(), post(std::string(1001, 'a')));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 413);
  EXPECT_EQ(refused->body.find("POST|"), std::string::npos);
  const auto fits = raw_http(small.port(), post(std::string(1000, 'a')));
  ASSERT_TRUE(fits);
  EXPECT_EQ(fits->status, 200);
  EXPECT_EQ(fits->body.size(),
            std::string("POST|-|application/x-www-form-urlencoded|").size() + 1000);
}

}  // namespace
}  // namespace plancal::testing
