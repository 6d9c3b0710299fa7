// kill -9 during `plancal sync` to a CalDAV calendar, at random points of creates, updates and
// deletes of a 300-event plan (8 times each against Radicale and Xandikos; 40 against Radicale
// in the soak run): after each kill a normal rerun converges to exactly the plan's events —
// each UID once, at the planned time — its summary counts every event once (the writes the
// killed run made too), and one more run is a no-op.

#include <sys/stat.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "caldav_servers.h"
#include "expand/expander.h"
#include "plan/loader.h"
#include "test_support.h"

namespace plancal::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr unsigned kSeed = 20241125;  // PLANCAL_CRASH_SEED overrides it

/// Three weekly slots through 2025-2026 (about 300 events). Variant 1 moves slot b to 11:00
/// (updates); variant 2 cancels one Monday (a delete, and the later Mondays renumbered) and
/// ends slot c in June 2026 (deletes).
std::string crash_plan(int variant) {
  const auto slot = [](const char* key, const char* weekday, const char* start, const char* end,
                       const char* until, const char* extra) {
    return std::string("  - key: ") + key + "\n    title: \"Møte " + key +
           "\"\n    weekday: " + weekday + "\n    time: { start: \"" + start + "\", end: \"" + end +
           "\" }\n    from: 2025-01-01\n    until: " + until + "\n" + extra;
  };
  return "plan: crash\ntitle: \"Crash test\"\ntimezone: Europe/Oslo\nweekly:\n" +
         slot("a", "MO", "09:00", "10:00", "2026-12-31",
              variant == 2 ? "    except: [2025-03-03]\n" : "") +
         slot("b", "TU", variant == 1 ? "11:00" : "10:00", variant == 1 ? "12:00" : "11:00",
              "2026-12-31", "") +
         slot("c", "WE", "12:00", "13:00", variant == 2 ? "2026-06-30" : "2026-12-31", "");
}

/// "UID\tYYYY-MM-DDTHH:MM" for every event of the plan file, as caldav_list.py shows them.
std::multiset<std::string> expected_events(const fs::path& plan_file) {
  PlanLoad load = load_plan_file(plan_file.string());
  if (!load.plan) throw std::runtime_error("the generated plan does not load");
  std::multiset<std::string> events;
  for (const auto& o : expand_plan(*load.plan)) {
    events.insert(o.uid + "\t" + format_date(o.start.date) + "T" + format_time(o.start.time));
  }
  return events;
}

