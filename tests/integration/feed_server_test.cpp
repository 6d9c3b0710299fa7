// `plancal serve` as a process: HTTP behaviour seen from curl, real subscribers (vdirsyncer,
// python3-icalendar) following a plan change, and a slow client that must not block others.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <regex>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "daemon_process.h"
#include "raw_http.h"
#include "test_support.h"
#include "web_server_support.h"

namespace plancal::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr const char* kPlanId = "mandagsseminar-2024";

std::string secret_from(const std::string& token_output) {
  std::smatch match;
  if (!std::regex_search(token_output, match, std::regex("secret: ([A-Za-z0-9_-]+)"))) {
    throw std::runtime_error("no secret in: " + token_output);
  }
  return match[1];
}

nlohmann::json read_feed(const std::string& url) {
  const auto reader = source_dir() / "tests" / "integration" / "feed_reader.py";
  const auto run = run_process({kDebianPython, reader.string(), url}, {}, 60);
  if (run.exit_code != 0) throw std::runtime_error("feed_reader.py failed: " + run.err);
  return nlohmann::json::parse(run.out);
}

/// The event whose summary starts with `prefix` ("Mandagsseminar 3:"), or null.
nlohmann::json event_starting(const nlohmann::json& feed, const std::string& prefix) {
  for (const auto& event : feed["events"]) {
    const std::string summary = event["summary"];
    if (summary.rfind(prefix, 0) == 0) return event;
  }
  return nullptr;
}

void replace_once(std::string& text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("not in plan: " + from);
  text.replace(at, from.size(), to);
}

/// Meeting 3 moves for team B, meeting 10 gets another topic, meeting 11 is removed.
void change_plan(const fs::path& plan_file) {
  std::string plan = read_file(plan_file);
  replace_once(plan, "dates: { A: 2024-02-26, B: 2024-02-19, C: 2024-03-04 }",
               "dates: { A: 2024-02-26, B: 2024-02-26, C: 2024-03-04 }");
  replace_once(plan, "topic: \"Ungdomshjernen og omsorgstretthet\"",
               "topic: \"Omsorgstretthet i praksis\"");
  const auto meeting_11 = plan.find("      - number: 11");
  ASSERT_NE(meeting_11, std::string::npos);
  plan.erase(meeting_11);
  std::ofstream(plan_file, std::ios::binary | std::ios::trunc) << plan;
}

/// A connected socket that sends half a request and then nothing (slowloris).
int open_slow_connection(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  const std::string partial = "GET /feeds/";
  [[maybe_unused]] const auto sent = send(fd, partial.data(), partial.size(), MSG_NOSIGNAL);
  return fd;
}

class FeedServerIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::copy_file(example_plan("mandagsseminar-2024.yaml"), dir.path() / "plan.yaml");
    fs::copy_file(example_plan("roster-milepaelen.csv"), dir.path() / "roster-milepaelen.csv");
    config = write_config("plancal.yaml", 0);
    const auto published = run_plancal({"publish", "--config", config.string()});
    ASSERT_EQ(published.exit_code, 0) << published.err;
  }

  fs::path write_config(const std::string& name, int keep_cancelled_days) const {
    return dir.write(name,
                     "plans: [plan.yaml]\ndatabase: var/plancal.db\nfeeds:\n"
                     "  listen: 127.0.0.1:8080\n  refresh_minutes: 60\n"
                     "  keep_cancelled_days: " +
                         std::to_string(keep_cancelled_days) + "\n");
  }

  std::string create_token(const std::string& audience) const {
    const auto created = run_plancal({"feed", "token", "create", "--config", config.string(),
                                      "--plan", kPlanId, "--audience", audience});
    EXPECT_EQ(created.exit_code, 0) << created.err;
    return secret_from(created.out);
  }

  /// Waits until the feed's ETag differs from `old_etag` (a rebuild after SIGHUP).
  HttpFetch wait_for_new_etag(const ServeProcess& server, const std::string& path,
                              const std::string& old_etag) const {
    HttpFetch result;
    for (int i = 0; i < 100; ++i) {
      result = fetch(dir, server.url(path));
      if (result.status == 200 && result.header("etag") != old_etag) break;
      std::this_thread::sleep_for(200ms);
    }
    return result;
  }

  TempDir dir;
  fs::path config;
};

