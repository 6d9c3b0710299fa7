// Exactly once as users see it: `plancal reminders send` is killed with SIGKILL at random
// moments (planning, marking, in the middle of an SMTP transaction) many times over, then
// allowed to finish. No reminder may be lost, and a reminder may reach the server twice only
// when a kill left it `sending` (accepted by the server, not yet marked sent) — and then with
// the same Message-ID and the same bytes, so the receiver can drop the copy.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "smtp_sink_process.h"
#include "store/reminder_store.h"
#include "test_support.h"

namespace plancal::testing {
namespace {

constexpr int kRuns = 25;
constexpr int kRemindersInSeed = 66;  // 3 leaders x 11 dates x 2 lead times
constexpr const char* kNow = "2024-12-31T12:00";

pid_t start_send(const std::filesystem::path& config) {
  return spawn_quietly(
      {plancal_binary().string(), "reminders", "send", "--config", config.string(), "--now", kNow});
}

std::vector<ReminderRecord> rows(const std::filesystem::path& database) {
  auto opened = StateDatabase::open(database.string());
  if (!opened) throw std::runtime_error(opened.error().message);
  return ReminderStore(*opened).reminders();
}

/// The message without what differs between two deliveries of one reminder (the file name).
nlohmann::json content_of(nlohmann::json message) {
  message.erase("file");
  return message;
}

TEST(RemindersCrashIntegration, KilledAtRandomPointsNoReminderIsLostOrDoubled) {
  SmtpSinkOptions slow;
  slow.delay_ms = 60;
  SmtpSink sink(slow);
  TempDir dir;
  const auto database = dir.path() / "state.db";
  const auto config = dir.write(
      "plancal.yaml", "plans: [" + example_plan("mandagsseminar-2024.yaml").string() +
                          "]\ndatabase: " + database.string() + "\nsmtp:\n  url: " + sink.url() +
                          "\n  from: plancal@milepaelen.example.no\n  starttls: never\n"
                          "reminders:\n  send_window_hours: 8784\n");
  const auto published =
      run_plancal({"publish", "--config", config.string(), "--now", "1700000000"});
  ASSERT_EQ(published.exit_code, 0) << published.err;

  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("random seed " + std::to_string(seed));
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> delay_ms(0, 350);

  int kills = 0;
  std::set<std::string> left_sending;  // reminders a kill caught between intent and sent
  for (int run = 0; run < kRuns; ++run) {
    const pid_t pid = start_send(config);
    if (!kill_after(pid, std::chrono::milliseconds(delay_ms(random)))) continue;
    ++kills;
    for (const auto& r : rows(database)) {
      if (r.state == ReminderState::Sending) left_sending.insert(r.message_id);
    }
  }
  EXPECT_GE(kills, 20) << "too few kills landed while the pass was running";

  const auto final_run =
      run_plancal({"reminders", "send", "--config", config.string(), "--now", kNow});
  ASSERT_EQ(final_run.exit_code, 0) << final_run.out << final_run.err;

  // Every reminder is sent, each with its own Message-ID.
  const auto stored = rows(database);
  ASSERT_EQ(stored.size(), static_cast<std::size_t>(kRemindersInSeed));
  std::map<std::string, const ReminderRecord*> by_message_id;
  for (const auto& r : stored) {
    EXPECT_EQ(r.state, ReminderState::Sent) << r.id;
    by_message_id.emplace(r.message_id, &r);
  }
  ASSERT_EQ(by_message_id.size(), stored.size());

  std::map<std::string, std::vector<nlohmann::json>> received;
  for (const auto& m : sink.messages()) received[m["message_id"]].push_back(content_of(m));
  int duplicates = 0;
  for (const auto& [message_id, reminder] : by_message_id) {
    const auto it = received.find(message_id);
    ASSERT_NE(it, received.end()) << "lost: " << reminder->id;
    const auto& copies = it->second;
    EXPECT_EQ(copies[0]["rcpt_tos"], nlohmann::json::array({reminder->recipient_email}));
    if (copies.size() == 1) continue;
    duplicates += static_cast<int>(copies.size()) - 1;
    EXPECT_EQ(left_sending.count(message_id), 1U)
        << reminder->id << " was delivered " << copies.size()
        << " times without a kill in its sending window";
    for (const auto& copy : copies) EXPECT_EQ(copy, copies[0]) << "a duplicate must be identical";
  }
  EXPECT_EQ(received.size(), by_message_id.size()) << "no message outside the planned ones";
  EXPECT_LE(duplicates, kills);
  std::printf("[ reminders ] %d runs, %d killed, %zu reminders, %d same-Message-ID duplicate(s)\n",
              kRuns, kills, stored.size(), duplicates);
}

}  // namespace
}  // namespace plancal::testing
