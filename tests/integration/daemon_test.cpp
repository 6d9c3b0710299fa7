// `plancal daemon` as a process under a fake systemd: the notify protocol (READY, STATUS,
// WATCHDOG, RELOADING with MONOTONIC_USEC, STOPPING), plan edits reaching the served feed
// within seconds, an invalid plan that withdraws nothing, and a clean stop on SIGTERM. And
// both `plancal daemon` and `plancal serve` (one event loop) serving, within 2 s, what
// another process published or revoked.

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <regex>
#include <thread>

#include <gtest/gtest.h>

#include "daemon_process.h"
#include "test_support.h"

namespace plancal::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kPlanId = "kollegaveiledning";

class DaemonIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    plan_ = dir_.write("plans/kollegaveiledning.yaml",
                       read_file(example_plan("kollegaveiledning.yaml")));
    config_ = dir_.write("plancal.yaml",
                         "plan_dir: plans\ndatabase: var/plancal.db\n"
                         "feeds:\n  listen: 127.0.0.1:8080\n");
  }

  /// Publishes once and makes a token for everyone's feed; returns the feed's path.
  std::string make_feed() {
    const auto publish = run_plancal({"publish", "--config", config_.string()});
    EXPECT_EQ(publish.exit_code, 0) << publish.err;
    const auto token = run_plancal({"feed", "token", "create", "--config", config_.string(),
                                    "--plan", kPlanId, "--audience", "all"});
    EXPECT_EQ(token.exit_code, 0) << token.err;
    std::smatch match;
    const std::regex link("https?://[^/\\s]+(/feeds/[^\\s]+\\.ics)");
    if (!std::regex_search(token.out, match, link)) {
      ADD_FAILURE() << "no link in: " << token.out;
      return "";
    }
    return match[1];
  }

  /// Replaces the plan file the way editors save: a new file renamed over the old one.
  void save_plan(const std::string& text) {
    const auto scratch = dir_.path() / "plans" / ".kollegaveiledning.yaml.tmp";
    dir_.write("plans/.kollegaveiledning.yaml.tmp", text);
    fs::rename(scratch, plan_);
  }

  std::string fetch(const DaemonProcess& daemon, const std::string& path) {
    return run_process({"curl", "-sS", "--max-time", "10", daemon.url(path)}, {}, 20).out;
  }

  /// The HTTP status of a GET.
  int status_of(const DaemonProcess& daemon, const std::string& path) {
    const auto run = run_process({"curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-w",
                                  "%{http_code}", daemon.url(path)},
                                 {}, 20);
    return std::atoi(run.out.c_str());
  }

  TempDir dir_;
  fs::path plan_;
  fs::path config_;
};

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("not in the plan: " + from);
  return text.replace(at, from.size(), to);
}

/// The latest message containing `needle`.
std::string message_with(const NotifyListener& systemd, const std::string& needle) {
  const auto& history = systemd.history();
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    if (it->find(needle) != std::string::npos) return *it;
  }
  return "";
}

TEST_F(DaemonIntegration, SpeaksTheNotifyProtocolAndStopsCleanly) {
  NotifyListener systemd(dir_.path() / "notify.sock");
  DaemonProcess daemon(
      config_, dir_.path() / "daemon.log",
      {"NOTIFY_SOCKET=" + systemd.path().string(), "WATCHDOG_USEC=400000", "WATCHDOG_PID=self"});
  ASSERT_TRUE(systemd.wait_for("READY=1", 10s)) << read_file(dir_.path() / "daemon.log");
  EXPECT_NE(message_with(systemd, "READY=1").find("STATUS=1 plan(s) published"), std::string::npos);
  // WATCHDOG_USEC/2 = 200 ms: several pings within a second.
  ASSERT_TRUE(systemd.wait_for("WATCHDOG=1", 2s));
  ASSERT_TRUE(systemd.wait_for("WATCHDOG=1", 2s));

  daemon.signal(SIGHUP);
  ASSERT_TRUE(systemd.wait_for("RELOADING=1", 5s));
  const std::string reloading = message_with(systemd, "RELOADING=1");
  EXPECT_TRUE(std::regex_search(reloading, std::regex("MONOTONIC_USEC=[0-9]+"))) << reloading;
  ASSERT_TRUE(systemd.wait_for("READY=1", 5s));

  EXPECT_EQ(daemon.stop(), 0) << read_file(dir_.path() / "daemon.log");
  EXPECT_TRUE(systemd.wait_for("STOPPING=1", 1s));
}

TEST_F(DaemonIntegration, NoWatchdogPingsForAnotherProcessesWatchdog) {
  NotifyListener systemd(dir_.path() / "notify.sock");
  DaemonProcess daemon(
      config_, dir_.path() / "daemon.log",
      {"NOTIFY_SOCKET=" + systemd.path().string(), "WATCHDOG_USEC=200000", "WATCHDOG_PID=1"});
  ASSERT_TRUE(systemd.wait_for("READY=1", 10s));
  EXPECT_FALSE(systemd.wait_for("WATCHDOG=1", 1s));
  EXPECT_EQ(daemon.stop(), 0);
}

