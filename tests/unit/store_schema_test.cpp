// The store's file format: creation, reopening, migrations and refusing files that are not
// (or not yet) ours.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/config.h"
#include "store/database.h"
#include "store/feed_tokens.h"
#include "store/published_events.h"
#include "store/schema.h"
#include "store/secrets.h"
#include "store/sqlite.h"
#include "store_test_fixtures.h"
#include "test_support.h"

namespace plancal {
namespace {

using testing::TempDir;

std::int64_t pragma(const std::filesystem::path& path, const std::string& name) {
  auto db = sqlite::Database::open(path.string());
  EXPECT_TRUE(db.ok());
  auto query = sqlite::Statement::prepare(*db, "PRAGMA " + name);
  EXPECT_TRUE(query.ok());
  auto row = query->step();
  EXPECT_TRUE(row.ok() && *row);
  return query->int64(0);
}

std::string pragma_text(const std::filesystem::path& path, const std::string& name) {
  auto db = sqlite::Database::open(path.string());
  auto query = sqlite::Statement::prepare(*db, "PRAGMA " + name);
  auto row = query->step();
  EXPECT_TRUE(row.ok() && *row);
  return query->text(0);
}

void run_sql(const std::filesystem::path& path, const std::string& sql) {
  auto db = sqlite::Database::open(path.string());
  ASSERT_TRUE(db.ok());
  auto done = db->exec(sql);
  ASSERT_TRUE(done.ok()) << done.error().message;
}

TEST(StoreSchemaTest, FreshDatabaseIsCreatedWithFolderVersionAndWal) {
  TempDir dir;
  const auto path = dir.path() / "var" / "nested" / "plancal.db";
  {
    auto store = StateDatabase::open(path.string());
    ASSERT_TRUE(store.ok()) << store.error().message;
    EXPECT_TRUE(store->ping().ok());
    EXPECT_TRUE(PublishedEvents(*store).plan_ids().empty());
  }
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(pragma(path, "application_id"), kPlancalApplicationId);
  EXPECT_EQ(pragma(path, "user_version"), supported_schema_version());
  EXPECT_EQ(pragma_text(path, "journal_mode"), "wal");
}

TEST(StoreSchemaTest, MigrationsAreNumberedUpwards) {
  const auto& steps = schema_migrations();
  ASSERT_FALSE(steps.empty());
  for (std::size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].version, static_cast<int>(i) + 1);
  }
}

TEST(StoreSchemaTest, ReopeningKeepsDataAndDoesNotMigrateAgain) {
  TempDir dir;
  const auto path = (dir.path() / "plancal.db").string();
  {
    auto store = StateDatabase::open(path);
    ASSERT_TRUE(store.ok());
    const auto plan = testing::store_test_plan();
    ASSERT_TRUE(
        PublishedEvents(*store).publish(plan, testing::store_test_occurrences(plan.id), 1000).ok());
  }
  auto reopened = StateDatabase::open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  PublishedEvents published(*reopened);
  EXPECT_EQ(published.plan_ids(), std::vector<std::string>{"mandagsseminar-2024"});
  EXPECT_EQ(published.events("mandagsseminar-2024").size(), 6u);
  EXPECT_EQ(pragma(path, "user_version"), supported_schema_version());
}

TEST(StoreSchemaTest, TokensHandedOutBeforeVersion4KeepWorkingAfterTheMigration) {
  TempDir dir;
  const auto path = dir.path() / "plancal.db";
  const std::string secret = "lenke-fra-versjon-3-" + std::string(23, 'x');  // 43 as made
  {
    auto db = sqlite::Database::open(path.string());
    ASSERT_TRUE(db.ok());
    for (const auto& step : schema_migrations()) {
      if (step.version > 3) break;
      ASSERT_TRUE(db->exec(std::string(step.sql)).ok()) << step.purpose;
    }
    ASSERT_TRUE(
        db->exec("PRAGMA application_id = " + std::to_string(kPlancalApplicationId) +
                 "; PRAGMA user_version = 3;"
                 "INSERT INTO plans (plan_id, title, calendar_name, timezone, published_at) "
                 "VALUES ('mandagsseminar-2024', 'T', 'C', 'Europe/Oslo', 1000);"
                 "INSERT INTO feed_tokens (id, token_hash, plan_id, audience, label, "
                 "created_at, last_access_at) VALUES (5, '" +
                 sha256_hex(secret) +
                 "', 'mandagsseminar-2024', 'team:A', 'Vaktrommet', 1000, 2000)")
            .ok());
  }
  auto store = StateDatabase::open(path.string());
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(pragma(path, "user_version"), supported_schema_version());
  FeedTokens tokens(*store);
  const auto found = tokens.find_token(secret);
  ASSERT_TRUE(found.has_value()) << "a link handed out before the upgrade";
  EXPECT_EQ(found->id, 5);
  EXPECT_EQ(found->plan_id, "mandagsseminar-2024");
  EXPECT_FALSE(found->covers_every_plan());
  EXPECT_EQ(found->label, "Vaktrommet");
  EXPECT_EQ(found->last_access_at, 2000);
  EXPECT_FALSE(found->last_page_access_at.has_value());
  auto personal = tokens.create_token("", "person:kari", "", 3000);
  ASSERT_TRUE(personal.ok()) << personal.error().message;
  EXPECT_EQ(pragma_text(path, "integrity_check"), "ok");
}

