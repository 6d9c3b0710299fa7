// What the store keeps for push targets (store_sync.cpp): intents survive a restart exactly
// as written, targets are kept apart, forgetting one target touches no other, and `status`
// sees each target's newest run.

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "store/schema.h"
#include "store/sqlite.h"
#include "store/sync_state_store.h"
#include "test_support.h"

namespace plancal {
namespace {

class StoreSyncTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }

  /// Closes and opens the database again, as a restarted process would.
  void reopen() {
    store_.reset();
    auto opened = StateDatabase::open((dir_.path() / "plancal.db").string());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_.emplace(std::move(*opened));
  }

  static SyncItem item(const std::string& uid, SyncItemState state) {
    return SyncItem{
        uid,          "/alice/calendar/" + uid + ".ics", "\"etag-1\"", "sent", "stored", state,
        1'700'000'000};
  }

  testing::TempDir dir_;
  std::optional<SyncStateStore> store_;
};

TEST_F(StoreSyncTest, AnIntentSurvivesARestartExactlyAsWritten) {
  ASSERT_TRUE(store_->put_sync_item("radicale", item("b@plancal", SyncItemState::Synced)).ok());
  ASSERT_TRUE(store_->put_sync_item("radicale", item("a@plancal", SyncItemState::Creating)).ok());
  reopen();

  const auto items = store_->sync_items("radicale");
  ASSERT_EQ(items.size(), 2U);
  EXPECT_EQ(items[0].uid, "a@plancal") << "items come sorted by uid";
  EXPECT_EQ(items[0].state, SyncItemState::Creating);
  EXPECT_EQ(items[0].ref, "/alice/calendar/a@plancal.ics");
  EXPECT_EQ(items[0].version, "\"etag-1\"");
  EXPECT_EQ(items[0].sent_hash, "sent");
  EXPECT_EQ(items[0].remote_hash, "stored");
  EXPECT_EQ(items[1].state, SyncItemState::Synced);
}

TEST_F(StoreSyncTest, PuttingAnItemAgainFinalisesItsIntent) {
  ASSERT_TRUE(store_->put_sync_item("radicale", item("a@plancal", SyncItemState::Updating)).ok());
  SyncItem done = item("a@plancal", SyncItemState::Synced);
  done.version = "\"etag-2\"";
  ASSERT_TRUE(store_->put_sync_item("radicale", done).ok());
  const auto items = store_->sync_items("radicale");
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].state, SyncItemState::Synced);
  EXPECT_EQ(items[0].version, "\"etag-2\"");
}

TEST_F(StoreSyncTest, ABatchOfIntentsSurvivesARestartAndReplacesOlderRows) {
  ASSERT_TRUE(store_->put_sync_item("m365/kari", item("a@plancal", SyncItemState::Synced)).ok());
  std::vector<SyncItem> batch;
  for (const char* uid : {"c@plancal", "a@plancal", "b@plancal"}) {
    batch.push_back(item(uid, SyncItemState::Creating));
  }
  batch[1].version = "\"etag-2\"";
  ASSERT_TRUE(store_->put_sync_items("m365/kari", batch).ok());
  ASSERT_TRUE(store_->put_sync_items("m365/kari", {}).ok());
  reopen();

  const auto items = store_->sync_items("m365/kari");
  ASSERT_EQ(items.size(), 3U);
  EXPECT_EQ(items[0].uid, "a@plancal");
  EXPECT_EQ(items[0].state, SyncItemState::Creating) << "the batch replaced the older row";
  EXPECT_EQ(items[0].version, "\"etag-2\"");
  EXPECT_EQ(items[2].uid, "c@plancal");
  EXPECT_EQ(items[2].ref, "/alice/calendar/c@plancal.ics");
  EXPECT_TRUE(store_->sync_items("radicale").empty());
}

TEST_F(StoreSyncTest, ResettingOneTargetLeavesTheOthers) {
  ASSERT_TRUE(store_->put_sync_item("radicale", item("a@plancal", SyncItemState::Synced)).ok());
  ASSERT_TRUE(store_->put_sync_item("m365/kari", item("a@plancal", SyncItemState::Kept)).ok());
  ASSERT_TRUE(store_->save_target_state({"radicale", "http://old/", "/cal/", "sync:1"}).ok());
  ASSERT_TRUE(store_->save_target_state({"m365/kari", "kari@x.no", "AAMk", "delta"}).ok());

  ASSERT_TRUE(store_->reset_target("radicale").ok());

  EXPECT_TRUE(store_->sync_items("radicale").empty());
  EXPECT_FALSE(store_->target_state("radicale").has_value());
  ASSERT_EQ(store_->sync_items("m365/kari").size(), 1U);
  EXPECT_EQ(store_->sync_items("m365/kari")[0].state, SyncItemState::Kept);
  ASSERT_TRUE(store_->target_state("m365/kari").has_value());
  EXPECT_EQ(store_->target_state("m365/kari")->cursor, "delta");
}

