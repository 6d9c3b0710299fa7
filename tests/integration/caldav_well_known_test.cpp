// Discovery as RFC 6764 describes it, against a server with DAViCal 1.1's face: its root
// answers PROPFIND with 500, nothing lives below /.well-known/caldav/ (404), and only the
// well-known URL itself redirects to the DAV service. fault_proxy.py gives a real Cyrus that
// face (Cyrus redirects /.well-known/caldav to /dav/calendars, as DAViCal does to
// /caldav.php/); the calendar is read back from Cyrus directly with python3-caldav.

#include <sys/stat.h>

#include <algorithm>
#include <sstream>

#include <gtest/gtest.h>

#include "caldav_servers.h"
#include "fault_proxy.h"
#include "test_support.h"

namespace plancal::testing {
namespace {

constexpr std::size_t kEvents = 42;  // kollegaveiledning for audience all

class SyncCaldavWellKnownIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    cyrus_ = start_cyrus();
    proxy_ = std::make_unique<FaultProxy>(dir_, cyrus_->root_url);
    proxy_->set_rules(R"([
        {"method": "PROPFIND", "path": "/", "action": "status", "status": 500},
        {"path": "/.well-known/caldav/", "action": "status", "status": 404}])");
    dir_.write("plans/kollegaveiledning.yaml", read_file(example_plan("kollegaveiledning.yaml")));
    chmod(dir_.write("cyrus.pass", cyrus_->password + "\n").c_str(), 0600);
  }

  /// `plancal sync` of a target at `url` that may create its calendar "Kollegaveiledning".
  ProcessResult sync(const std::string& url) const {
    const auto config =
        dir_.write("plancal.yaml",
                   "plan_dir: plans\ndatabase: var/plancal.db\ntargets:\n"
                   "  - name: team\n    plan: kollegaveiledning\n    audience: all\n    caldav:\n"
                   "      url: " +
                       url + "\n      username: " + cyrus_->user +
                       "\n      password: {file: cyrus.pass}\n"
                       "      create_calendar: true\n      calendar_name: Kollegaveiledning\n");
    return run_process({plancal_binary().string(), "sync", "--config", config.string()}, {}, 90);
  }

  /// How many events python3-caldav finds in the calendar plancal should have made.
  std::size_t events_in_new_calendar() const {
    const auto run =
        run_process({kDebianPython, (source_dir() / "tests/integration/caldav_list.py").string(),
                     cyrus_->home_url + "kollegaveiledning/", cyrus_->user, cyrus_->password});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return static_cast<std::size_t>(std::count(run.out.begin(), run.out.end(), '\n'));
  }

  /// "METHOD PATH STATUS" of every request the proxy saw, one per line.
  std::string requests_seen() const {
    std::ostringstream text;
    for (const auto& r : proxy_->requests())
      text << r.method << " " << r.path << " " << r.status << "\n";
    return text.str();
  }

  /// Expects a first sync that made the calendar in Cyrus's calendar home and filled it, and
  /// a second one that costs one request.
  void expect_calendar_made_in_the_home(const std::string& url) {
    const ProcessResult first = sync(url);
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err << requests_seen() << cyrus_->log();
    EXPECT_NE(first.out.find("team: ok: 42 created"), std::string::npos) << first.out;
    EXPECT_EQ(events_in_new_calendar(), kEvents);
    const std::string home = cyrus_->home_url.substr(cyrus_->root_url.size() - 1);
    for (const auto& request : proxy_->requests()) {
      EXPECT_FALSE(request.method == "PROPFIND" && request.path == "/")
          << "the root was asked though the well-known URL answers:\n"
          << requests_seen();
      EXPECT_FALSE(request.method == "MKCALENDAR" && request.path != home + "kollegaveiledning/")
          << requests_seen();
    }
    const ProcessResult again = sync(url);
    EXPECT_NE(again.out.find("42 unchanged"), std::string::npos) << again.out << again.err;
    EXPECT_NE(again.out.find("(1 request)"), std::string::npos) << again.out;
  }

  TempDir dir_;
  std::unique_ptr<CaldavServer> cyrus_;
  std::unique_ptr<FaultProxy> proxy_;
};

TEST_F(SyncCaldavWellKnownIntegration, AServerRootStartsAtTheWellKnownUrlNotAtTheFailingRoot) {
  expect_calendar_made_in_the_home(proxy_->url("/"));
  const auto requests = proxy_->requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests.front().method + " " + requests.front().path, "PROPFIND /.well-known/caldav")
      << requests_seen();
}

TEST_F(SyncCaldavWellKnownIntegration, TheWellKnownUrlItselfLeadsToTheHomeAndIsNeverCreated) {
  expect_calendar_made_in_the_home(proxy_->url("/.well-known/caldav"));
}

}  // namespace
}  // namespace plancal::testing
