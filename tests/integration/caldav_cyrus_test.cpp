// What Cyrus IMAP (the server Fastmail runs) does that Radicale and Xandikos do not: it keeps
// one copy of a UID per account (RFC 6638's unique-scheduling-object-resource, applied to
// every event). Two targets whose audiences share meetings cannot share one Cyrus account:
// the second target's copies are refused, and plancal must say so event by event, count
// them, and say what to do. The rest of the CalDAV suites run against Cyrus too
// (caldav_sync_test.cpp, caldav_client_test.cpp, caldav_discovery_sync_test.cpp).

#include <sys/stat.h>

#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "caldav_servers.h"
#include "test_support.h"

namespace plancal::testing {
namespace {

/// Seed 000: 11 Monday seminars, each held once for Team A, B and C.
constexpr std::size_t kAllEvents = 33;
constexpr std::size_t kTeamAEvents = 11;

class SyncCyrusIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    cyrus_ = start_cyrus();
    for (const char* file : {"mandagsseminar-2024.yaml", "roster-milepaelen.csv"}) {
      dir_.write(std::string("plans/") + file, read_file(example_plan(file)));
    }
    chmod(dir_.write("cyrus.pass", cyrus_->password + "\n").c_str(), 0600);
    // Everyone's calendar, and Team A's own calendar in the same account.
    config_ = dir_.write("plancal.yaml",
                         "plans: [plans/mandagsseminar-2024.yaml]\ndatabase: var/plancal.db\n"
                         "targets:\n" +
                             target("alle", "all", cyrus_->calendar_url, "") +
                             target("team-a", "team:A", cyrus_->home_url + "team-a/",
                                    "      create_calendar: true\n"
                                    "      calendar_name: Team A\n"));
  }

  std::string target(const std::string& name, const std::string& audience, const std::string& url,
                     const std::string& extra) const {
    return "  - name: " + name + "\n    plan: mandagsseminar-2024\n    audience: " + audience +
           "\n    caldav:\n      url: " + url + "\n      username: " + cyrus_->user +
           "\n      password: {file: cyrus.pass}\n" + extra;
  }

  [[nodiscard]] ProcessResult sync(const std::string& target) const {
    return run_plancal({"sync", "--config", config_.string(), "--target", target});
  }

  /// The UIDs python3-caldav lists in a calendar, one per line.
  [[nodiscard]] std::vector<std::string> uids_in(const std::string& calendar_url) const {
    const auto run =
        run_process({kDebianPython, (source_dir() / "tests/integration/caldav_list.py").string(),
                     calendar_url, cyrus_->user, cyrus_->password});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    std::vector<std::string> uids;
    std::istringstream lines(run.out);
    for (std::string line; std::getline(lines, line);)
      uids.push_back(line.substr(0, line.find('\t')));
    return uids;
  }

  TempDir dir_;
  std::unique_ptr<CaldavServer> cyrus_;
  std::filesystem::path config_;
};

TEST_F(SyncCyrusIntegration, AnEventTheAccountHoldsInAnotherCalendarIsRefusedCountedAndExplained) {
  const ProcessResult everyone = sync("alle");
  ASSERT_EQ(everyone.exit_code, 0) << everyone.out << everyone.err << cyrus_->log();
  EXPECT_NE(everyone.out.find("alle: ok: 33 created"), std::string::npos) << everyone.out;

  const ProcessResult team = sync("team-a");
  EXPECT_EQ(team.exit_code, 1) << team.out << team.err;
  EXPECT_NE(team.out.find("team-a: partial: 0 created, 0 updated, 0 deleted, 0 restored, "
                          "0 adopted, 0 unchanged, 0 conflicts, 11 failed"),
            std::string::npos)
      << team.out << team.err;
  // One line per refused event, naming the copy that is in the way and what to do.
  const std::regex refused(
      R"(team-a: error: (\S+): PUT \S+: HTTP 403 \(refused: unique-scheduling-object-resource\): )"
      R"(the account already holds this UID at (\S+); hint: .*account of its own)");
  std::size_t lines = 0;
  std::istringstream err(team.err);
  for (std::string line; std::getline(err, line);) {
    std::smatch match;
    if (!std::regex_match(line, match, refused)) continue;
    ++lines;
    const std::string elsewhere = match[2];
    EXPECT_EQ(elsewhere.rfind(cyrus_->calendar_url.substr(cyrus_->root_url.size() - 1), 0), 0U)
        << "the copy named is in everyone's calendar: " << line;
    EXPECT_NE(elsewhere.find(match[1].str()), std::string::npos) << line;
  }
  EXPECT_EQ(lines, kTeamAEvents) << team.err;
  EXPECT_EQ(team.err.find("may not use this calendar"), std::string::npos)
      << "not an access problem: " << team.err;
  EXPECT_EQ(team.err.find(cyrus_->password), std::string::npos);

  EXPECT_TRUE(uids_in(cyrus_->home_url + "team-a/").empty());
  EXPECT_EQ(uids_in(cyrus_->calendar_url).size(), kAllEvents);

  // Nothing changes on a rerun: the events are refused, and counted, again.
  const ProcessResult rerun = sync("team-a");
  EXPECT_EQ(rerun.exit_code, 1);
  EXPECT_NE(rerun.out.find("0 conflicts, 11 failed"), std::string::npos) << rerun.out;
}

}  // namespace
}  // namespace plancal::testing
