// The state database as a connection: read-only opening for commands that promise to change
// nothing, and the two signals a server uses to notice what another process committed
// (data_version, last_publish_id).

#include <gtest/gtest.h>

#include <filesystem>

#include "store/database.h"
#include "store/feed_tokens.h"
#include "store/published_events.h"
#include "store/schema.h"
#include "store/sqlite.h"
#include "store_test_fixtures.h"
#include "test_support.h"

namespace plancal {
namespace {

using testing::TempDir;

constexpr std::int64_t kNow = 1'700'000'000;

StateDatabase open_or_fail(const std::string& path) {
  auto opened = StateDatabase::open(path);
  EXPECT_TRUE(opened.ok()) << opened.error().message;
  if (!opened.ok()) throw std::runtime_error(opened.error().message);
  return std::move(*opened);
}

void publish_example(StateDatabase& database, std::int64_t now = kNow) {
  const Plan plan = testing::store_test_plan();
  ASSERT_TRUE(
      PublishedEvents(database).publish(plan, testing::store_test_occurrences(plan.id), now).ok());
}

TEST(StoreDatabaseTest, AMissingFileReadsAsEmptyAndIsNotCreated) {
  TempDir dir;
  const auto path = dir.path() / "var" / "plancal.db";
  auto opened = StateDatabase::open_read_only(path.string());
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_TRUE(opened->ping().ok());
  EXPECT_TRUE(PublishedEvents(*opened).plan_ids().empty());
  EXPECT_TRUE(FeedTokens(*opened).tokens().empty());
  EXPECT_EQ(opened->path(), path.string());
  EXPECT_FALSE(std::filesystem::exists(path.parent_path())) << "neither file nor folder is made";
}

TEST(StoreDatabaseTest, ReadOnlyReadsWhatWasPublishedAndRefusesWrites) {
  TempDir dir;
  const auto path = (dir.path() / "plancal.db").string();
  {
    StateDatabase writer = open_or_fail(path);
    publish_example(writer);
  }
  auto reader = StateDatabase::open_read_only(path);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  PublishedEvents published(*reader);
  EXPECT_EQ(published.plan_ids(), std::vector<std::string>{"mandagsseminar-2024"});
  EXPECT_EQ(published.events("mandagsseminar-2024").size(), 6U);
  const Plan plan = testing::store_test_plan();
  const auto refused = published.publish(plan, {}, kNow + 60);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("readonly"), std::string::npos) << refused.error().message;
  EXPECT_EQ(published.events("mandagsseminar-2024").size(), 6U) << "nothing was withdrawn";
}

TEST(StoreDatabaseTest, ReadOnlyRefusesADatabaseThatNeedsAMigration) {
  TempDir dir;
  const auto path = dir.path() / "plancal.db";
  { (void)open_or_fail(path.string()); }
  {
    auto raw = sqlite::Database::open(path.string());
    ASSERT_TRUE(raw.ok());
    ASSERT_TRUE(raw->exec("PRAGMA user_version = 1").ok());
  }
  auto reader = StateDatabase::open_read_only(path.string());
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.error().message,
            path.string() + ": database schema version 1 is older than this plancal (" +
                std::to_string(supported_schema_version()) +
                "): run `plancal publish` once to upgrade it, then run this command again");
}

TEST(StoreDatabaseTest, DataVersionMovesOnlyForOtherConnectionsCommits) {
  TempDir dir;
  const auto path = (dir.path() / "plancal.db").string();
  StateDatabase watcher = open_or_fail(path);
  StateDatabase other = open_or_fail(path);
  const auto first = watcher.data_version();
  ASSERT_TRUE(first.ok()) << first.error().message;

  publish_example(watcher);
  EXPECT_EQ(*watcher.data_version(), *first) << "its own commit does not count";

  publish_example(other, kNow + 60);
  const auto after_other = watcher.data_version();
  ASSERT_TRUE(after_other.ok());
  EXPECT_NE(*after_other, *first);
  EXPECT_EQ(*watcher.data_version(), *after_other) << "stable until the next commit";
}

TEST(StoreDatabaseTest, EveryPublishGrowsTheLastPublishIdEvenWithoutChanges) {
  TempDir dir;
  StateDatabase database = open_or_fail((dir.path() / "plancal.db").string());
  PublishedEvents published(database);
  EXPECT_EQ(published.last_publish_id(), 0);
  publish_example(database);
  const auto first = published.last_publish_id();
  EXPECT_GT(first, 0);
  publish_example(database, kNow + 60);  // the same plan again: nothing changes
  EXPECT_GT(published.last_publish_id(), first);
}

TEST(StoreDatabaseTest, CopiesShareOneConnectionThatOutlivesTheFirstHandle) {
  TempDir dir;
  std::optional<PublishedEvents> published;
  {
    StateDatabase database = open_or_fail((dir.path() / "plancal.db").string());
    published.emplace(database);
    FeedTokens tokens(database);
    publish_example(database);
  }
  EXPECT_EQ(published->events("mandagsseminar-2024").size(), 6U);
}

}  // namespace
}  // namespace plancal