TEST_F(DaemonIntegration, PlanEditReachesTheFeedAndAnInvalidPlanWithdrawsNothing) {
  const std::string feed = make_feed();
  ASSERT_FALSE(feed.empty());
  const fs::path log = dir_.path() / "daemon.log";
  DaemonProcess daemon(config_, log, {}, {"--log-level", "debug"});
  const std::string before = fetch(daemon, feed);
  ASSERT_NE(before.find("T130000"), std::string::npos) << before.substr(0, 400);

  const std::string original = read_file(plan_);
  save_plan(replace(original, R"(time: { start: "13:00", end: "14:00" })",
                    R"(time: { start: "14:30", end: "15:30" })"));
  const auto edited = std::chrono::steady_clock::now();
  std::string after;
  while (std::chrono::steady_clock::now() - edited < 30s) {  // a bound against a hang only
    after = fetch(daemon, feed);
    if (after.find("T143000") != std::string::npos) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_NE(after.find("T143000"), std::string::npos) << "the edit did not reach the feed";
  EXPECT_EQ(after.find("T130000"), std::string::npos);

  // A typo: the weekday is not one. The error is logged with FILE:LINE, the feed stays.
  save_plan(replace(read_file(plan_), "weekday: TH", "weekday: XX"));
  const std::regex error_line("kollegaveiledning\\.yaml:[0-9]+:[0-9]+: error");
  std::string logged;
  for (int i = 0; i < 50 && !std::regex_search(logged, error_line); ++i) {
    std::this_thread::sleep_for(100ms);
    logged = read_file(log);
  }
  EXPECT_TRUE(std::regex_search(logged, error_line)) << logged;
  EXPECT_NE(logged.find("previous state is kept"), std::string::npos);
  EXPECT_EQ(fetch(daemon, feed), after) << "an invalid plan changed the served feed";

  EXPECT_EQ(daemon.stop(), 0);
}

TEST_F(DaemonIntegration, APlanWithAFortyThousandCharacterKeyWithdrawsNothing) {
  // This edit used to kill the daemon (a stack overflow in the pattern check), taking every
  // feed offline; now it is an error at its line, and the daemon serves what it served.
  const std::string feed = make_feed();
  ASSERT_FALSE(feed.empty());
  const fs::path log = dir_.path() / "daemon.log";
  DaemonProcess daemon(config_, log, {}, {"--log-level", "debug"});
  const std::string before = fetch(daemon, feed);
  ASSERT_NE(before.find("BEGIN:VEVENT"), std::string::npos) << before.substr(0, 400);

  save_plan(replace(read_file(plan_), "  - key: kollegaveiledning",
                    "  - key: k" + std::string(40'000, 'a')));
  const std::regex error_line(
      "kollegaveiledning\\.yaml:16:10: error: .* is 40001 characters long; at most 64");
  std::string logged;
  for (int i = 0; i < 50 && !std::regex_search(logged, error_line); ++i) {
    std::this_thread::sleep_for(100ms);
    logged = read_file(log);
  }
  EXPECT_TRUE(std::regex_search(logged, error_line)) << logged.substr(0, 2000);
  EXPECT_NE(logged.find("previous state is kept"), std::string::npos);
  EXPECT_EQ(fetch(daemon, feed), before) << "an invalid plan changed the served feed";
  EXPECT_EQ(daemon.stop(), 0);
}

TEST_F(DaemonIntegration, InvalidConfigOnReloadKeepsTheOldOne) {
  NotifyListener systemd(dir_.path() / "notify.sock");
  const std::string feed = make_feed();
  DaemonProcess daemon(config_, dir_.path() / "daemon.log",
                       {"NOTIFY_SOCKET=" + systemd.path().string()});
  ASSERT_TRUE(systemd.wait_for("READY=1", 10s));
  const std::string before = fetch(daemon, feed);
  dir_.write("plancal.yaml", "plan_dir: plans\nfeeds: {refresh_minutes: zero}\n");
  daemon.signal(SIGHUP);
  ASSERT_TRUE(systemd.wait_for("READY=1", 5s));
  const std::string logged = read_file(dir_.path() / "daemon.log");
  EXPECT_TRUE(std::regex_search(logged, std::regex("plancal\\.yaml:[0-9]+:[0-9]+: error")))
      << logged;
  EXPECT_NE(logged.find("the previous config stays in force"), std::string::npos);
  EXPECT_EQ(fetch(daemon, feed), before);
  EXPECT_EQ(daemon.stop(), 0);
}

/// The same tests for `plancal daemon` and `plancal serve`: both are the one event loop.
class ChangeElsewhereIntegration : public DaemonIntegration,
                                   public ::testing::WithParamInterface<const char*> {
 protected:
  DaemonProcess start(const std::string& log_name) {
    return DaemonProcess(config_, dir_.path() / log_name, {}, {}, GetParam());
  }

  /// Fetches until `done` holds for what came back; true when a request that started within
  /// `limit` after `since` got such an answer. Polls, so a fast server passes at once.
  template <class Done>
  bool seen_within(const DaemonProcess& process, const std::string& path,
                   std::chrono::steady_clock::time_point since, std::chrono::milliseconds limit,
                   Done done) {
    while (std::chrono::steady_clock::now() - since <= limit) {
      if (done(process, path)) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }
};

TEST_P(ChangeElsewhereIntegration, APublishByAnotherProcessReachesTheFeedWithinTwoSeconds) {
  const std::string feed = make_feed();
  ASSERT_FALSE(feed.empty());
  // Another copy of the plan, edited, and a config of its own in a folder the daemon does
  // not watch: only the database tells the running process about this publish.
  dir_.write("elsewhere/kollegaveiledning.yaml",
             replace(read_file(plan_), R"(time: { start: "13:00", end: "14:00" })",
                     R"(time: { start: "14:30", end: "15:30" })"));
  const auto other_config = dir_.write(
      "elsewhere/plancal.yaml", "plans: [kollegaveiledning.yaml]\ndatabase: ../var/plancal.db\n");
  DaemonProcess process = start(std::string(GetParam()) + ".log");
  const std::string before = fetch(process, feed);
  ASSERT_NE(before.find("T130000"), std::string::npos) << before.substr(0, 400);

  const auto published = run_plancal({"publish", "--config", other_config.string()});
  ASSERT_EQ(published.exit_code, 0) << published.err;
  const auto at = std::chrono::steady_clock::now();
  const bool seen = seen_within(process, feed, at, 2s, [&](const auto& p, const auto& path) {
    return fetch(p, path).find("T143000") != std::string::npos;
  });
  EXPECT_TRUE(seen) << "the publish did not reach the feed within 2 s";
  const std::string after = fetch(process, feed);
  EXPECT_NE(after.find("T143000"), std::string::npos);
  EXPECT_EQ(after.find("T130000"), std::string::npos);
  EXPECT_EQ(process.stop(), 0);
  const std::string log = read_file(dir_.path() / (std::string(GetParam()) + ".log"));
  EXPECT_NE(log.find("published by another process"), std::string::npos) << log;
}

TEST_P(ChangeElsewhereIntegration, ARevokedTokenAnswers404WithinTwoSeconds) {
  const std::string feed = make_feed();
  ASSERT_FALSE(feed.empty());
  DaemonProcess process = start(std::string(GetParam()) + ".log");
  ASSERT_EQ(status_of(process, feed), 200);

  const auto revoked = run_plancal({"feed", "token", "revoke", "--config", config_.string(), "1"});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  const auto at = std::chrono::steady_clock::now();
  const bool gone = seen_within(process, feed, at, 2s, [&](const auto& p, const auto& path) {
    return status_of(p, path) == 404;
  });
  EXPECT_TRUE(gone) << "the revoked token still had its feed after 2 s";
  EXPECT_EQ(status_of(process, feed), 404);
  EXPECT_EQ(process.stop(), 0);
}

INSTANTIATE_TEST_SUITE_P(Commands, ChangeElsewhereIntegration, ::testing::Values("daemon", "serve"),
                         [](const auto& info) { return std::string(info.param); });

TEST_F(DaemonIntegration, StatusShowsTheLastPublishOfEachPlan) {
  const auto before = run_plancal({"status", "--config", config_.string()});
  EXPECT_EQ(before.exit_code, 0) << before.err;
  EXPECT_NE(before.out.find("kollegaveiledning: never published"), std::string::npos) << before.out;
  ASSERT_EQ(run_plancal({"publish", "--config", config_.string()}).exit_code, 0);
  const auto after = run_plancal({"status", "--config", config_.string()});
  EXPECT_TRUE(std::regex_search(
      after.out, std::regex("kollegaveiledning: last published [0-9-]+ [0-9:]+ UTC \\(42 active")))
      << after.out;
  EXPECT_NE(after.out.find("targets:\n  none configured"), std::string::npos) << after.out;
  EXPECT_NE(after.out.find("reminders: 0 pending"), std::string::npos) << after.out;
}

TEST_F(DaemonIntegration, RefusesToStartWithAnInvalidConfig) {
  dir_.write("plancal.yaml", "plan_dir: plans\nunknown_key: 1\n");
  const auto run = run_plancal({"daemon", "--config", config_.string()});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(std::regex_search(run.err, std::regex("plancal\\.yaml:2:1: error"))) << run.err;
}

}  // namespace
}  // namespace plancal::testing
