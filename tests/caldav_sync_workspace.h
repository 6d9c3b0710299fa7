#pragma once
/// A plancal workspace for `plancal sync` tests against a real CalDAV server: a plan with two
/// weekly slots (the kollegaveiledning example from September: 16 Thursdays at 13:00 across
/// the October change back to winter time; and six Monday "Fagmøte" at 09:00 across the March
/// change to summer time), a password file and a config with one CalDAV target named "team".
/// The calendar is read and changed with python3-caldav (tests/integration/caldav_list.py,
/// caldav_edit.py), a client plancal did not write, so the tests see what a calendar app sees.

#include <sys/stat.h>

#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "caldav_servers.h"
#include "test_support.h"

namespace plancal::testing {

/// Events in the workspace's plan: 16 kollegaveiledning + 6 Fagmøte.
inline constexpr std::size_t kPlanEvents = 22;

/// The report of a sync with nothing to do (without its request count).
inline constexpr const char* kNothingToDo =
    "ok: 0 created, 0 updated, 0 deleted, 0 restored, 0 adopted, 22 unchanged, 0 conflicts, "
    "0 failed";

/// The slot the tests change and remove: Mondays 10 March - 14 April 2025, six meetings.
inline constexpr const char* kFagmoteSlot =
    "  - key: fagmote\n"
    "    title: \"Fagmøte\"\n"
    "    weekday: MO\n"
    "    time: { start: \"09:00\", end: \"10:00\" }\n"
    "    from: 2025-03-10\n"
    "    until: 2025-04-14\n"
    "    audience: [all]\n";

inline std::string kollega_uid(int n) {
  return "kollegaveiledning.kollegaveiledning.kollegaveiledning.all." + std::to_string(n) +
         "@plancal";
}
inline std::string fagmote_uid(int n) {
  return "kollegaveiledning.fagmote.fagmote.all." + std::to_string(n) + "@plancal";
}

/// One resource of the calendar as python3-caldav reads it back (GET).
struct CalendarResource {
  std::string href;
  std::string etag;
  std::string body_sha256;  ///< of the bytes the server returns: "byte for byte the same"
  std::string uid;
  std::string start;  ///< DTSTART as an ISO time with offset, e.g. 2025-01-02T13:00:00+01:00
  std::string tzid;   ///< the DTSTART's TZID parameter ("" for UTC times)
  std::string summary;
  std::string sequence;  ///< SEQUENCE as written, "" when none
  std::string alarms;    ///< each VALARM's TRIGGER (e.g. -PT19H), joined by commas
  bool operator==(const CalendarResource&) const = default;
};

/// What the calendar holds, by UID.
using CalendarContents = std::map<std::string, CalendarResource>;

/// A server to run the suite against (the test parameter).
struct CaldavServerKind {
  std::string name;
  std::function<std::unique_ptr<CaldavServer>()> start;
  int max_in_flight = 4;  ///< plancal's concurrent writes to it
};

/// Radicale 3.1.8 with Debian 12's python3-dateutil 2.8.2 can hang a request forever when
/// two PUTs carrying the same VTIMEZONE are parsed at once (rrule._iter_cached keeps its lock
/// when the rule runs out, and every event shares the zone's cached rules); plancal's retry
/// recovers after timeout_seconds, but the test would wait 30 s. One write at a time avoids it.
inline const CaldavServerKind kRadicale{"Radicale", start_radicale, 1};
inline const CaldavServerKind kXandikos{"Xandikos", start_xandikos, 4};
inline const CaldavServerKind kCyrus{"Cyrus", start_cyrus, 4};

class CaldavSyncWorkspace {
 public:
  CaldavSyncWorkspace(const CaldavServer& server, int max_in_flight)
      : server_(server), max_in_flight_(max_in_flight) {
    std::string text = read_file(example_plan("kollegaveiledning.yaml")) + kFagmoteSlot;
    text.replace(text.find("from: 2025-01-02"), 16, "from: 2025-09-04");  // fewer writes
    plan_ = dir_.write("plans/kollegaveiledning.yaml", text);
    const auto secret = dir_.write("caldav.pass", server_.password + "\n");
    ::chmod(secret.c_str(), 0600);
    write_config("restore");
  }

  /// A config whose target "team" has this on_remote_change policy.
  void write_config(const std::string& on_remote_change) {
    std::string text = "plan_dir: plans\ndatabase: var/plancal.db\ntargets:\n";
    text += "  - name: team\n    plan: kollegaveiledning\n    audience: all\n";
    text += "    on_remote_change: " + on_remote_change + "\n";
    text += "    caldav:\n      url: " + server_.calendar_url + "\n";
    text += "      username: " + server_.user + "\n";
    text += "      password: {file: caldav.pass}\n";
    text += "      max_in_flight: " + std::to_string(max_in_flight_) + "\n";
    config_ = dir_.write("plancal.yaml", text);
  }

