// Soak (ctest -L soak, on demand, not in CI): `plancal daemon` for 10 minutes
// (PLANCAL_SOAK_SECONDS) with a plan change every 3 s, a SIGHUP every 30 s, a feed client
// polling and a CalDAV target (Radicale) syncing every change; resident memory must stay
// flat and no file descriptor may leak. Prints the figures the README quotes.

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <thread>

#include <gtest/gtest.h>

#include "caldav_servers.h"
#include "daemon_process.h"
#include "test_support.h"

namespace plancal::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

int soak_seconds() {
  const char* text = std::getenv("PLANCAL_SOAK_SECONDS");
  return text != nullptr ? std::atoi(text) : 600;
}

TEST(DaemonSoak, MemoryAndDescriptorsStayFlat) {
  const TempDir dir;
  const std::string original = read_file(example_plan("mandagsseminar-2024.yaml"));
  dir.write("plans/roster-milepaelen.csv", read_file(example_plan("roster-milepaelen.csv")));
  const auto plan = dir.write("plans/mandagsseminar-2024.yaml", original);
  const auto radicale = start_radicale();
  const auto secret = dir.write("radicale.pass", "secret\n");
  std::filesystem::permissions(
      secret, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const auto config =
      dir.write("plancal.yaml",
                "plan_dir: plans\ndatabase: var/plancal.db\ntargets:\n"
                "  - {name: radicale, plan: mandagsseminar-2024, audience: team:A,\n"
                "     caldav: {url: \"" +
                    radicale->calendar_url + "\", username: " + radicale->user +
                    ", password: {file: radicale.pass}}}\n");
  ASSERT_EQ(run_plancal({"publish", "--config", config.string()}).exit_code, 0);
  const auto token = run_plancal({"feed", "token", "create", "--config", config.string(), "--plan",
                                  "mandagsseminar-2024", "--audience", "team:A"});
  std::smatch match;
  ASSERT_TRUE(std::regex_search(token.out, match, std::regex("(/feeds/[^\\s]+\\.ics)")));
  const std::string feed = match[1];

  DaemonProcess daemon(config, dir.path() / "daemon.log", {}, {"--log-level", "warning"});
  const auto poll_feed = [&] {
    return run_process({"curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10",
                        daemon.url(feed)},
                       {}, 20)
        .out;
  };
  ASSERT_EQ(poll_feed(), "200");
  std::this_thread::sleep_for(5s);
  const long start_rss = resident_kib(daemon.pid());
  const long start_fds = open_fds(daemon.pid());

  const auto started = std::chrono::steady_clock::now();
  const auto duration = std::chrono::seconds(soak_seconds());
  int changes = 0;
  int polls = 0;
  int failed_polls = 0;
  auto next_change = started;
  while (std::chrono::steady_clock::now() - started < duration) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= next_change) {
      // Alternate the seminars' room, so every change changes the feed.
      std::string text = original;
      if (changes % 2 == 0) {
        const std::string room = "location: Undervisningsbrakka";
        text.replace(text.find(room), room.size(), "location: Rom " + std::to_string(changes));
      }
      dir.write("plans/.scratch.yaml", text);
      fs::rename(dir.path() / "plans" / ".scratch.yaml", plan);
      ++changes;
      if (changes % 10 == 0) daemon.signal(SIGHUP);
      next_change = now + 3s;
    }
    ++polls;
    if (poll_feed() != "200") ++failed_polls;
    std::this_thread::sleep_for(200ms);
  }
  std::this_thread::sleep_for(3s);  // let the last change settle
  const long end_rss = resident_kib(daemon.pid());
  const long end_fds = open_fds(daemon.pid());
  std::printf(
      "soak: %d s, %d plan changes, %d feed polls (%d failed); RSS %ld kB -> %ld kB; "
      "fds %ld -> %ld\n",
      soak_seconds(), changes, polls, failed_polls, start_rss, end_rss, start_fds, end_fds);
  const auto status = run_plancal({"status", "--config", config.string()});
  std::printf("%s", status.out.c_str());
  EXPECT_TRUE(std::regex_search(status.out, std::regex("radicale: last sync [^\n]* ok:")))
      << status.out;
  EXPECT_EQ(failed_polls, 0);
  EXPECT_LE(end_fds, start_fds + 2) << "file descriptors leak";
  EXPECT_LE(end_rss, start_rss + start_rss / 4 + 8192) << "resident memory grows";
  EXPECT_EQ(daemon.stop(), 0);
}

}  // namespace
}  // namespace plancal::testing
