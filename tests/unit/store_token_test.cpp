// Feed tokens: unguessable secrets in URLs, stored only as hashes.

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <thread>

#include "store/feed_tokens.h"
#include "store/published_events.h"
#include "store/secrets.h"
#include "store_test_fixtures.h"
#include "test_support.h"

namespace plancal {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;

class StoreTokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = StateDatabase::open(db_path());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    database_.emplace(std::move(*opened));
    store_.emplace(*database_);
    published_.emplace(*database_);
    const Plan plan = testing::store_test_plan();
    ASSERT_TRUE(published_->publish(plan, testing::store_test_occurrences(plan.id), kNow).ok());
  }

  std::string db_path() const { return (dir_.path() / "plancal.db").string(); }

  NewFeedToken create(const std::string& audience = "team:A", const std::string& label = "") {
    auto token = store_->create_token("mandagsseminar-2024", audience, label, kNow);
    EXPECT_TRUE(token.ok()) << token.error().message;
    return token.ok() ? *token : NewFeedToken{};
  }

  testing::TempDir dir_;
  std::optional<StateDatabase> database_;
  std::optional<FeedTokens> store_;  ///< the tokens, over the one connection of database_
  std::optional<PublishedEvents> published_;
};

TEST_F(StoreTokenTest, ASecretIs256RandomBitsInBase64Url) {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    const auto secret = create().secret;
    EXPECT_EQ(secret.size(), 43u);
    EXPECT_EQ(secret.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    EXPECT_TRUE(seen.insert(secret).second);
  }
}

TEST_F(StoreTokenTest, CreateFindAndRevoke) {
  const auto token = create("team:B", "Team B, vaktrom");
  EXPECT_EQ(token.info.plan_id, "mandagsseminar-2024");
  EXPECT_EQ(token.info.audience, "team:B");
  EXPECT_EQ(token.info.label, "Team B, vaktrom");
  EXPECT_EQ(token.info.created_at, kNow);

  const auto found = store_->find_token(token.secret);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, token.info.id);
  EXPECT_EQ(found->audience, "team:B");
  EXPECT_FALSE(found->revoked_at.has_value());

  ASSERT_TRUE(store_->revoke_token(token.info.id, kNow + 60).ok());
  EXPECT_FALSE(store_->find_token(token.secret).has_value());
  const auto listed = store_->tokens();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].revoked_at, kNow + 60);

  ASSERT_TRUE(store_->revoke_token(token.info.id, kNow + 120).ok()) << "revoking again is fine";
  EXPECT_EQ(store_->tokens()[0].revoked_at, kNow + 60) << "and keeps the first time";
}

TEST_F(StoreTokenTest, OtherTokensStayValidWhenOneIsRevoked) {
  const auto first = create("team:A");
  const auto second = create("person:kari");
  ASSERT_TRUE(store_->revoke_token(first.info.id, kNow).ok());
  ASSERT_TRUE(store_->find_token(second.secret).has_value());
  EXPECT_EQ(store_->find_token(second.secret)->audience, "person:kari");
}

TEST_F(StoreTokenTest, UnknownAndMalformedSecretsFindNothing) {
  const auto token = create();
  std::string altered = token.secret;
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(store_->find_token(altered).has_value());
  EXPECT_FALSE(store_->find_token("").has_value());
  EXPECT_FALSE(store_->find_token(token.secret + "x").has_value());
  EXPECT_FALSE(store_->find_token(std::string(43, '/')).has_value());
  EXPECT_FALSE(store_->find_token("' OR 1=1 --").has_value());
}

TEST_F(StoreTokenTest, TheDatabaseHoldsOnlyTheHash) {
  std::vector<NewFeedToken> made;
  for (int i = 0; i < 3; ++i) made.push_back(create("team:A", "label " + std::to_string(i)));
  ASSERT_TRUE(database_->ping().ok());
  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    bytes += testing::read_file(entry.path());  // the database, its WAL and shared memory
  }
  for (const auto& token : made) {
    EXPECT_EQ(bytes.find(token.secret), std::string::npos) << "secret in clear text";
    EXPECT_NE(bytes.find(sha256_hex(token.secret)), std::string::npos) << "hash not stored";
  }
}

