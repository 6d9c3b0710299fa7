// `plancal sync` against a CalDAV server that misbehaves the way real ones do: throttling
// (503 + Retry-After), connections reset mid-request, answers slower than the configured
// timeout, PUT answers without an ETag for an event the server stored rewritten, and a target
// that always refuses. A fault proxy (fault_proxy.py) sits between plancal and a real
// Radicale; the calendar is read back directly from Radicale with python3-caldav.

#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "caldav_servers.h"
#include "fault_proxy.h"
#include "test_support.h"

namespace plancal::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kPassword = "pw-Fault-7Kq2vX9s";
constexpr std::size_t kEvents = 42;  // kollegaveiledning for audience all

std::size_t count(const std::vector<ProxiedRequest>& requests, const std::string& method,
                  const std::string& status = "") {
  return std::count_if(requests.begin(), requests.end(), [&](const ProxiedRequest& r) {
    return r.method == method && (status.empty() || r.status == status);
  });
}

class SyncCaldavFaultIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    radicale_ = start_radicale();
    proxy_ = std::make_unique<FaultProxy>(dir_, radicale_->root_url);
    plan_ = dir_.write("plans/kollegaveiledning.yaml",
                       read_file(example_plan("kollegaveiledning.yaml")));
    const auto secret = dir_.write("radicale.pass", std::string(kPassword) + "\n");
    chmod(secret.c_str(), 0600);
  }

  /// A CalDAV target block for the config. Four writes in flight, to retry concurrently, so
  /// Radicale may leave a PUT unanswered (README, CalDAV targets): that should not cost 30 s.
  std::string target(const std::string& name, const std::string& url, int timeout = 10) const {
    return "  - name: " + name + "\n    plan: kollegaveiledning\n    audience: all\n" +
           "    caldav:\n      url: " + url + "\n      username: " + radicale_->user +
           "\n      password: {file: radicale.pass}\n      timeout_seconds: " +
           std::to_string(timeout) + "\n";
  }

  /// Writes the config with these targets; the default is Radicale's calendar via the proxy.
  void configure(const std::string& targets = "") {
    config_ = dir_.write(
        "plancal.yaml", "plan_dir: plans\ndatabase: var/plancal.db\ntargets:\n" +
                            (targets.empty() ? target("radicale", calendar_via_proxy()) : targets));
  }

  [[nodiscard]] std::string calendar_via_proxy() const {
    return proxy_->url(radicale_->calendar_url.substr(radicale_->root_url.size() - 1));
  }

  ProcessResult sync() const {
    return run_process({plancal_binary().string(), "sync", "--config", config_.string()}, {}, 90);
  }

  /// UID -> how many events carry it, read from Radicale directly by python3-caldav.
  std::map<std::string, int> remote_uids(const std::string& calendar_url = "") const {
    const auto run =
        run_process({kDebianPython, (source_dir() / "tests/integration/caldav_list.py").string(),
                     calendar_url.empty() ? radicale_->calendar_url : calendar_url, radicale_->user,
                     kPassword});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    std::map<std::string, int> uids;
    std::istringstream text(run.out);
    for (std::string line; std::getline(text, line);) ++uids[line.substr(0, line.find('\t'))];
    return uids;
  }

  /// Exactly the plan's 42 events, each once.
  void expect_all_events_once(const std::string& calendar_url = "") const {
    const auto uids = remote_uids(calendar_url);
    EXPECT_EQ(uids.size(), kEvents);
    for (const auto& [uid, copies] : uids) EXPECT_EQ(copies, 1) << uid;
  }

  /// Moves the weekly slot from 13:00 to 14:30.
  void move_the_slot() const {
    std::string text = read_file(plan_);
    const std::string from = R"(time: { start: "13:00", end: "14:00" })";
    text.replace(text.find(from), from.size(), R"(time: { start: "14:30", end: "15:30" })");
    dir_.write("plans/kollegaveiledning.yaml", text);
  }

  /// How many events Radicale holds starting at this local time, e.g. "T14:30".
  int events_at(const std::string& time) const {
    const auto run =
        run_process({kDebianPython, (source_dir() / "tests/integration/caldav_list.py").string(),
                     radicale_->calendar_url, radicale_->user, kPassword});
    int found = 0;
    for (std::size_t at = run.out.find(time); at != std::string::npos;
         at = run.out.find(time, at + 1)) {
      ++found;
    }
    return found;
  }

  TempDir dir_;
  std::unique_ptr<CaldavServer> radicale_;
  std::unique_ptr<FaultProxy> proxy_;
  fs::path plan_;
  fs::path config_;
};

