// The state store refuses a damaged file when it opens it (PRAGMA quick_check), so that no
// reader returns part of it as if it were all of it.

#include <gtest/gtest.h>

#include <fstream>

#include "store/database.h"
#include "store/published_events.h"
#include "store_test_fixtures.h"
#include "test_support.h"

namespace plancal {
namespace {

using testing::TempDir;

constexpr std::int64_t kNow = 1704067200;

/// 120 occurrences: a file of a few dozen pages.
void publish_many(const std::string& path) {
  auto store = StateDatabase::open(path);
  ASSERT_TRUE(store.ok()) << store.error().message;
  PublishedEvents published(*store);
  const Plan plan = testing::store_test_plan();
  std::vector<Occurrence> occurrences;
  for (int number = 1; number <= 40; ++number) {
    for (const char* team : {"A", "B", "C"}) {
      occurrences.push_back(testing::store_test_occurrence(plan.id, number, team, 1 + number % 28));
    }
  }
  ASSERT_TRUE(published.publish(plan, occurrences, kNow).ok());
}  // closing the last connection writes every page into the file

/// Overwrites `count` pages in the middle of the file with a pattern.
void overwrite_middle_pages(const std::filesystem::path& path, int count) {
  constexpr std::size_t kPage = 4096;
  const auto pages = std::filesystem::file_size(path) / kPage;
  ASSERT_GT(pages, 8U);
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(static_cast<std::streamoff>(pages / 2 * kPage));
  for (std::size_t i = 0; i < count * kPage; ++i) file.put(static_cast<char>(i * 37 % 251));
}

TEST(StoreIntegrityTest, ADamagedFileIsRefusedWithWhatToDo) {
  const TempDir dir;
  const auto path = dir.path() / "plancal.db";
  publish_many(path.string());
  overwrite_middle_pages(path, 2);
  auto store = StateDatabase::open(path.string());
  ASSERT_FALSE(store.ok());
  const std::string& message = store.error().message;
  EXPECT_NE(message.find(path.string() + " is damaged"), std::string::npos) << message;
  EXPECT_NE(message.find("(PRAGMA quick_check: "), std::string::npos) << message;
  EXPECT_NE(message.find("restore the file from a backup"), std::string::npos) << message;
  EXPECT_NE(message.find("republish into a new file"), std::string::npos) << message;
}

TEST(StoreIntegrityTest, AnIntactFileOpensAndCountsNoFaults) {
  const TempDir dir;
  const auto path = (dir.path() / "plancal.db").string();
  publish_many(path);
  auto store = StateDatabase::open(path);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(PublishedEvents(*store).events("mandagsseminar-2024").size(), 120U);
  EXPECT_EQ(store->faults().count, 0U);
}

}  // namespace
}  // namespace plancal
