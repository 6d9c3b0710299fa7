// `plancal sync` tells a person at a terminal how far it has come: a progress line on stderr
// (targets done, writes answered, rate, time left) that is erased before the summary, which
// alone goes to stdout. Off a terminal nothing extra is printed. The terminal is a real
// pseudo-terminal (tests/integration/tty_run.py, Python's pty module), the target a real
// Xandikos.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "caldav_servers.h"
#include "test_support.h"

namespace plancal::testing {
namespace {

class SyncProgressIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = start_xandikos();
    dir_.write("plans/kollegaveiledning.yaml", read_file(example_plan("kollegaveiledning.yaml")));
    const auto secret = dir_.write("caldav.pass", "not-checked-by-the-test-server\n");
    std::filesystem::permissions(
        secret, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    config_ = dir_.write("plancal.yaml",
                         "plan_dir: plans\ndatabase: var/plancal.db\ntargets:\n"
                         "  - name: team\n    plan: kollegaveiledning\n    audience: all\n"
                         "    caldav:\n      url: " +
                             server_->calendar_url + "\n      username: " + server_->user +
                             "\n      password: {file: caldav.pass}\n");
  }

  [[nodiscard]] std::vector<std::string> sync_args() const {
    return {plancal_binary().string(), "sync", "--config", config_.string(), "--now", "1735689600"};
  }

  /// The sync with stderr on a terminal: exit code, stdout and what the terminal showed.
  [[nodiscard]] nlohmann::json sync_on_terminal() const {
    std::vector<std::string> argv{kDebianPython,
                                  (source_dir() / "tests/integration/tty_run.py").string()};
    for (const auto& arg : sync_args()) argv.push_back(arg);
    const ProcessResult run = run_process(argv);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return nlohmann::json::parse(run.out);
  }

  std::unique_ptr<CaldavServer> server_;
  TempDir dir_;
  std::filesystem::path config_;
};

TEST_F(SyncProgressIntegration, OnATerminalProgressGoesToStderrAndOnlyTheSummaryToStdout) {
  const nlohmann::json first = sync_on_terminal();
  ASSERT_EQ(first.at("exit"), 0) << first.dump(2);
  const std::string stdout_text = first.at("stdout");
  const std::string terminal = first.at("terminal");

  // stdout: the summary line and nothing else.
  EXPECT_TRUE(stdout_text.starts_with("team: ok: ")) << stdout_text;
  EXPECT_EQ(std::count(stdout_text.begin(), stdout_text.end(), '\n'), 1) << stdout_text;
  EXPECT_EQ(stdout_text.find('\r'), std::string::npos) << stdout_text;

  // The terminal: the line from nothing done to everything done, then erased.
  const auto events = stdout_text.substr(10, stdout_text.find(" created") - 10);
  EXPECT_NE(terminal.find("sync: 0/1 targets"), std::string::npos) << terminal;
  EXPECT_NE(terminal.find("sync: 1/1 targets, " + events + "/" + events + " writes, "),
            std::string::npos)
      << terminal;
  EXPECT_NE(terminal.find(" writes/s"), std::string::npos) << terminal;
  EXPECT_TRUE(terminal.ends_with("\r\x1b[K")) << "the line is erased before the summary";
  EXPECT_EQ(terminal.find("team: ok"), std::string::npos) << "the summary is not on stderr";

  // Nothing to do: the line still says where it is, and the summary is the same kind.
  const nlohmann::json again = sync_on_terminal();
  const std::string again_terminal = again.at("terminal");
  EXPECT_NE(again_terminal.find("sync: 1/1 targets"), std::string::npos) << again_terminal;
  EXPECT_TRUE(std::string(again.at("stdout")).starts_with("team: ok: 0 created")) << again.dump(2);
}

TEST_F(SyncProgressIntegration, OffATerminalNothingExtraIsPrinted) {
  const ProcessResult run = run_process(sync_args());
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_TRUE(run.out.starts_with("team: ok: ")) << run.out;
  EXPECT_EQ(run.err.find("targets"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find('\r'), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find('\x1b'), std::string::npos) << run.err;
}

}  // namespace
}  // namespace plancal::testing