/// The calendar's events read by python3-caldav, DTSTART cut to local date, hour and minute.
std::multiset<std::string> remote_events(const CaldavServer& server, const std::string& url) {
  const auto run =
      run_process({kDebianPython, (source_dir() / "tests/integration/caldav_list.py").string(), url,
                   server.user, "secret"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::multiset<std::string> events;
  std::istringstream text(run.out);
  for (std::string line; std::getline(text, line);) {
    events.insert(line.substr(0, line.find('\t') + 17));
  }
  return events;
}

/// created + updated + restored + adopted + unchanged (+ failed) of the target's report line:
/// every event of the plan is counted once, also those a killed run wrote and the rerun
/// settled from its intents. -1 when there is no report line.
int accounted_for(const std::string& out) {
  const auto at = out.find("crash: ");
  if (at == std::string::npos) return -1;
  std::istringstream line(out.substr(at, out.find('\n', at) - at));
  int total = 0;
  std::string word;
  for (long number = 0; line >> word;) {
    if (std::isdigit(static_cast<unsigned char>(word[0])) != 0) {
      number = std::stol(word);
    } else if (word.starts_with("created") || word.starts_with("updated") ||
               word.starts_with("restored") || word.starts_with("adopted") ||
               word.starts_with("unchanged") || word.starts_with("failed")) {
      total += static_cast<int>(number);
    }
  }
  return total;
}

unsigned seed() {
  const char* text = std::getenv("PLANCAL_CRASH_SEED");
  return text != nullptr ? static_cast<unsigned>(std::strtoul(text, nullptr, 10)) : kSeed;
}

class Workspace {
 public:
  /// `settings`: more lines for the target's caldav section.
  Workspace(const CaldavServer& server, std::string settings)
      : server_(server), settings_(std::move(settings)) {
    const auto secret = dir_.write("caldav.pass", "secret\n");
    chmod(secret.c_str(), 0600);
  }

  /// Points the target at a new, not yet existing calendar (plancal creates it).
  void new_calendar() {
    url_ = server_.home_url + "crash-" + std::to_string(++calendars_) + "/";
    dir_.write("plancal.yaml",
               "plan_dir: plans\ndatabase: var/plancal.db\ntargets:\n  - name: crash\n"
               "    plan: crash\n    audience: all\n    caldav:\n      url: " +
                   url_ + "\n      username: " + server_.user +
                   "\n      password: {file: caldav.pass}\n      create_calendar: true\n" +
                   settings_);
  }

  void write_plan(int variant) { plan_ = dir_.write("plans/crash.yaml", crash_plan(variant)); }

  [[nodiscard]] std::vector<std::string> sync_argv() const {
    return {plancal_binary().string(), "sync", "--config", (dir_.path() / "plancal.yaml").string()};
  }
  [[nodiscard]] ProcessResult sync() const { return run_process(sync_argv()); }
  [[nodiscard]] int plan_size() const { return static_cast<int>(expected_events(plan_).size()); }

  /// The calendar holds exactly the plan's events, each once; one more run writes nothing.
  void expect_converged() const {
    const auto want = expected_events(plan_);
    ASSERT_EQ(remote_events(server_, url_), want);
    const auto again = sync();
    ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
    EXPECT_NE(again.out.find("crash: ok: 0 created, 0 updated, 0 deleted, 0 restored, "
                             "0 adopted, " +
                             std::to_string(want.size()) +
                             " unchanged, 0 conflicts, 0 failed (1 request)"),
              std::string::npos)
        << again.out;
  }

 private:
  const CaldavServer& server_;
  std::string settings_;
  TempDir dir_;
  fs::path plan_;
  std::string url_;
  int calendars_ = 0;
};

/// The kill loop: a measured full sync, then `runs` killed syncs, each followed by a rerun.
void kill_at_random_points(const CaldavServer& server, int runs, const std::string& settings) {
  SCOPED_TRACE(server.name);
  Workspace ws(server, settings);
  ws.new_calendar();
  ws.write_plan(0);
  const auto started = Clock::now();
  const auto first = ws.sync();
  const auto full_sync =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  ASSERT_NE(first.out.find("crash: ok: 308 created"), std::string::npos) << first.out;
  ws.expect_converged();

  const unsigned run_seed = seed();
  SCOPED_TRACE("random seed " + std::to_string(run_seed) + " (set PLANCAL_CRASH_SEED to repeat)");
  std::mt19937 random(run_seed);
  // A plan edit rewrites a third to two thirds of the events: its kills come sooner.
  std::uniform_int_distribution<long> push_delay_ms(0, full_sync.count());
  std::uniform_int_distribution<long> edit_delay_ms(0, full_sync.count() / 2);
  int variant = 0;
  int killed = 0;
  for (int run = 1; run <= runs; ++run) {
    SCOPED_TRACE("run " + std::to_string(run));
    const bool fresh_push = run % 5 == 0;
    if (fresh_push) {
      ws.new_calendar();  // creates
    } else {
      variant = (variant + 1) % 3;  // updates, deletes, and creates back
      ws.write_plan(variant);
    }
    const long delay = fresh_push ? push_delay_ms(random) : edit_delay_ms(random);
    if (kill_after(spawn_quietly(ws.sync_argv()), std::chrono::milliseconds(delay))) ++killed;
    const auto rerun = ws.sync();
    ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
    EXPECT_NE(rerun.out.find("0 conflicts, 0 failed"), std::string::npos) << rerun.out;
    EXPECT_EQ(accounted_for(rerun.out), ws.plan_size()) << "the counts add up\n" << rerun.out;
    ws.expect_converged();
    if (::testing::Test::HasFatalFailure()) return;
  }
  std::printf(
      "[ caldav crash ] %s: %d runs, %d killed mid-sync; a full sync of 308 events took %lld ms\n",
      server.name.c_str(), runs, killed, static_cast<long long>(full_sync.count()));
  // Not half: a loaded machine measures a slow first sync, and later runs then often finish.
  EXPECT_GE(killed, runs / 4) << "too few kills landed while the sync was running; the first "
                                 "sync said:\n"
                              << first.err;
}

// Radicale takes one write at a time, as the README advises for Radicale 3.1.8 on Debian 12
// (it may hang a PUT parsed beside another), with a short timeout in case it still does. Its
// full sync of 308 events is the slowest of the servers, so CI kills it 8 times (a fresh push
// among them) and the soak run 40 times.
constexpr const char* kRadicaleSettings = "      max_in_flight: 1\n      timeout_seconds: 5\n";

TEST(SyncCaldavCrashIntegration, RadicaleKilledAtRandomPointsConvergesWithoutDuplicates) {
  kill_at_random_points(*start_radicale(), 8, kRadicaleSettings);
}

TEST(SyncCaldavCrashSoak, RadicaleKilledFortyTimesConvergesWithoutDuplicates) {
  kill_at_random_points(*start_radicale(), 40, kRadicaleSettings);
}

TEST(SyncCaldavCrashIntegration, XandikosKilledAtRandomPointsConvergesWithoutDuplicates) {
  kill_at_random_points(*start_xandikos(), 8, "");  // four writes in flight
}

}  // namespace
}  // namespace plancal::testing
