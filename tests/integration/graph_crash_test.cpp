// kill -9 during a Graph push, 20 times at random points: every rerun converges, and no
// mailbox ever holds an event twice (events a killed run created are adopted by their
// plancalUid property, and retried POSTs carry the same transactionId).
#include <gtest/gtest.h>

#include <signal.h>

#include <random>
#include <thread>

#include "graph_workspace.h"

namespace plancal::testing {
namespace {

using nlohmann::json;

constexpr int kMailboxes = 24;
constexpr int kRuns = 20;

/// Each mailbox holds exactly its person's events, each once.
void expect_converged(GraphEmulator& emulator, GraphWorkspace& ws, int run) {
  std::map<char, std::map<std::string, std::string>> by_team;
  for (const char team : {'A', 'B', 'C'}) by_team[team] = ws.expected(std::string("team:") + team);
  for (int n = 0; n < kMailboxes; ++n) {
    const json mailbox = emulator.mailbox(graph_upn(n));
    std::multiset<std::string> uids;
    for (const json& event : mailbox.at("events")) uids.insert(plancal_uid(event));
    std::multiset<std::string> want;
    for (const auto& [uid, start] : by_team.at(GraphWorkspace::team_of(n)[0])) want.insert(uid);
    ASSERT_EQ(uids, want) << "run " << run << ", " << graph_upn(n);
  }
}

TEST(GraphCrashIntegration, KillNineAtRandomPointsConvergesWithoutDuplicates) {
  GraphEmulator emulator(kMailboxes, {"--latency", "0.02"});
  GraphWorkspace ws(kMailboxes, emulator.graph_url(), "      per_person: true\n");
  std::mt19937 random(20241124);
  // A fresh push takes about a second; a run that updates one event per mailbox far less.
  std::uniform_int_distribution<int> push_delay_ms(40, 700);
  std::uniform_int_distribution<int> update_delay_ms(20, 200);
  int killed_mid_run = 0;
  for (int run = 0; run < kRuns; ++run) {
    if (run % 2 == 0) {
      // A fresh push: empty mailboxes, but the store from the last run is kept half the time,
      // so both "nothing known" and "the store believes in events that are gone" are met.
      emulator.control("POST", "reset", json::object());
      if (run % 4 == 0) std::filesystem::remove(ws.dir.path() / "var" / "plancal.db");
    } else {
      ws.edit_plan(run % 4 == 1 ? "En dag på Milepælen" : "En annen dag på Milepælen",
                   run % 4 == 1 ? "En annen dag på Milepælen" : "En dag på Milepælen");
    }
    {
      ServerProcess sync({plancal_binary().string(), "sync", "--config", ws.config.string()},
                         ws.dir.path() / ("run-" + std::to_string(run) + ".log"));
      std::this_thread::sleep_for(std::chrono::milliseconds(
          run % 2 == 0 ? push_delay_ms(random) : update_delay_ms(random)));
      if (sync.running()) {
        ::kill(sync.pid(), SIGKILL);
        ++killed_mid_run;
      }
    }
    const ProcessResult rerun = ws.sync();
    ASSERT_EQ(rerun.exit_code, 0) << "run " << run << "\n" << rerun.out << rerun.err;
    expect_converged(emulator, ws, run);
  }
  EXPECT_GE(killed_mid_run, kRuns / 2) << "most kills should land while the push is running";
  EXPECT_LE(emulator.stats()["max_peak_in_flight"].get<int>(), 4);
}

}  // namespace
}  // namespace plancal::testing