TEST_F(StoreSyncTest, DeletingAnItemForgetsOnlyThatEvent) {
  ASSERT_TRUE(store_->put_sync_item("radicale", item("a@plancal", SyncItemState::Deleting)).ok());
  ASSERT_TRUE(store_->put_sync_item("radicale", item("b@plancal", SyncItemState::Synced)).ok());
  ASSERT_TRUE(store_->delete_sync_item("radicale", "a@plancal").ok());
  const auto items = store_->sync_items("radicale");
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].uid, "b@plancal");
}

TEST_F(StoreSyncTest, SequenceAttemptAndAccountSurviveARestart) {
  SyncItem creating = item("a@plancal", SyncItemState::Creating);
  creating.sequence = 3;
  creating.attempt = 17;
  ASSERT_TRUE(store_->put_sync_item("m365/kari", creating).ok());
  TargetSyncState state{"m365/kari", "kari@x.no", "AAMk", "full", "alice", 17};
  ASSERT_TRUE(store_->save_target_state(state).ok());
  reopen();

  const auto items = store_->sync_items("m365/kari");
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].sequence, 3);
  EXPECT_EQ(items[0].attempt, 17);
  const auto saved = store_->target_state("m365/kari");
  ASSERT_TRUE(saved.has_value());
  EXPECT_EQ(saved->account, "alice");
  EXPECT_EQ(saved->last_attempt, 17);
}

TEST_F(StoreSyncTest, ADatabaseFromBeforeSequencesAndAttemptsKeepsItsRows) {
  store_.reset();
  const auto path = (dir_.path() / "old.db").string();
  {
    // Version 4, as the plancal before this one left it, with one target synced.
    auto db = sqlite::Database::open(path);
    ASSERT_TRUE(db.ok());
    for (const auto& step : schema_migrations()) {
      if (step.version > 4) break;
      ASSERT_TRUE(db->exec(step.sql).ok());
    }
    ASSERT_TRUE(db->exec("PRAGMA application_id = " + std::to_string(kPlancalApplicationId) +
                         "; PRAGMA user_version = 4;"
                         "INSERT INTO sync_targets VALUES ('team', 'http://dav/', '/cal/', 's:1');"
                         "INSERT INTO sync_items VALUES ('team', 'a@plancal', '/cal/a.ics', "
                         "'\"e1\"', 'sent', 'stored', 'synced', 1700000000);")
                    .ok());
  }
  auto opened = StateDatabase::open(path);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  SyncStateStore reopened(std::move(*opened));
  const auto items = reopened.sync_items("team");
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].version, "\"e1\"");
  EXPECT_EQ(items[0].sequence, 0);
  EXPECT_EQ(items[0].attempt, 0);
  const auto state = reopened.target_state("team");
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->cursor, "s:1");
  EXPECT_EQ(state->account, "") << "not recorded yet: taken as the configured one";
  EXPECT_EQ(state->last_attempt, 0);
}

TEST_F(StoreSyncTest, StatusSeesTheNewestRunOfEachTarget) {
  SyncRun first{"radicale", 100, 110, "failed", 0, 0, 0, 0, 0, 0, 0, 1, "401 Unauthorized"};
  SyncRun second{"radicale", 200, 210, "ok", 42, 0, 0, 0, 0, 0, 0, 44, ""};
  SyncRun other{"xandikos", 150, 160, "stopped", 0, 0, 0, 0, 0, 0, 0, 1, "mass delete"};
  ASSERT_TRUE(store_->record_sync_run(first).ok());
  ASSERT_TRUE(store_->record_sync_run(second).ok());
  ASSERT_TRUE(store_->record_sync_run(other).ok());
  reopen();

  auto runs = store_->last_sync_runs();
  ASSERT_EQ(runs.size(), 2U);
  std::sort(runs.begin(), runs.end(),
            [](const SyncRun& a, const SyncRun& b) { return a.target < b.target; });
  EXPECT_EQ(runs[0].result, "ok");
  EXPECT_EQ(runs[0].created, 42);
  EXPECT_EQ(runs[0].requests, 44);
  EXPECT_EQ(runs[1].result, "stopped");
  EXPECT_EQ(runs[1].message, "mass delete");
}

}  // namespace
}  // namespace plancal
