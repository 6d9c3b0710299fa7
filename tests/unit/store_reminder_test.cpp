// Reminder rows in the state store: planning and the delivery state machine.

#include <gtest/gtest.h>

#include "store/reminder_store.h"
#include "test_support.h"

namespace plancal {
namespace {

ReminderRecord reminder(const std::string& id, std::int64_t due, const std::string& text = "a") {
  ReminderRecord r;
  r.id = id;
  r.plan_id = "p";
  r.kind = "leader";
  r.recipient_id = "kari";
  r.recipient_name = "Kari";
  r.recipient_email = "kari@example.no";
  r.due_at = due;
  r.subject = "Påminnelse";
  r.body_text = text;
  r.body_html = "<p>" + text + "</p>";
  r.content_hash = text + std::to_string(due);
  r.when_key = "2024-01-15T09:00";
  r.group_key = "g";
  r.uids = "u";
  r.message_id = "<" + id + "@example.no>";
  return r;
}

class StoreReminderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = StateDatabase::open((dir_.path() / "state.db").string());
    ASSERT_TRUE(opened) << opened.error().message;
    store_.emplace(std::move(*opened));
  }
  ReminderRecord row(const std::string& id) {
    for (auto& r : store_->reminders()) {
      if (r.id == id) return r;
    }
    ADD_FAILURE() << "no reminder " << id;
    return {};
  }
  plancal::testing::TempDir dir_;
  std::optional<ReminderStore> store_;
};

TEST_F(StoreReminderTest, PlansFollowsAndCancelsUnsentReminders) {
  auto s = store_->sync_reminders({"p"}, {reminder("a", 1000), reminder("b", 2000)}, 0, 100);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->added, 2);
  s = store_->sync_reminders({"p"}, {reminder("a", 1500, "moved")}, 10, 100);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->updated, 1);
  EXPECT_EQ(s->cancelled, 1);
  EXPECT_EQ(row("a").due_at, 1500);
  EXPECT_EQ(row("a").body_text, "moved");
  EXPECT_EQ(row("b").state, ReminderState::Cancelled);
  s = store_->sync_reminders({"p"}, {reminder("a", 1500, "moved"), reminder("b", 2000)}, 20, 100);
  ASSERT_TRUE(s);
  EXPECT_EQ(row("b").state, ReminderState::Planned) << "a meeting that comes back";
}

TEST_F(StoreReminderTest, OtherPlansAreLeftAlone) {
  ASSERT_TRUE(store_->sync_reminders({"p"}, {reminder("a", 1000)}, 0, 100));
  auto s = store_->sync_reminders({"q"}, {}, 0, 100);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->cancelled, 0);
  EXPECT_EQ(row("a").state, ReminderState::Planned);
}

TEST_F(StoreReminderTest, NewRemindersPastTheWindowAreNeverStored) {
  auto s = store_->sync_reminders({"p"}, {reminder("old", 1000)}, 5000, 100);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->skipped_past, 1);
  EXPECT_TRUE(store_->reminders().empty());
}

TEST_F(StoreReminderTest, SendingThenSentFreezesTheRow) {
  ASSERT_TRUE(store_->sync_reminders({"p"}, {reminder("a", 1000)}, 0, 100));
  EXPECT_TRUE(store_->due_reminders(999).empty());
  ASSERT_EQ(store_->due_reminders(1000).size(), 1U);
  ASSERT_TRUE(store_->mark_reminder_sending("a", 1000));
  EXPECT_EQ(row("a").state, ReminderState::Sending);
  EXPECT_EQ(row("a").attempts, 1);
  ASSERT_EQ(store_->due_reminders(1001).size(), 1U) << "a crash leaves it due, to resend";
  ASSERT_TRUE(store_->mark_reminder_sent("a", 1001));
  EXPECT_EQ(row("a").state, ReminderState::Sent);
  EXPECT_EQ(row("a").sent_at, 1001);
  EXPECT_TRUE(store_->due_reminders(2000).empty());
  ASSERT_TRUE(store_->sync_reminders({"p"}, {reminder("a", 3000, "changed")}, 1002, 100));
  EXPECT_EQ(row("a").body_text, "a") << "a sent reminder is never rewritten";
  ASSERT_TRUE(store_->sync_reminders({"p"}, {}, 1003, 100));
  EXPECT_EQ(row("a").state, ReminderState::Sent) << "nor cancelled";
}

TEST_F(StoreReminderTest, RetryWaitsForItsTimeAndFailedOrLateAreFinal) {
  ASSERT_TRUE(store_->sync_reminders({"p"}, {reminder("a", 1000), reminder("b", 1000)}, 0, 100));
  ASSERT_TRUE(store_->mark_reminder_sending("a", 1000));
  ASSERT_TRUE(store_->mark_reminder_retry("a", 1060, "451", 1000));
  EXPECT_EQ(row("a").state, ReminderState::Planned);
  EXPECT_EQ(row("a").last_error, "451");
  EXPECT_EQ(store_->due_reminders(1030).size(), 1U) << "only b";
  EXPECT_EQ(store_->due_reminders(1060).size(), 2U);
  ASSERT_TRUE(store_->mark_reminder_sending("a", 1060));
  ASSERT_TRUE(store_->mark_reminder_failed("a", "550", 1060));
  ASSERT_TRUE(store_->mark_reminder_late("b", 9000));
  EXPECT_EQ(row("a").state, ReminderState::Failed);
  EXPECT_EQ(row("a").attempts, 2);
  EXPECT_EQ(row("b").state, ReminderState::Late);
  EXPECT_TRUE(store_->due_reminders(99999).empty());
}

}  // namespace
}  // namespace plancal