TEST_F(FeedServerIntegration, ServesFeedsWithHttpSemantics) {
  const std::string secret = create_token("team:A");
  ServeProcess server(config, dir.path() / "serve.err");
  const std::string path = "/feeds/" + secret + ".ics";

  const auto full = fetch(dir, server.url(path));
  ASSERT_EQ(full.status, 200);
  EXPECT_EQ(full.header("content-type"), "text/calendar; charset=utf-8");
  EXPECT_EQ(full.header("cache-control"), "private, max-age=3600");
  EXPECT_EQ(full.header("vary"), "Accept-Encoding");
  EXPECT_TRUE(std::regex_match(full.header("etag"), std::regex("\"[0-9a-f]{32}\"")));
  EXPECT_TRUE(std::regex_match(full.header("last-modified"),
                               std::regex("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} "
                                          "\\d{2}:\\d{2}:\\d{2} GMT")));
  EXPECT_NE(full.body.find("X-WR-CALNAME:Mandagsseminar 2024 – Team A"), std::string::npos);

  const auto by_etag =
      fetch(dir, server.url(path), {"-H", "If-None-Match: " + full.header("etag")});
  EXPECT_EQ(by_etag.status, 304);
  EXPECT_TRUE(by_etag.body.empty());
  const auto by_date =
      fetch(dir, server.url(path), {"-H", "If-Modified-Since: " + full.header("last-modified")});
  EXPECT_EQ(by_date.status, 304);
  const auto stale_etag_wins = fetch(dir, server.url(path),
                                     {"-H", "If-None-Match: \"stale\"", "-H",
                                      "If-Modified-Since: " + full.header("last-modified")});
  EXPECT_EQ(stale_etag_wins.status, 200);

  const auto head = fetch(dir, server.url(path), {"-I"});
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body.find("BEGIN:VCALENDAR"), std::string::npos);  // -I writes headers only
  EXPECT_EQ(head.header("etag"), full.header("etag"));
  EXPECT_EQ(head.header("content-length"), std::to_string(full.body.size()));

  const auto gzip = fetch(dir, server.url(path), {"-H", "Accept-Encoding: gzip"});
  EXPECT_EQ(gzip.status, 200);
  EXPECT_EQ(gzip.header("content-encoding"), "gzip");
  EXPECT_LT(gzip.body.size(), full.body.size() / 3);
  const auto decoded = fetch(dir, server.url(path), {"--compressed"});
  EXPECT_EQ(decoded.body, full.body);
  const auto refused = fetch(dir, server.url(path), {"-H", "Accept-Encoding: gzip;q=0"});
  EXPECT_EQ(refused.header("content-encoding"), "");

  const std::string unknown = "/feeds/" + std::string(43, 'Q') + ".ics";
  EXPECT_EQ(fetch(dir, server.url(unknown)).status, 404);
  EXPECT_EQ(fetch(dir, server.url(path), {"-X", "POST", "-d", "x=1"}).status, 405);
  EXPECT_EQ(fetch(dir, server.url(path), {"-X", "DELETE"}).header("allow"), "GET, HEAD");
  EXPECT_EQ(fetch(dir, server.url("/feeds/" + std::string(4000, 'a') + ".ics")).status, 414);
  EXPECT_EQ(fetch(dir, server.url("/feeds/" + std::string(40000, 'a') + ".ics")).status, 414);
  EXPECT_EQ(fetch(dir, server.url("/other")).status, 404);

  const auto health = fetch(dir, server.url("/healthz"));
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok\n");
  const auto metrics = fetch(dir, server.url("/metrics"));
  EXPECT_NE(metrics.body.find("plancal_http_requests_total{status=\"304\"} 2"), std::string::npos);
  EXPECT_NE(metrics.body.find("plancal_feed_events{feed=\"mandagsseminar-2024/team:A\"} 11"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("plancal_feed_renders_total 1"), std::string::npos);
  EXPECT_EQ(metrics.body.find(secret), std::string::npos);

  EXPECT_EQ(server.stop(), 0);
  const std::string log = read_file(dir.path() / "serve.err");
  EXPECT_NE(log.find("unknown feed token (client 127.0.0.1)"), std::string::npos);
  EXPECT_EQ(log.find(secret), std::string::npos);
  EXPECT_EQ(log.find(std::string(43, 'Q')), std::string::npos);
}

TEST_F(FeedServerIntegration, TokensCreatedOrRevokedWhileRunningTakeEffect) {
  const std::string first = create_token("all");
  ServeProcess server(config, dir.path() / "serve.err");
  const std::string later = create_token("person:sindre.lunde");
  HttpFetch result;
  for (int i = 0; i < 50 && result.status != 200; ++i) {
    result = fetch(dir, server.url("/feeds/" + later + ".ics"));
    if (result.status != 200) std::this_thread::sleep_for(200ms);
  }
  EXPECT_EQ(result.status, 200);
  EXPECT_NE(result.body.find("Sindre Lunde"), std::string::npos);

  ASSERT_EQ(run_plancal({"feed", "token", "revoke", "--config", config.string(), "1"}).exit_code,
            0);
  for (int i = 0; i < 50 && result.status != 404; ++i) {
    result = fetch(dir, server.url("/feeds/" + first + ".ics"));
    if (result.status != 404) std::this_thread::sleep_for(200ms);
  }
  EXPECT_EQ(result.status, 404);
  EXPECT_EQ(server.stop(), 0);
}