TEST(StoreSchemaTest, NewerDatabaseIsRefusedWithAnUpgradeHint) {
  TempDir dir;
  const auto path = dir.path() / "plancal.db";
  ASSERT_TRUE(StateDatabase::open(path.string()).ok());
  const int newer = supported_schema_version() + 1;
  run_sql(path, "PRAGMA user_version = " + std::to_string(newer));
  auto store = StateDatabase::open(path.string());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().message,
            path.string() + ": database schema version " + std::to_string(newer) +
                " is newer than this plancal (supports " +
                std::to_string(supported_schema_version()) + "): upgrade plancal");
  EXPECT_EQ(pragma(path, "user_version"), newer) << "the newer file must stay as it was";
}

TEST(StoreSchemaTest, AFileThatIsNotSqliteIsRefused) {
  TempDir dir;
  const auto path = dir.path().string() + "/notes.db";
  {
    std::ofstream out(path);
    for (int i = 0; i < 200; ++i) out << "plans: [mandagsseminar.yaml] # not a database\n";
  }
  const auto before = testing::read_file(path);
  auto store = StateDatabase::open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().message, path + " is not a plancal database (not an SQLite file)");
  EXPECT_EQ(testing::read_file(path), before);
}

TEST(StoreSchemaTest, AnotherProgramsSqliteDatabaseIsRefusedAndLeftAlone) {
  TempDir dir;
  const auto path = dir.path() / "other.db";
  run_sql(path, "CREATE TABLE contacts (name TEXT)");
  auto store = StateDatabase::open(path.string());
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("is not a plancal database"), std::string::npos)
      << store.error().message;
  EXPECT_EQ(pragma_text(path, "journal_mode"), "delete") << "no WAL switch on a foreign file";
  EXPECT_EQ(pragma(path, "user_version"), 0);
}

TEST(StoreSchemaTest, AForeignApplicationIdIsRefused) {
  TempDir dir;
  const auto path = dir.path() / "other.db";
  run_sql(path, "PRAGMA application_id = 1234");
  auto store = StateDatabase::open(path.string());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().message,
            path.string() + " is not a plancal database (application_id 0x000004d2)");
}

TEST(StoreSchemaTest, AnEmptyFileBecomesAPlancalDatabase) {
  TempDir dir;
  const auto path = dir.write("empty.db", "");
  auto store = StateDatabase::open(path.string());
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(pragma(path, "application_id"), kPlancalApplicationId);
}

TEST(StoreSchemaTest, AFolderThatCannotBeCreatedIsReported) {
  TempDir dir;
  dir.write("blocker", "a file where a folder should be");
  auto store = StateDatabase::open((dir.path() / "blocker" / "plancal.db").string());
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("cannot create folder"), std::string::npos)
      << store.error().message;
}

TEST(StoreSchemaTest, TheDefaultPathIsUnderVar) {
  EXPECT_EQ(kDefaultDatabasePath, "./var/plancal.db");
}

TEST(StoreSchemaTest, AStoreCanBeMoved) {
  TempDir dir;
  auto opened = StateDatabase::open((dir.path() / "plancal.db").string());
  ASSERT_TRUE(opened.ok());
  StateDatabase store = std::move(*opened);
  StateDatabase other = std::move(store);
  EXPECT_TRUE(other.ping().ok());
}

}  // namespace
}  // namespace plancal
