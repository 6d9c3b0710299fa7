// Invitations in the state database: a token and its invitation are made in one commit, the
// link is derived from the link key (never stored), and the intent claims a row so two runs
// never send one invitation both.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "store/feed_tokens.h"
#include "store/invitations.h"
#include "store/link_key.h"
#include "store/secrets.h"
#include "test_support.h"

namespace plancal {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;

class StoreInvitationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = StateDatabase::open(db_path());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    database_.emplace(std::move(*opened));
    auto key = load_or_create_link_key(db_path());
    ASSERT_TRUE(key.ok()) << key.error().message;
    key_ = *key;
  }

  std::string db_path() const { return (dir_.path() / "plancal.db").string(); }

  NewInvitation invitation_for(const std::string& person, const std::string& nonce) {
    NewInvitation n;
    n.person_id = person;
    n.person_name = "Navn " + person;
    n.email = person + "@example.no";
    n.reason = "new";
    n.nonce = nonce;
    n.token_hash = sha256_hex(derive_token_secret(key_.reveal(), nonce));
    n.message_id = "<invitation." + nonce + "@example.no>";
    return n;
  }

  testing::TempDir dir_;
  std::optional<StateDatabase> database_;
  Secret key_;
};

TEST_F(StoreInvitationTest, PlanningMakesThePersonalTokenTheDerivedLinkOpens) {
  InvitationStore store(*database_);
  auto planned = store.plan(invitation_for("kari", "nonce-1"), kNow);
  ASSERT_TRUE(planned.ok()) << planned.error().message;
  EXPECT_EQ(planned->state, InvitationState::Planned);

  FeedTokens tokens(*database_);
  const auto found = tokens.find_token(derive_token_secret(key_.reveal(), "nonce-1"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, planned->token_id);
  EXPECT_EQ(found->audience, "person:kari");
  EXPECT_TRUE(found->covers_every_plan());
  EXPECT_FALSE(tokens.find_token(derive_token_secret(key_.reveal(), "nonce-2")).has_value());
}

TEST_F(StoreInvitationTest, NeitherTheLinkNorTheKeyIsInTheDatabaseFile) {
  InvitationStore store(*database_);
  ASSERT_TRUE(store.plan(invitation_for("kari", "nonce-1"), kNow).ok());
  database_.reset();
  const std::string bytes = testing::read_file(db_path());
  EXPECT_EQ(bytes.find(derive_token_secret(key_.reveal(), "nonce-1")), std::string::npos);
  EXPECT_EQ(bytes.find(key_.reveal()), std::string::npos);
}

TEST_F(StoreInvitationTest, RotatingRevokesTheOldTokenInTheSameCommit) {
  InvitationStore store(*database_);
  auto first = store.plan(invitation_for("kari", "nonce-1"), kNow);
  ASSERT_TRUE(first.ok());
  auto again = invitation_for("kari", "nonce-2");
  again.reason = "rotate";
  again.revoke_token_ids = {first->token_id};
  ASSERT_TRUE(store.plan(again, kNow + 60).ok());
  FeedTokens tokens(*database_);
  EXPECT_FALSE(tokens.find_token(derive_token_secret(key_.reveal(), "nonce-1")).has_value());
  EXPECT_TRUE(tokens.find_token(derive_token_secret(key_.reveal(), "nonce-2")).has_value());
}

TEST_F(StoreInvitationTest, TheIntentClaimsTheRowUntilItsLeaseEnds) {
  InvitationStore store(*database_);
  auto planned = store.plan(invitation_for("kari", "nonce-1"), kNow);
  ASSERT_TRUE(planned.ok());
  ASSERT_EQ(store.due(kNow).size(), 1U);
  auto claimed = store.mark_sending(planned->id, kNow, kNow + 120);
  ASSERT_TRUE(claimed.ok());
  EXPECT_TRUE(*claimed);
  // A second run at the same moment: not due, cannot claim.
  EXPECT_TRUE(store.due(kNow + 10).empty());
  auto second = store.mark_sending(planned->id, kNow + 10, kNow + 130);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(*second);
  // The process died: after the lease the row is due again, still `sending`.
  const auto due = store.due(kNow + 120);
  ASSERT_EQ(due.size(), 1U);
  EXPECT_EQ(due[0].state, InvitationState::Sending);
  EXPECT_EQ(due[0].attempts, 1);
  ASSERT_TRUE(store.mark_sent(planned->id, kNow + 121).ok());
  EXPECT_TRUE(store.due(kNow + 100000).empty());
}

TEST_F(StoreInvitationTest, RetryWaitsAndFailedIsFinal) {
  InvitationStore store(*database_);
  auto planned = store.plan(invitation_for("kari", "nonce-1"), kNow);
  ASSERT_TRUE(planned.ok());
  ASSERT_TRUE(store.mark_retry(planned->id, kNow + 60, "temporary failure: 451").ok());
  EXPECT_TRUE(store.due(kNow + 59).empty());
  ASSERT_EQ(store.due(kNow + 60).size(), 1U);
  EXPECT_EQ(store.due(kNow + 60)[0].last_error, "temporary failure: 451");
  ASSERT_TRUE(store.mark_failed(planned->id, "permanent failure: 550").ok());
  EXPECT_TRUE(store.due(kNow + 100000).empty());
  EXPECT_EQ(store.invitations()[0].state, InvitationState::Failed);
}

TEST(LinkKeyTest, TheKeyIsMadeOnceWithMode600AndReadAgain) {
  testing::TempDir dir;
  const std::string db = (dir.path() / "state.db").string();
  EXPECT_FALSE(load_link_key(db).ok());
  auto made = load_or_create_link_key(db);
  ASSERT_TRUE(made.ok()) << made.error().message;
  struct stat info {};
  ASSERT_EQ(::stat(link_key_path(db).c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600U);
  auto again = load_or_create_link_key(db);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(*again == *made);
  EXPECT_EQ(made->reveal().size(), 43U);
}

TEST(LinkKeyTest, AKeyOthersCanReadOrADamagedOneIsRefusedWithoutShowingIt) {
  testing::TempDir dir;
  const std::string db = (dir.path() / "state.db").string();
  auto made = load_or_create_link_key(db);
  ASSERT_TRUE(made.ok());
  ::chmod(link_key_path(db).c_str(), 0644);
  auto readable = load_link_key(db);
  ASSERT_FALSE(readable.ok());
  EXPECT_NE(readable.error().message.find("chmod 600"), std::string::npos);
  EXPECT_EQ(readable.error().message.find(made->reveal()), std::string::npos);
  ::chmod(link_key_path(db).c_str(), 0600);
  std::ofstream(link_key_path(db)) << "short\n";
  auto damaged = load_link_key(db);
  ASSERT_FALSE(damaged.ok());
  EXPECT_NE(damaged.error().message.find("damaged"), std::string::npos);
}

TEST(LinkKeyTest, DerivedLinksDependOnKeyAndNonceAndLookLikeTokens) {
  const std::string a = derive_token_secret("key-one", "nonce");
  EXPECT_EQ(a, derive_token_secret("key-one", "nonce"));
  EXPECT_NE(a, derive_token_secret("key-two", "nonce"));
  EXPECT_NE(a, derive_token_secret("key-one", "nonce2"));
  EXPECT_TRUE(looks_like_token_secret(a));
}

}  // namespace
}  // namespace plancal