  [[nodiscard]] ProcessResult sync(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args{"sync", "--config", config_.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_plancal(args);
  }

  /// The target's report line without its request count, e.g. "ok: 22 created, 0 updated,
  /// ... 0 failed"; "" when there is none.
  static std::string outcome(const ProcessResult& run) {
    const std::string line = report_line(run);
    return line.empty() ? line : line.substr(0, line.rfind(" ("));
  }

  /// The request count of the target's report line; -1 when there is none.
  static int requests(const ProcessResult& run) {
    const std::string line = report_line(run);
    const auto open = line.rfind(" (");
    return open == std::string::npos ? -1 : std::stoi(line.substr(open + 2));
  }

  /// uid -> start ("2025-01-02T13:00:00+01:00") of what `plancal expand` gives audience all.
  [[nodiscard]] std::map<std::string, std::string> expected() const {
    const ProcessResult run =
        run_plancal({"expand", plan_.string(), "--audience", "all", "--format", "json"});
    std::map<std::string, std::string> out;
    for (const auto& occurrence : nlohmann::json::parse(run.out)) {
      out[occurrence.at("uid")] = occurrence.at("start");
    }
    return out;
  }

  /// Every resource of the calendar by UID, read with python3-caldav; a UID held by two
  /// resources fails the test.
  [[nodiscard]] CalendarContents contents() const {
    const ProcessResult run = python("caldav_list.py", {"--resources"});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    CalendarContents out;
    std::istringstream lines(run.out);
    for (std::string line; std::getline(lines, line);) {
      const CalendarResource resource = parse(line);
      EXPECT_TRUE(out.emplace(resource.uid, resource).second) << "duplicate UID " << resource.uid;
    }
    return out;
  }

  /// Changes the calendar as another client would: caldav_edit.py ACTION ARGS.
  void edit(const std::vector<std::string>& action) const {
    const ProcessResult run = python("caldav_edit.py", action);
    ASSERT_EQ(run.exit_code, 0) << action.front() << ": " << run.out << run.err;
  }

  void replace_in_plan(const std::string& from, const std::string& to) {
    std::string text = read_file(plan_);
    const auto at = text.find(from);
    if (at == std::string::npos) throw std::runtime_error("not in the plan: " + from);
    text.replace(at, from.size(), to);
    write_plan(text);
  }

  /// Drops the Fagmøte slot (the plan's last lines) from the plan, whatever its time says.
  void remove_fagmote() {
    const std::string text = read_file(plan_);
    write_plan(text.substr(0, text.find("  - key: fagmote\n")));
  }

  void write_plan(const std::string& text) { dir_.write("plans/kollegaveiledning.yaml", text); }
  [[nodiscard]] const TempDir& dir() const { return dir_; }
  [[nodiscard]] std::string plan_text() const { return read_file(plan_); }
  /// The workspace folder: the config, plans/, and var/plancal.db once something wrote it.
  [[nodiscard]] const std::filesystem::path& folder() const { return dir_.path(); }
  [[nodiscard]] const std::filesystem::path& config() const { return config_; }

 private:
  static std::string report_line(const ProcessResult& run) {
    std::istringstream lines(run.out);
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("team: ")) return line.substr(6);
    }
    return {};
  }

  [[nodiscard]] ProcessResult python(const std::string& script,
                                     const std::vector<std::string>& args) const {
    std::vector<std::string> argv{kDebianPython,
                                  (source_dir() / "tests/integration" / script).string(),
                                  server_.calendar_url, server_.user, server_.password};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv);
  }

  static CalendarResource parse(const std::string& line) {
    std::vector<std::string> fields;
    std::istringstream in(line);
    for (std::string field; std::getline(in, field, '\t');) fields.push_back(field);
    fields.resize(9);
    return CalendarResource{fields[0], fields[1], fields[2], fields[3], fields[4],
                            fields[5], fields[6], fields[7], fields[8]};
  }

  const CaldavServer& server_;
  int max_in_flight_;
  TempDir dir_;
  std::filesystem::path plan_;
  std::filesystem::path config_;
};

inline void PrintTo(const CaldavServerKind& kind, std::ostream* out) { *out << kind.name; }

/// The suite: every test gets a freshly started server of the parameter's kind and a
/// workspace pointing at its calendar.
class SyncCaldavIntegration : public ::testing::TestWithParam<CaldavServerKind> {
 protected:
  void SetUp() override {
    server_ = GetParam().start();
    ws_ = std::make_unique<CaldavSyncWorkspace>(*server_, GetParam().max_in_flight);
  }

  /// A sync that must succeed; its output on failure, with the server's log.
  ProcessResult sync_ok(const std::vector<std::string>& extra = {}) {
    ProcessResult run = ws_->sync(extra);
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err << "\n" << server_->log();
    return run;
  }

  CaldavSyncWorkspace& ws() { return *ws_; }
  CaldavServer& server() { return *server_; }

 private:
  std::unique_ptr<CaldavServer> server_;
  std::unique_ptr<CaldavSyncWorkspace> ws_;
};

/// The resources of `contents` whose UID is not in `leave_out`.
inline CalendarContents without(CalendarContents contents,
                                const std::vector<std::string>& leave_out) {
  for (const auto& uid : leave_out) contents.erase(uid);
  return contents;
}

}  // namespace plancal::testing
