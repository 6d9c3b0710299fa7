// `plancal sync` finding what is already on the server, against real Radicale, Xandikos and
// Cyrus: a target that names a server root or /.well-known/caldav rather than a calendar, the
// way an admin often starts (plancal discovers the calendar home and finds the calendar by
// name, or creates it there with create_calendar); and an event with a plancal UID already
// stored under another name (an import, another client, a lost state database), which is
// adopted, never copied. Radicale answers that create with 409 no-uid-conflict naming no
// href, Xandikos with a 207 holding a 412, Cyrus with a 403 unique-scheduling-object-resource
// naming the resource.

#include <sys/stat.h>

#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "caldav_servers.h"
#include "test_support.h"

namespace plancal::testing {
namespace {

class SyncCaldavDiscoveryIntegration : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_ = start_caldav_server(GetParam());
    dir_.write("plans/kollegaveiledning.yaml", read_file(example_plan("kollegaveiledning.yaml")));
    chmod(dir_.write("server.pass", server_->password + "\n").c_str(), 0600);
  }

  /// A config whose target "team" points at `url` (the server root unless said otherwise).
  std::string config(const std::string& caldav_extra, const std::string& url = "") {
    return dir_
        .write("plancal.yaml",
               "plan_dir: plans\ndatabase: var/plancal.db\ntargets:\n"
               "  - name: team\n"
               "    plan: kollegaveiledning\n"
               "    audience: all\n"
               "    caldav:\n"
               "      url: " +
                   (url.empty() ? server_->root_url : url) + "\n      username: " + server_->user +
                   "\n      password: {file: server.pass}\n"
                   // Radicale on Debian 12 can hang concurrent PUTs (README, CalDAV targets).
                   "      max_in_flight: 1\n" +
                   caldav_extra)
        .string();
  }

  /// The UIDs python3-caldav lists in the calendar at `url`, one per line.
  std::vector<std::string> events_in(const std::string& url) {
    const auto run =
        run_process({kDebianPython, (source_dir() / "tests/integration/caldav_list.py").string(),
                     url, server_->user, server_->password});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    std::vector<std::string> lines;
    std::istringstream text(run.out);
    for (std::string line; std::getline(text, line);) lines.push_back(line);
    return lines;
  }

  /// The calendar home's PROPFIND (Depth 1) answer: names every collection in it.
  std::string home_listing() {
    return curl({"-X", "PROPFIND", "-H", "Depth: 1", server_->home_url});
  }

  /// The first event of the plan's own export, retitled, as another client would store it.
  std::string first_event_retitled() {
    const auto exported =
        run_plancal({"export", (dir_.path() / "plans/kollegaveiledning.yaml").string()});
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

  std::string curl(std::vector<std::string> args) {
    args.insert(args.begin(), {"curl", "-s", "-u", server_->user + ":" + server_->password});
    return run_process(args).out;
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
  const std::string existing = server_->calendar_url.substr(server_->root_url.size() - 1);
  ASSERT_NE(home_listing().find(existing), std::string::npos) << home_listing();
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
  EXPECT_NE(again.out.find("(1 request)"), std::string::npos) << again.out;
}

TEST_P(SyncCaldavDiscoveryIntegration, TheWellKnownUrlLeadsToTheCalendarHome) {
  // RFC 6764: /.well-known/caldav redirects to where the service is (Radicale and Xandikos
  // to their root, Cyrus to /dav/calendars); the calendar goes into the user's home.
  const std::string file = config(
      "      create_calendar: true\n"
      "      calendar_name: Veiledning\n",
      server_->root_url + ".well-known/caldav");
  const auto first = run_plancal({"sync", "--config", file});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err << server_->log();
  EXPECT_NE(first.out.find("team: ok: 42 created"), std::string::npos) << first.out;
  EXPECT_EQ(events_in(server_->home_url + "veiledning/").size(), 42U);
  EXPECT_TRUE(events_in(server_->calendar_url).empty());
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

TEST_P(SyncCaldavDiscoveryIntegration, AnEventWithPlancalsUidUnderAnotherNameIsAdopted) {
  const auto imported = dir_.write("imported.ics", first_event_retitled());
  const std::string elsewhere = server_->calendar_url + "imported-by-hand.ics";
  ASSERT_EQ(curl({"-o", "/dev/null", "-w", "%{http_code}", "-T", imported.string(), "-H",
                  "Content-Type: text/calendar", elsewhere}),
            "201");
  const std::string file = config("", server_->calendar_url);

  const auto first = run_plancal({"sync", "--config", file});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_NE(first.out.find("41 created, 1 updated"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("1 adopted"), std::string::npos) << first.out;
  EXPECT_EQ(events_in(server_->calendar_url).size(), 42U);
  const std::string adopted = curl({elsewhere});
  EXPECT_NE(adopted.find("SUMMARY:Kollegaveiledning"), std::string::npos) << adopted;
  EXPECT_EQ(adopted.find("Importert"), std::string::npos) << "the plan's text was not restored";

  const auto again = run_plancal({"sync", "--config", file});
  EXPECT_NE(again.out.find("42 unchanged"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("(1 request)"), std::string::npos) << again.out;
}

INSTANTIATE_TEST_SUITE_P(Servers, SyncCaldavDiscoveryIntegration,
                         ::testing::Values("Radicale", "Xandikos", "Cyrus"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace plancal::testing
