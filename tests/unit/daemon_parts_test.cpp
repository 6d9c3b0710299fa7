// The daemon's building blocks, each without a daemon: log level and journal detection,
// the notify datagrams (path and abstract sockets, watchdog variables), the plan watcher,
// the background worker and the `daemon:` config section.

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "base/logging.h"
#include "config/config.h"
#include "os/background_worker.h"
#include "os/notify.h"
#include "os/plan_watcher.h"
#include "test_support.h"

namespace plancal {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;

/// A datagram socket bound to `name` (a path, or '@' + abstract name).
class Receiver {
 public:
  explicit Receiver(const std::string& name) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, name.data(), name.size());
    if (name.front() == '@') address.sun_path[0] = '\0';
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    if (bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0) ADD_FAILURE() << "bind";
    timeval timeout{2, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~Receiver() { close(fd_); }
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;
  std::string next() {
    char buffer[1024];
    const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
    return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
  }

 private:
  int fd_ = -1;
};

TEST(LoggingTest, ParsesLevelsAndMapsThemToSyslogPriorities) {
  EXPECT_EQ(parse_log_level("debug"), spdlog::level::debug);
  EXPECT_EQ(parse_log_level("warning"), spdlog::level::warn);
  EXPECT_EQ(parse_log_level("error"), spdlog::level::err);
  EXPECT_FALSE(parse_log_level("loud"));
  EXPECT_EQ(syslog_priority(spdlog::level::err), 3);
  EXPECT_EQ(syslog_priority(spdlog::level::warn), 4);
  EXPECT_EQ(syslog_priority(spdlog::level::info), 6);
  EXPECT_EQ(syslog_priority(spdlog::level::debug), 7);
}

TEST(LoggingTest, JournalOnlyWhenStderrIsTheNamedStream) {
  struct stat status {};
  ASSERT_EQ(fstat(STDERR_FILENO, &status), 0);
  const std::string mine = std::to_string(status.st_dev) + ":" + std::to_string(status.st_ino);
  const std::string other = std::to_string(status.st_dev) + ":" + std::to_string(status.st_ino + 1);
  EXPECT_TRUE(stderr_is_journal(mine.c_str()));
  EXPECT_FALSE(stderr_is_journal(other.c_str()));
  EXPECT_FALSE(stderr_is_journal(nullptr));
  EXPECT_FALSE(stderr_is_journal("garbage"));
}

TEST(NotifyTest, SendsDatagramsToAPathSocket) {
  const TempDir dir;
  const std::string path = (dir.path() / "notify").string();
  Receiver systemd(path);
  SystemdNotifier notifier(path, std::chrono::microseconds(30'000'000));
  notifier.ready("2 plan(s)\npublished");
  EXPECT_EQ(systemd.next(), "READY=1\nSTATUS=2 plan(s) published");
  notifier.watchdog_ping();
  EXPECT_EQ(systemd.next(), "WATCHDOG=1");
  notifier.reloading();
  const std::string reloading = systemd.next();
  EXPECT_EQ(reloading.rfind("RELOADING=1\nMONOTONIC_USEC=", 0), 0u) << reloading;
  EXPECT_EQ(notifier.watchdog_period(), 15s);
}

TEST(NotifyTest, SendsToAnAbstractSocket) {
  const std::string name = "@plancal-test-" + std::to_string(getpid());
  Receiver systemd(name);
  SystemdNotifier notifier(name, std::nullopt);
  notifier.stopping();
  EXPECT_EQ(systemd.next(), "STOPPING=1\nSTATUS=stopping");
  notifier.watchdog_ping();  // no watchdog configured: nothing sent
  EXPECT_FALSE(notifier.watchdog_period());
}

TEST(NotifyTest, WatchdogBelongsToTheProcessNamedByWatchdogPid) {
  setenv("NOTIFY_SOCKET", "/run/nothing-here", 1);
  setenv("WATCHDOG_USEC", "1000000", 1);
  setenv("WATCHDOG_PID", std::to_string(getpid()).c_str(), 1);
  EXPECT_EQ(SystemdNotifier::from_environment().watchdog_period(), 500ms);
  setenv("WATCHDOG_PID", "1", 1);
  EXPECT_FALSE(SystemdNotifier::from_environment().watchdog_period());
  unsetenv("NOTIFY_SOCKET");
  unsetenv("WATCHDOG_USEC");
  unsetenv("WATCHDOG_PID");
  SystemdNotifier off = SystemdNotifier::from_environment();
  EXPECT_FALSE(off.enabled());
  EXPECT_TRUE(off.send("READY=1"));  // a no-op without systemd
}

TEST(PlanWatcherTest, SeesAFileRenamedIntoTheFolderButNotScratchFiles) {
  const TempDir dir;
  const auto plan = dir.write("plans/a.yaml", "plan: a\n");
  auto watcher = PlanWatcher::open();
  ASSERT_TRUE(watcher);
  watcher->watch({plan.string()}, {});
  EXPECT_EQ(watcher->folders().size(), 1u);
  dir.write("plans/.a.yaml.swp", "x");
  EXPECT_FALSE(watcher->drain());
  const auto scratch = dir.write("plans/new.tmp", "plan: a\n");
  std::filesystem::rename(scratch, plan);
  EXPECT_TRUE(watcher->drain());
  EXPECT_FALSE(watcher->drain());
  EXPECT_TRUE(is_watched_name("roster.csv"));
  EXPECT_FALSE(is_watched_name("plan.yaml~"));
}

/// A job the test steps through: each run records its input (the config's file name) and
/// waits until the test opens the gate; on_done counts finished runs. Everything the test
/// waits for is a condition, never a sleep.
class GatedJob {
 public:
  std::string run(const Config& input) {
    std::unique_lock lock(mutex_);
    inputs_.push_back(input.file);
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
    return "done";
  }
  void on_done() {
    const std::lock_guard lock(mutex_);
    ++finished_;
    changed_.notify_all();
  }
  void open_gate() {
    const std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  void wait_until_started(std::size_t runs) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return inputs_.size() >= runs; });
  }
  void wait_until_finished(std::size_t runs) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return finished_ >= runs; });
  }
  std::vector<std::string> inputs() {
    const std::lock_guard lock(mutex_);
    return inputs_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> inputs_;
  std::size_t finished_ = 0;
  bool open_ = false;
};

