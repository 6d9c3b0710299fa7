// Crash safety of `plancal publish`: the process is killed with SIGKILL at random moments
// while it publishes a large plan, and every time the store must hold exactly the old plan
// version or exactly the new one, never a mix.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <set>
#include <thread>

#include "expand/expander.h"
#include "plan/loader.h"
#include "store/occurrence_codec.h"
#include "store/published_events.h"
#include "store/sqlite.h"
#include "test_support.h"

namespace plancal {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// 12 kills land on both sides of the commit on CI's two cores (each run prints the split).
constexpr int kRuns = 12;
constexpr const char* kPlanId = "crash-test";

/// Weekly slots at distinct weekday/hour pairs (no overlaps), 2024-2029: thousands of events.
/// Version 2 changes every topic, drops slot 0 and adds one more slot.
std::string big_plan(int version) {
  std::string text = std::string("plan: ") + kPlanId + "\ntitle: \"Crash test\"\nweekly:\n";
  const char* weekdays[] = {"MO", "TU", "WE", "TH", "FR"};
  const int first = version == 1 ? 0 : 1;
  const int last = version == 1 ? 11 : 12;
  for (int slot = first; slot <= last; ++slot) {
    const int hour = 7 + slot / 5;
    char time[64];
    std::snprintf(time, sizeof time, "{ start: \"%02d:00\", end: \"%02d:45\" }", hour, hour);
    text += "  - key: slot" + std::to_string(slot) + "\n";
    text += "    title: \"Veiledning " + std::to_string(slot) + "\"\n";
    text += std::string("    weekday: ") + weekdays[slot % 5] + "\n";
    text += std::string("    time: ") + time + "\n";
    text += "    from: 2024-01-01\n    until: 2029-12-31\n";
    text += "    topic: \"Versjon " + std::to_string(version) + "\"\n";
  }
  return text;
}

std::set<std::string> expected_uids(const std::filesystem::path& plan_file) {
  PlanLoad load = load_plan_file(plan_file.string());
  if (!load.plan) throw std::runtime_error("the generated plan does not load");
  std::set<std::string> uids;
  for (const auto& o : expand_plan(*load.plan)) uids.insert(o.uid);
  return uids;
}

/// Starts `plancal publish`, with output to /dev/null.
pid_t start_publish(const std::filesystem::path& config) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int null_fd = open("/dev/null", O_RDWR);
    dup2(null_fd, STDIN_FILENO);
    dup2(null_fd, STDOUT_FILENO);
    dup2(null_fd, STDERR_FILENO);
    const std::string binary = testing::plancal_binary().string();
    const std::string config_arg = config.string();
    execl(binary.c_str(), binary.c_str(), "publish", "--config", config_arg.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

/// Which version the store holds (1 or 2); fails the test on a mix.
int stored_version(const std::string& db_path, const std::set<std::string>& v1,
                   const std::set<std::string>& v2) {
  auto database = StateDatabase::open(db_path);
  EXPECT_TRUE(database.ok()) << database.error().message;
  if (!database.ok()) return 0;
  PublishedEvents published(*database);
  std::set<std::string> active;
  std::set<std::string> markers;
  for (const auto& e : published.events(kPlanId)) {
    EXPECT_EQ(e.content_hash, content_hash(e.occurrence)) << "hash and document disagree";
    if (e.removed) continue;
    active.insert(e.occurrence.uid);
    markers.insert(e.occurrence.description.find("Versjon 1") != std::string::npos ? "1" : "2");
  }
  EXPECT_EQ(markers.size(), 1u) << "events of both versions are active";
  if (active == v1 && markers == std::set<std::string>{"1"}) return 1;
  if (active == v2 && markers == std::set<std::string>{"2"}) return 2;
  ADD_FAILURE() << "the store holds a mix: " << active.size() << " active events";
  return 0;
}

bool database_is_intact(const std::string& db_path) {
  auto db = sqlite::Database::open(db_path);
  if (!db) return false;
  auto check = sqlite::Statement::prepare(*db, "PRAGMA integrity_check");
  if (!check) return false;
  auto row = check->step();
  return row.ok() && *row && check->text(0) == "ok";
}

TEST(PublishCrashIntegration, SigkillDuringPublishLeavesOldOrNewNeverAMix) {
  testing::TempDir dir;
  const auto v1_file = dir.write("versions/v1.yaml", big_plan(1));
  const auto v2_file = dir.write("versions/v2.yaml", big_plan(2));
  const auto plan_file = dir.path() / "plans" / "big.yaml";
  const auto config =
      dir.write("plancal.yaml", "plans: [plans/big.yaml]\ndatabase: state/plancal.db\n");
  const std::string db_path = (dir.path() / "state" / "plancal.db").string();
  const std::set<std::string> v1 = expected_uids(v1_file);
  const std::set<std::string> v2 = expected_uids(v2_file);
  ASSERT_GT(v1.size(), 3000u);

  std::filesystem::create_directories(plan_file.parent_path());
  std::filesystem::copy_file(v1_file, plan_file);
  const auto started = Clock::now();
  const int first_status = wait_for(start_publish(config));
  const auto full_run = Clock::now() - started;
  ASSERT_TRUE(WIFEXITED(first_status) && WEXITSTATUS(first_status) == 0);
  ASSERT_EQ(stored_version(db_path, v1, v2), 1);

  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<long> delay_us(
      0, std::chrono::duration_cast<std::chrono::microseconds>(full_run).count() * 16 / 10);
  int current = 1;
  int target = 1;
  int kept_old = 0;
  int reached_new = 0;
  for (int run = 0; run < kRuns; ++run) {
    target = current == 1 ? 2 : 1;
    std::filesystem::copy_file(target == 1 ? v1_file : v2_file, plan_file,
                               std::filesystem::copy_options::overwrite_existing);
    const pid_t pid = start_publish(config);
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us(random)));
    kill(pid, SIGKILL);
    wait_for(pid);

    ASSERT_TRUE(database_is_intact(db_path)) << "run " << run;
    const int found = stored_version(db_path, v1, v2);
    ASSERT_NE(found, 0) << "run " << run;
    (found == current ? kept_old : reached_new) += 1;
    current = found;
  }
  std::printf("%d kills: %d left the old version, %d the new one; a full publish took %lld ms\n",
              kRuns, kept_old, reached_new,
              static_cast<long long>(
                  std::chrono::duration_cast<std::chrono::milliseconds>(full_run).count()));
  EXPECT_GT(kept_old, 0) << "no kill landed before a commit: the test proves nothing";
  EXPECT_GT(reached_new, 0) << "no publish ever finished";

  // And after all that, a normal publish of the plan file as it is now still works.
  const int final_status = wait_for(start_publish(config));
  EXPECT_TRUE(WIFEXITED(final_status) && WEXITSTATUS(final_status) == 0);
  EXPECT_EQ(stored_version(db_path, v1, v2), target);
}

}  // namespace
}  // namespace plancal