TEST_F(SyncCaldavFaultIntegration, ThrottledRequestsWaitForRetryAfterAndTheSyncRecovers) {
  configure();
  // Not the first PUTs: Radicale may hang on one of those (README, CalDAV targets), and the
  // proxy would log the retry only once Radicale answered it.
  proxy_->set_rules(R"([
    {"method": "PROPFIND", "first": 2, "action": "status", "status": 503, "retry_after": 1},
    {"method": "PUT", "nth": 10, "action": "status", "status": 503, "retry_after": 1},
    {"method": "PUT", "nth": 11, "action": "status", "status": 503, "retry_after": 1},
    {"method": "PUT", "nth": 12, "action": "status", "status": 503, "retry_after": 1}])");
  const auto run = sync();
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("radicale: ok: 42 created"), std::string::npos) << run.out;
  expect_all_events_once();

  // Every 503 was followed by the same request again, no sooner than Retry-After said.
  const auto requests = proxy_->requests();
  ASSERT_EQ(count(requests, "PROPFIND", "503") + count(requests, "PUT", "503"), 5U);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].status != "503") continue;
    const auto retry = std::find_if(
        requests.begin() + static_cast<long>(i) + 1, requests.end(), [&](const ProxiedRequest& r) {
          return r.method == requests[i].method && r.path == requests[i].path;
        });
    ASSERT_NE(retry, requests.end()) << requests[i].method << " " << requests[i].path;
    // 1 s minus the log's millisecond rounding: the client waits after the answer arrived.
    EXPECT_GE(retry->arrived - requests[i].arrived, 0.998)
        << requests[i].method << " " << requests[i].path << " was retried too early";
  }
}

TEST_F(SyncCaldavFaultIntegration, ConnectionResetMidRequestConvergesWithoutDuplicates) {
  configure();
  // Two PUTs reach Radicale but their answers are lost (the retry finds the event there),
  // one is cut off before it gets there, and the first listing fails three times in a row.
  // Not the first PUTs: Radicale may hang on one of those (README, CalDAV targets), and the
  // proxy would still be waiting for its answer.
  proxy_->set_rules(R"([
    {"method": "PUT", "nth": 12, "action": "reset", "upstream": true},
    {"method": "PUT", "nth": 13, "action": "reset", "upstream": true},
    {"method": "PUT", "nth": 20, "action": "reset"},
    {"method": "REPORT", "first": 3, "action": "reset"}])");
  const auto run = sync();
  EXPECT_EQ(count(proxy_->requests(), "REPORT", "RESET"), 3U);
  EXPECT_EQ(count(proxy_->requests(), "PUT", "RESET"), 3U);
  if (run.exit_code != 0) {  // allowed, if it says so
    EXPECT_NE(run.err.find("radicale: error:"), std::string::npos) << run.err;
  } else {
    EXPECT_NE(run.out.find("radicale: ok:"), std::string::npos) << run.out;
  }
  proxy_->set_rules("[]");
  const auto rerun = sync();
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  EXPECT_NE(rerun.out.find("0 conflicts, 0 failed"), std::string::npos) << rerun.out;
  expect_all_events_once();
}

