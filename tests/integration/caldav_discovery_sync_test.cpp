// `plancal sync` with a CalDAV target that names a server root rather than a calendar, the
// way an admin often starts: plancal discovers the calendar home and finds the calendar by
// name, or creates it there with create_calendar. Against real Radicale and Xandikos.

#include <sys/stat.h>

#include <sstream>

#include <gtest/gtest.h>

#include "caldav_servers.h"
#include "test_support.h"

namespace plancal::testing {
namespace {

class SyncCaldavDiscoveryIntegration : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_ = GetParam() == "Radicale" ? start_radicale() : start_xandikos();
    dir_.write("plans/kollegaveiledning.yaml", read_file(example_plan("kollegaveiledning.yaml")));
    chmod(dir_.write("server.pass", "secret\n").c_str(), 0600);
  }

  std::string config(const std::string& caldav_extra) {
    return dir_
        .write("plancal.yaml",
               "plan_dir: plans\ndatabase: var/plancal.db\ntargets:\n"
               "  - name: team\n"
               "    plan: kollegaveiledning\n"
               "    audience: all\n"
               "    caldav:\n"
               "      url: " +
                   server_->root_url + "\n      username: " + server_->user +
                   "\n      password: {file: server.pass}\n" + caldav_extra)
        .string();
  }

  /// The UIDs python3-caldav lists in the calendar at `url`, one per line.
  std::vector<std::string> events_in(const std::string& url) {
    const auto run =
        run_process({kDebianPython, (source_dir() / "tests/integration/caldav_list.py").string(),
                     url, server_->user, "secret"});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    std::vector<std::string> lines;
    std::istringstream text(run.out);
    for (std::string line; std::getline(text, line);) lines.push_back(line);
    return lines;
  }

  /// The calendar home's PROPFIND (Depth 1) answer: names every collection in it.
  std::string home_listing() {
    return run_process({"curl", "-s", "-X", "PROPFIND", "-H", "Depth: 1", "-u",
                        server_->user + ":secret", server_->home_url})
        .out;
  }

  std::unique_ptr<CaldavServer> server_;
  TempDir dir_;
};

TEST_P(SyncCaldavDiscoveryIntegration, AServerRootWithCreateCalendarMakesTheNamedCalendar) {
  const std::string file = config(
      "      create_calendar: true\n"
      "      calendar_name: Kollegaveiledning høst\n");
  const auto dry = run_plancal({"sync", "--config", file, "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.out << dry.err;
  EXPECT_NE(dry.err.find("would create the calendar"), std::string::npos) << dry.err;
  EXPECT_NE(dry.out.find("team: would create 42"), std::string::npos) << dry.out;
  ASSERT_NE(home_listing().find("calendar/"), std::string::npos) << home_listing();
  EXPECT_EQ(home_listing().find("kollegaveiledning-h-st"), std::string::npos)
      << "a dry run made the calendar";

  const auto first = run_plancal({"sync", "--config", file});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err << server_->log();
  EXPECT_NE(first.out.find("team: ok: 42 created"), std::string::npos) << first.out;

  // In the user's calendar home, named from the display name; the existing calendar is
  // left alone.
  EXPECT_EQ(events_in(server_->home_url + "kollegaveiledning-h-st/").size(), 42U);
  EXPECT_TRUE(events_in(server_->calendar_url).empty());

  const auto again = run_plancal({"sync", "--config", file});
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("42 unchanged"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("(1 requests)"), std::string::npos) << again.out;
}

TEST_P(SyncCaldavDiscoveryIntegration, AServerRootFindsTheCalendarByItsName) {
  // First make the calendar (as another tool would have), then point a fresh state at it.
  const auto made =
      run_plancal({"sync", "--config",
                   config("      create_calendar: true\n      calendar_name: Veiledning\n")});
  ASSERT_EQ(made.exit_code, 0) << made.out << made.err;
  std::filesystem::remove_all(dir_.path() / "var");

  const auto found = run_plancal({"sync", "--config", config("      calendar_name: Veiledning\n")});
  ASSERT_EQ(found.exit_code, 0) << found.out << found.err;
  EXPECT_NE(found.out.find("42 adopted"), std::string::npos)
      << "the events already there are plancal's own: adopted, not duplicated\n"
      << found.out;
  EXPECT_EQ(events_in(server_->home_url + "veiledning/").size(), 42U);
}

TEST_P(SyncCaldavDiscoveryIntegration, AnUnknownCalendarNameIsAnErrorThatSaysWhatToDo) {
  const auto run = run_plancal({"sync", "--config", config("      calendar_name: Finnes ikke\n")});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.err.find("name one with calendar_name"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("create_calendar: true"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("secret"), std::string::npos) << run.err;
  EXPECT_TRUE(events_in(server_->calendar_url).empty());
}

INSTANTIATE_TEST_SUITE_P(Servers, SyncCaldavDiscoveryIntegration,
                         ::testing::Values("Radicale", "Xandikos"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace plancal::testing
