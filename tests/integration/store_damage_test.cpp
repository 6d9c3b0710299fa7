// A damaged state file or a full disk, as a user meets them: pages in the middle of a
// published database overwritten (a failing disk, a stray write), and a disk that fills up
// during a publish. No feed may then show part of a plan as if it were all of it.

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <thread>

#include <gtest/gtest.h>

#include "daemon_process.h"
#include "raw_http.h"
#include "test_support.h"

namespace plancal::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

int count_of(const std::string& text, const std::string& needle) {
  int count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

/// A published seed-000 plan with one team-A feed token.
class StoreDamageIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::copy_file(example_plan("mandagsseminar-2024.yaml"), dir.path() / "plan.yaml");
    fs::copy_file(example_plan("roster-milepaelen.csv"), dir.path() / "roster-milepaelen.csv");
    config = write_config("plancal.yaml", "var/plancal.db");
    ASSERT_EQ(run_plancal({"publish", "--config", config.string()}).exit_code, 0);
    const auto created = run_plancal({"feed", "token", "create", "--config", config.string(),
                                      "--plan", "mandagsseminar-2024", "--audience", "team:A"});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    std::smatch match;
    ASSERT_TRUE(std::regex_search(created.out, match, std::regex("secret: ([A-Za-z0-9_-]+)")));
    feed_path = "/feeds/" + match[1].str() + ".ics";
  }

  fs::path write_config(const std::string& name, const std::string& database) const {
    return dir.write(
        name, "plans: [plan.yaml]\ndatabase: " + database + "\nfeeds:\n  listen: 127.0.0.1:8080\n");
  }

  /// Overwrites two leaf pages of the events table in the middle of the file (8 KiB).
  static void damage_events(const fs::path& database) {
    const auto run =
        run_process({kDebianPython, damage_script(), "damage", database.string(), "events", "2"});
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }
  static std::string damage_script() {
    return (source_dir() / "tests/integration/damage_db.py").string();
  }

  TempDir dir;
  fs::path config;
  std::string feed_path;
};

TEST_F(StoreDamageIntegration, ADamagedCopyIsRefusedWithWhatToDo) {
  fs::copy_file(dir.path() / "var/plancal.db", dir.path() / "copy.db");
  const auto copy_config = write_config("copy.yaml", "copy.db");
  damage_events(dir.path() / "copy.db");

  const auto status = run_plancal({"status", "--config", copy_config.string()});
  EXPECT_NE(status.exit_code, 0);
  EXPECT_NE(status.err.find("copy.db is damaged"), std::string::npos) << status.err;
  EXPECT_NE(status.err.find("(PRAGMA quick_check: "), std::string::npos) << status.err;
  EXPECT_NE(status.err.find("restore the file from a backup"), std::string::npos) << status.err;
  EXPECT_NE(status.err.find("republish into a new file"), std::string::npos) << status.err;
  EXPECT_EQ(status.out.find("active events"), std::string::npos) << status.out;

  // The server does not start on it (no feed with 1 of 11 events), and says why.
  const auto serve = run_process({plancal_binary().string(), "serve", "--config",
                                  copy_config.string(), "--listen", "127.0.0.1:0"},
                                 {}, 60);
  EXPECT_NE(serve.exit_code, 0);
  EXPECT_EQ(serve.out.find("listening on"), std::string::npos) << serve.out;
  EXPECT_NE(serve.err.find("copy.db is damaged"), std::string::npos) << serve.err;

  // The undamaged original is untouched and still fine.
  EXPECT_EQ(run_plancal({"status", "--config", config.string()}).exit_code, 0);
}