TEST_F(SyncCaldavFaultIntegration, ServerSlowerThanTheTimeoutFailsTheTargetAndLosesNothing) {
  configure(target("radicale", calendar_via_proxy(), 2));
  ASSERT_EQ(sync().exit_code, 0);
  move_the_slot();
  proxy_->set_rules(R"([{"action": "delay", "seconds": 3}])");
  const auto slow = sync();  // at most 90 s: a hang would end in SIGKILL (137)
  EXPECT_EQ(slow.exit_code, 1) << slow.out << slow.err;
  EXPECT_NE(slow.out.find("radicale: failed:"), std::string::npos) << slow.out;
  EXPECT_NE(slow.err.find("radicale: error:"), std::string::npos) << slow.err;
  EXPECT_NE(slow.err.find("timed out"), std::string::npos) << slow.err;
  EXPECT_NE(slow.err.find("timeout_seconds"), std::string::npos) << slow.err;
  EXPECT_EQ(events_at("T13:00"), 42) << "the calendar keeps what it had";

  proxy_->set_rules("[]");
  const auto rerun = sync();
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  EXPECT_NE(rerun.out.find("radicale: ok: 0 created, 42 updated"), std::string::npos) << rerun.out;
  expect_all_events_once();
  EXPECT_EQ(events_at("T14:30"), 42);
}

TEST_F(SyncCaldavFaultIntegration, RewrittenEventsWithoutEtagsAreNotWrittenAgain) {
  configure();
  proxy_->set_rules(R"([{"action": "rewrite"}])");
  const auto first = sync();
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_NE(first.out.find("radicale: ok: 42 created"), std::string::npos) << first.out;
  expect_all_events_once();
  // The proxy did rewrite what Radicale stores, so the test means something.
  int rewritten = 0;
  const fs::path stored = radicale_->storage->path() / "collections/collection-root/alice/calendar";
  for (const auto& file : fs::directory_iterator(stored)) {
    if (read_file(file.path()).find("X-SERVER-ADDED") != std::string::npos) ++rewritten;
  }
  EXPECT_EQ(rewritten, 42);

  for (const char* step : {"unchanged", "after a plan edit"}) {
    SCOPED_TRACE(step);
    proxy_->clear_log();
    const auto again = sync();
    ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
    EXPECT_NE(again.out.find("radicale: ok: 0 created, 0 updated, 0 deleted, 0 restored, "
                             "0 adopted, 42 unchanged, 0 conflicts, 0 failed (1 request)"),
              std::string::npos)
        << again.out;
    EXPECT_EQ(count(proxy_->requests(), "PUT"), 0U);
    EXPECT_EQ(proxy_->requests().size(), 1U);

    if (std::string(step) == "unchanged") {  // an update learns its ETag the same way
      move_the_slot();
      const auto edit = sync();
      ASSERT_EQ(edit.exit_code, 0) << edit.out << edit.err;
      EXPECT_NE(edit.out.find("radicale: ok: 0 created, 42 updated, 0 deleted, 0 restored, "
                              "0 adopted, 0 unchanged, 0 conflicts"),
                std::string::npos)
          << edit.out;
    }
  }
  EXPECT_EQ(events_at("T14:30"), 42);
}

TEST_F(SyncCaldavFaultIntegration, ATargetThatAlwaysFailsDoesNotStopTheOther) {
  const std::string good_calendar = radicale_->home_url + "good/";
  configure(target("broken", calendar_via_proxy()) + target("good", good_calendar) +
            "      create_calendar: true\n");
  const std::map<int, std::string> advice{{401, "check the target's username and password"},
                                          {500, "plancal tries again at the next sync"}};
  for (const auto& [status, what_to_do] : advice) {
    SCOPED_TRACE("HTTP " + std::to_string(status));
    proxy_->set_rules(R"([{"action": "status", "status": )" + std::to_string(status) + "}]");
    const auto run = sync();
    EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
    EXPECT_NE(run.out.find("good: ok: "), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("broken: failed: "), std::string::npos) << run.out;
    const std::string error =
        "broken: error: PROPFIND " + calendar_via_proxy() + ": HTTP " + std::to_string(status);
    EXPECT_NE(run.err.find(error), std::string::npos) << run.err;
    EXPECT_NE(run.err.find(what_to_do), std::string::npos) << run.err;
    EXPECT_EQ((run.out + run.err).find(kPassword), std::string::npos) << "the password leaked";
    expect_all_events_once(good_calendar);
  }
}

}  // namespace
}  // namespace plancal::testing