Config config_named(const std::string& file) {
  Config config;
  config.file = file;
  return config;
}

TEST(BackgroundWorkerTest, CoalescesRequestsWhileBusyAndReportsSummaries) {
  GatedJob job;
  BackgroundWorker<Config> worker(
      "test", [&](const Config& input) { return job.run(input); }, [&] { job.on_done(); });
  worker.request(config_named("first"));
  job.wait_until_started(1);
  worker.request(config_named("while busy"));
  worker.request(config_named("while busy"));
  worker.request(config_named("while busy"));
  EXPECT_TRUE(worker.making_progress(1h));
  const auto busy_since = std::chrono::steady_clock::now();
  std::this_thread::sleep_until(busy_since + 20ms);
  EXPECT_FALSE(worker.making_progress(10ms));
  job.open_gate();
  job.wait_until_finished(2);
  // A pending third run would start before the marker's: the marker's run being the third
  // proves the three requests while busy made exactly one more run.
  worker.request(config_named("marker"));
  job.wait_until_finished(3);
  const auto inputs = job.inputs();
  ASSERT_EQ(inputs.size(), 3U);
  EXPECT_EQ(inputs.back(), "marker");
  const auto runs = inputs.size() - 1;  // before the marker
  EXPECT_EQ(runs, 2U);                  // three requests while busy: one more run
  EXPECT_EQ(worker.take_summary(), "done");
  EXPECT_TRUE(worker.finish(std::chrono::steady_clock::now() + 5s));
}

TEST(DaemonSettingsTest, DefaultsAndValues) {
  const auto defaults = load_config_text("plans: [a.yaml]\n", "/etc/plancal/plancal.yaml");
  ASSERT_TRUE(defaults.config) << testing::diagnostics_text(defaults.diagnostics);
  EXPECT_EQ(defaults.config->daemon.sync_interval_minutes, 15);
  EXPECT_EQ(defaults.config->daemon.stop_timeout_seconds, 20);
  const auto set = load_config_text(
      "plans: [a.yaml]\ndaemon:\n  sync_interval_minutes: 5\n  stop_timeout_seconds: 3\n",
      "/etc/plancal/plancal.yaml");
  ASSERT_TRUE(set.config) << testing::diagnostics_text(set.diagnostics);
  EXPECT_EQ(set.config->daemon.sync_interval_minutes, 5);
  EXPECT_EQ(set.config->daemon.stop_timeout_seconds, 3);
  const auto bad =
      load_config_text("plans: [a.yaml]\ndaemon:\n  sync_interval_minutes: 0\n", "c.yaml");
  EXPECT_FALSE(bad.config);
  EXPECT_NE(testing::diagnostics_text(bad.diagnostics).find("c.yaml:3:"), std::string::npos)
      << testing::diagnostics_text(bad.diagnostics);
}

}  // namespace
}  // namespace plancal
