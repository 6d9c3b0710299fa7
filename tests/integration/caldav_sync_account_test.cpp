// `plancal sync` after the target's account changes (issue 13), against a real Radicale: the
// calendar found by discovery belongs to the account it was found with, so a new `username:`
// (or `url:`) starts discovery again instead of writing into a calendar the new account may
// not use. Radicale lets each user reach only their own calendars, as most servers do.

#include <sys/stat.h>

#include <sstream>

#include <gtest/gtest.h>

#include "caldav_servers.h"
#include "test_support.h"

namespace plancal::testing {
namespace {

/// The UIDs python3-caldav lists in the calendar at `url`, read as `user`.
std::vector<std::string> events_in(const std::string& url, const std::string& user) {
  const auto run =
      run_process({kDebianPython, (source_dir() / "tests/integration/caldav_list.py").string(), url,
                   user, "secret"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::string> lines;
  std::istringstream text(run.out);
  for (std::string line; std::getline(text, line);) lines.push_back(line);
  return lines;
}

TEST(SyncCaldavAccountIntegration, ANewUsernameStartsDiscoveryAgain) {
  const auto server = start_radicale();
  TempDir dir;
  std::string plan = read_file(example_plan("kollegaveiledning.yaml"));
  plan.replace(plan.find("from: 2025-01-02"), 16, "from: 2025-09-04");  // 16 events
  dir.write("plans/kollegaveiledning.yaml", plan);
  chmod(dir.write("server.pass", "secret\n").c_str(), 0600);
  const auto config = [&](const std::string& user) {
    return dir
        .write("plancal.yaml",
               "plan_dir: plans\ndatabase: var/plancal.db\ntargets:\n"
               "  - name: team\n    plan: kollegaveiledning\n    audience: all\n"
               "    caldav:\n      url: " +
                   server->root_url + "\n      username: " + user +
                   "\n      password: {file: server.pass}\n      max_in_flight: 1\n"
                   "      create_calendar: true\n      calendar_name: Kollegaveiledning\n")
        .string();
  };

  const auto first = run_plancal({"sync", "--config", config(server->user)});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err << server->log();
  EXPECT_NE(first.out.find("team: ok: 16 created"), std::string::npos) << first.out;
  const std::string alice = server->root_url + server->user + "/kollegaveiledning/";
  EXPECT_EQ(events_in(alice, server->user).size(), 16U);

  // The target now writes as another account: its calendar is found (here: made) in that
  // account's own home, and the first account's calendar is left as it was.
  const auto moved = run_plancal({"sync", "--config", config("bob")});
  ASSERT_EQ(moved.exit_code, 0) << moved.out << moved.err << server->log();
  EXPECT_NE(moved.out.find("team: ok: 16 created"), std::string::npos) << moved.out;
  EXPECT_EQ(events_in(server->root_url + "bob/kollegaveiledning/", "bob").size(), 16U);
  EXPECT_EQ(events_in(alice, server->user).size(), 16U);

  const auto again = run_plancal({"sync", "--config", config("bob")});
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("16 unchanged"), std::string::npos) << again.out;
}

}  // namespace
}  // namespace plancal::testing