TEST_F(StoreDamageIntegration, DamageWhileServingKeepsTheLastGoodFeedAndHealthzSays503) {
  DaemonProcess server(config, dir.path() / "serve.err", {}, {}, "serve");
  const auto good = raw_http(server.port(), "GET " + feed_path + " HTTP/1.0\r\n\r\n");
  ASSERT_TRUE(good);
  ASSERT_EQ(good->status, 200);
  ASSERT_EQ(count_of(good->body, "BEGIN:VEVENT"), 11);
  const auto healthy = raw_http(server.port(), "GET /healthz HTTP/1.0\r\n\r\n");
  ASSERT_TRUE(healthy);
  EXPECT_EQ(healthy->status, 200);

  damage_events(dir.path() / "var/plancal.db");
  // Another process writes, so the server's connections read the file afresh; then a
  // SIGHUP publishes and rebuilds the feeds from it.
  ASSERT_EQ(run_process(
                {kDebianPython, damage_script(), "touch", (dir.path() / "var/plancal.db").string()})
                .exit_code,
            0);
  server.signal(SIGHUP);

  std::optional<RawHttpResponse> health;
  for (int i = 0; i < 100 && (!health || health->status != 503); ++i) {
    std::this_thread::sleep_for(200ms);
    health = raw_http(server.port(), "GET /healthz HTTP/1.0\r\n\r\n");
  }
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 503);
  EXPECT_NE(health->body.find("held at their last good version"), std::string::npos)
      << health->body;
  EXPECT_NE(health->body.find("malformed"), std::string::npos) << health->body;

  // Subscribers keep the whole calendar, byte for byte, not the part that could be read.
  const auto held = raw_http(server.port(), "GET " + feed_path + " HTTP/1.0\r\n\r\n");
  ASSERT_TRUE(held);
  EXPECT_EQ(held->status, 200);
  EXPECT_EQ(held->header("etag"), good->header("etag"));
  EXPECT_EQ(held->body, good->body);

  const auto status = run_plancal({"status", "--config", config.string()});
  EXPECT_NE(status.exit_code, 0);
  EXPECT_NE(status.err.find("is damaged"), std::string::npos) << status.err;

  EXPECT_EQ(server.stop(), 0);
  const std::string log = read_file(dir.path() / "serve.err");
  EXPECT_NE(log.find("reading the state store failed part-way"), std::string::npos) << log;
}

/// Runs `command` in a new user and mount namespace with a `size` tmpfs mounted on `folder`
/// (no root needed, nothing mounted outside); nullopt when namespaces are not available.
std::optional<ProcessResult> on_small_tmpfs(const fs::path& folder, const std::string& size,
                                            const std::string& command) {
  if (run_process({"unshare", "-r", "-m", "true"}).exit_code != 0) return std::nullopt;
  return run_process(
      {"unshare", "-r", "-m", "sh", "-c",
       "mount -t tmpfs -o size=" + size + " plancal-test '" + folder.string() + "' && " + command});
}

TEST_F(StoreDamageIntegration, AFullDiskIsNamedWithItsFolder) {
  const fs::path small = dir.path() / "small";
  fs::create_directories(small);
  const auto full_config = write_config("full.yaml", (small / "plancal.db").string());
  const auto run = on_small_tmpfs(
      small, "64k", plancal_binary().string() + " publish --config " + full_config.string());
  if (!run) GTEST_SKIP() << "user namespaces are not available here (unshare -r -m)";
  EXPECT_NE(run->exit_code, 0);
  EXPECT_NE(run->err.find("the disk holding " + small.string() + " is full"), std::string::npos)
      << run->err;
  EXPECT_NE(run->err.find("free space on that disk"), std::string::npos) << run->err;
  EXPECT_EQ(run->err.find("disk I/O error"), std::string::npos) << run->err;
}

TEST_F(StoreDamageIntegration, AFileSizeLimitIsNamed) {
  // The write-ahead log of a publish of a changed plan grows past `ulimit -f` (40 KiB: 80
  // blocks of 512 bytes under sh); SIGXFSZ is ignored, so the write fails with EFBIG. Each
  // topic grows by 400 characters, within the plan's limit of 500 for a topic.
  std::string plan = read_file(dir.path() / "plan.yaml");
  for (std::size_t at = plan.find("topic: \""); at != std::string::npos;
       at = plan.find("topic: \"", at + 1)) {
    plan.insert(at + 8, std::string(400, 'x'));
  }
  dir.write("plan.yaml", plan);
  const auto run = run_process({"sh", "-c",
                                "trap '' XFSZ; ulimit -f 80; exec " + plancal_binary().string() +
                                    " publish --config " + config.string()});
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("reached the largest file size this process may write"), std::string::npos)
      << run.err;
  // Nothing of it was saved: without the limit, the same publish changes every event.
  const auto again = run_plancal({"publish", "--config", config.string()});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("0 added, 33 changed"), std::string::npos) << again.out;
}

}  // namespace
}  // namespace plancal::testing
