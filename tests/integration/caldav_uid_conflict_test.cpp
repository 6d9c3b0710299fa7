// An event with a plancal UID already in the calendar under another name (put there by an
// import, another client, or a plancal run whose state database was lost): plancal adopts it
// and brings it up to date, never a second copy. Radicale answers the create with 409
// no-uid-conflict naming no href; Xandikos with a 207 holding a 412.

#include <sys/stat.h>

#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "caldav_servers.h"
#include "test_support.h"

namespace plancal::testing {
namespace {

class SyncCaldavUidConflictIntegration : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_ = GetParam() == "Radicale" ? start_radicale() : start_xandikos();
    plan_ = dir_.write("plans/kollegaveiledning.yaml",
                       read_file(example_plan("kollegaveiledning.yaml")));
    chmod(dir_.write("server.pass", "secret\n").c_str(), 0600);
    config_ = dir_.write("plancal.yaml",
                         "plan_dir: plans\ndatabase: var/plancal.db\ntargets:\n"
                         "  - name: team\n"
                         "    plan: kollegaveiledning\n"
                         "    audience: all\n"
                         "    caldav:\n"
                         "      url: " +
                             server_->calendar_url + "\n      username: " + server_->user +
                             "\n      password: {file: server.pass}\n")
                  .string();
  }

  /// The first event of the plan's own export, retitled, as another client would store it.
  std::string first_event_retitled() {
    const auto exported = run_plancal({"export", plan_.string()});
    EXPECT_EQ(exported.exit_code, 0) << exported.err;
    const std::string& ics = exported.out;
    const auto timezone_begin = ics.find("BEGIN:VTIMEZONE");
    const auto timezone_end = ics.find("END:VTIMEZONE\r\n") + 15;
    const auto event_begin = ics.find("BEGIN:VEVENT");
    const auto event_end = ics.find("END:VEVENT\r\n", event_begin) + 12;
    std::string event = ics.substr(event_begin, event_end - event_begin);
    event = std::regex_replace(event, std::regex("SUMMARY:"), "SUMMARY:Importert ");
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//import//EN\r\n" +
           ics.substr(timezone_begin, timezone_end - timezone_begin) + event + "END:VCALENDAR\r\n";
  }

  std::string get(const std::string& url) {
    return run_process({"curl", "-s", "-u", server_->user + ":secret", url}).out;
  }

  std::unique_ptr<CaldavServer> server_;
  TempDir dir_;
  std::filesystem::path plan_;
  std::string config_;
};

TEST_P(SyncCaldavUidConflictIntegration, AnEventWithPlancalsUidUnderAnotherNameIsAdopted) {
  const auto imported = dir_.write("imported.ics", first_event_retitled());
  const std::string elsewhere = server_->calendar_url + "imported-by-hand.ics";
  const auto put = run_process({"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-T",
                                imported.string(), "-H", "Content-Type: text/calendar", "-u",
                                server_->user + ":secret", elsewhere});
  ASSERT_EQ(put.out, "201") << put.err;

  const auto first = run_plancal({"sync", "--config", config_});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_NE(first.out.find("41 created, 1 updated"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("1 adopted"), std::string::npos) << first.out;

  const auto listed =
      run_process({kDebianPython, (source_dir() / "tests/integration/caldav_list.py").string(),
                   server_->calendar_url, server_->user, "secret"});
  std::istringstream lines(listed.out);
  int count = 0;
  for (std::string line; std::getline(lines, line);) ++count;
  EXPECT_EQ(count, 42) << listed.out;
  const std::string adopted = get(elsewhere);
  EXPECT_NE(adopted.find("SUMMARY:Kollegaveiledning"), std::string::npos) << adopted;
  EXPECT_EQ(adopted.find("Importert"), std::string::npos) << "the plan's text was not restored";

  const auto again = run_plancal({"sync", "--config", config_});
  EXPECT_NE(again.out.find("42 unchanged"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("(1 requests)"), std::string::npos) << again.out;
}

INSTANTIATE_TEST_SUITE_P(Servers, SyncCaldavUidConflictIntegration,
                         ::testing::Values("Radicale", "Xandikos"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace plancal::testing