TEST_F(FeedServerIntegration, SlowClientsDoNotBlockOthers) {
  const std::string secret = create_token("team:A");
  ServeProcess server(config, dir.path() / "serve.err");
  std::vector<int> slow;
  for (int i = 0; i < 20; ++i) slow.push_back(open_slow_connection(server.port()));
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(fetch(dir, server.url("/feeds/" + secret + ".ics")).status, 200);
  }
  // Served while every slow client still holds its connection: the server closes those only
  // at their request deadline (15 s), so nobody waited for them. No clock in the test.
  for (const int fd : slow) EXPECT_FALSE(closed_by_server(fd, 50));
  for (const int fd : slow) close(fd);
  EXPECT_EQ(server.stop(), 0);
}

TEST_F(FeedServerIntegration, SubscribersSeeUpdatesMovesAndRemovals) {
  const std::string team_b = create_token("team:B");
  const std::string path = "/feeds/" + team_b + ".ics";
  ServeProcess server(config, dir.path() / "serve.err");

  // A real client nobody here wrote syncs the feed (vdirsyncer's http storage).
  const auto vdir = dir.path() / "vdir";
  fs::create_directories(vdir / "events");
  const auto vconfig =
      dir.write("vdirsyncer.conf",
                "[general]\nstatus_path = \"" + (dir.path() / "vstatus").string() +
                    "\"\n\n"
                    "[pair feed]\na = \"feed_remote\"\nb = \"feed_local\"\ncollections = null\n\n"
                    "[storage feed_remote]\ntype = \"http\"\nurl = \"" +
                    server.url(path) +
                    "\"\n\n"
                    "[storage feed_local]\ntype = \"filesystem\"\npath = \"" +
                    (vdir / "events").string() + "\"\nfileext = \".ics\"\n");
  const std::vector<std::string> home{"HOME=" + dir.path().string()};
  const auto discover = run_process({"vdirsyncer", "-c", vconfig.string(), "discover"}, home, 120);
  ASSERT_EQ(discover.exit_code, 0) << discover.out << discover.err;
  const auto sync = run_process({"vdirsyncer", "-c", vconfig.string(), "sync"}, home, 120);
  ASSERT_EQ(sync.exit_code, 0) << sync.out << sync.err;
  auto synced_files = [&] {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(vdir / "events")) ++count;
    return count;
  };
  EXPECT_EQ(synced_files(), 11U);

  const auto before = read_feed(server.url(path));
  EXPECT_EQ(before["status"], 200);
  EXPECT_EQ(before["calendar"]["method"], "PUBLISH");
  ASSERT_EQ(before["events"].size(), 11U);
  const auto moved_before = event_starting(before, "Mandagsseminar 3:");
  const auto topic_before = event_starting(before, "Mandagsseminar 10:");
  ASSERT_FALSE(moved_before.is_null());
  ASSERT_FALSE(topic_before.is_null());
  EXPECT_EQ(moved_before["start"], "2024-02-19T09:00:00+01:00");
  const std::string old_etag = fetch(dir, server.url(path)).header("etag");

  change_plan(dir.path() / "plan.yaml");
  server.signal(SIGHUP);
  const auto changed = wait_for_new_etag(server, path, old_etag);
  ASSERT_EQ(changed.status, 200);

  const auto after = read_feed(server.url(path));
  const auto moved = event_starting(after, "Mandagsseminar 3:");
  ASSERT_FALSE(moved.is_null());
  EXPECT_EQ(moved["uid"], moved_before["uid"]);
  EXPECT_GT(moved["sequence"].get<int>(), moved_before["sequence"].get<int>());
  EXPECT_EQ(moved["start"], "2024-02-26T09:00:00+01:00");
  const auto topic = event_starting(after, "Mandagsseminar 10:");
  ASSERT_FALSE(topic.is_null());
  EXPECT_EQ(topic["uid"], topic_before["uid"]);
  EXPECT_GT(topic["sequence"].get<int>(), topic_before["sequence"].get<int>());
  EXPECT_NE(topic["summary"].get<std::string>().find("Omsorgstretthet i praksis"),
            std::string::npos);
  EXPECT_TRUE(event_starting(after, "Mandagsseminar 11:").is_null());
  EXPECT_TRUE(event_starting(after, "AVLYST: Mandagsseminar 11:").is_null());
  EXPECT_EQ(after["events"].size(), 10U);

  const auto resync = run_process({"vdirsyncer", "-c", vconfig.string(), "sync"}, home, 120);
  ASSERT_EQ(resync.exit_code, 0) << resync.out << resync.err;
  EXPECT_EQ(synced_files(), 10U);

  // Under keep_cancelled_days the removed meeting stays, cancelled, in every client.
  const auto keeping_config = write_config("keeping.yaml", 30);
  ServeProcess keeping(keeping_config, dir.path() / "keeping.err");
  const auto kept = read_feed(keeping.url(path));
  const auto cancelled = event_starting(kept, "AVLYST: Mandagsseminar 11:");
  ASSERT_FALSE(cancelled.is_null());
  EXPECT_EQ(cancelled["status"], "CANCELLED");
  EXPECT_EQ(kept["events"].size(), 11U);

  EXPECT_EQ(keeping.stop(), 0);
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace plancal::testing