TEST_F(StoreTokenTest, ListingNeverShowsSecretsButEverythingElse) {
  create("all", "Alle");
  create("team:C");
  const auto tokens = store_->tokens();
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_LT(tokens[0].id, tokens[1].id);
  EXPECT_EQ(tokens[0].audience, "all");
  EXPECT_EQ(tokens[0].label, "Alle");
  EXPECT_FALSE(tokens[0].last_access_at.has_value());
}

TEST_F(StoreTokenTest, AccessTimesAreWrittenAtMostOnceAMinute) {
  const auto token = create();
  store_->record_access(token.info.id, kNow + 100);
  store_->record_access(token.info.id, kNow + 130);
  EXPECT_EQ(store_->tokens()[0].last_access_at, kNow + 100);
  store_->record_access(token.info.id, kNow + 161);
  EXPECT_EQ(store_->tokens()[0].last_access_at, kNow + 161);

  auto reopened = StateDatabase::open(db_path());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(FeedTokens(*reopened).tokens()[0].last_access_at, kNow + 161) << "written to disk";
}

TEST_F(StoreTokenTest, ATokenWithoutAPlanCoversEveryPlanAndNeedsNoPublishedOne) {
  auto personal = store_->create_token("", "person:sindre.lunde", "Sindre", kNow);
  ASSERT_TRUE(personal.ok()) << personal.error().message;
  EXPECT_TRUE(personal->info.covers_every_plan());
  const auto found = store_->find_token(personal->secret);
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->covers_every_plan());
  EXPECT_EQ(found->audience, "person:sindre.lunde");
  EXPECT_TRUE(store_->tokens()[0].covers_every_plan());
}

TEST_F(StoreTokenTest, FeedAndPageAccessTimesAreKeptApart) {
  const auto token = create();
  store_->record_access(token.info.id, kNow + 100, TokenUse::Feed);
  EXPECT_EQ(store_->tokens()[0].last_access_at, kNow + 100);
  EXPECT_FALSE(store_->tokens()[0].last_page_access_at.has_value());
  store_->record_access(token.info.id, kNow + 110, TokenUse::Page);
  EXPECT_EQ(store_->tokens()[0].last_page_access_at, kNow + 110) << "a page is not a feed";
  EXPECT_EQ(store_->tokens()[0].last_access_at, kNow + 100);
}

TEST_F(StoreTokenTest, ATokenNeedsAPublishedPlanAndAValidAudience) {
  auto unknown_plan = store_->create_token("nope", "all", "", kNow);
  ASSERT_FALSE(unknown_plan.ok());
  EXPECT_NE(unknown_plan.error().message.find("plancal publish"), std::string::npos);
  for (const std::string audience : {"", "team", "team:", "everyone", "group:A"}) {
    auto bad = store_->create_token("mandagsseminar-2024", audience, "", kNow);
    ASSERT_FALSE(bad.ok()) << audience;
    EXPECT_NE(bad.error().message.find("invalid audience"), std::string::npos);
  }
  EXPECT_TRUE(store_->tokens().empty());
}

TEST_F(StoreTokenTest, RevokingAnUnknownIdIsAnError) {
  auto revoked = store_->revoke_token(42, kNow);
  ASSERT_FALSE(revoked.ok());
  EXPECT_EQ(revoked.error().message, "there is no feed token with id 42");
}

TEST_F(StoreTokenTest, ThreadsShareOneStoreSafely) {
  const auto token = create();
  const Plan plan = testing::store_test_plan();
  std::atomic<int> misses = 0;
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (!store_->find_token(token.secret)) ++misses;
        if (published_->events(plan.id).size() != 6) ++misses;
        store_->record_access(token.info.id, kNow + i * 61);
      }
    });
  }
  auto occurrences = testing::store_test_occurrences(plan.id);
  for (int i = 0; i < 20; ++i) {
    occurrences[0].summary = "Endret " + std::to_string(i);
    ASSERT_TRUE(published_->publish(plan, occurrences, kNow + i).ok());
  }
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(misses, 0);
}

TEST(StoreSecretsTest, Sha256MatchesTheStandardVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
}

}  // namespace
}  // namespace plancal
