// Signing in to the attendance pages: one-time links, sessions and rate limits, stored as
// hashes only.

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "config/config.h"
#include "store/web_sessions.h"
#include "test_support.h"

namespace plancal {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;
constexpr std::int64_t kEightHours = 8 * 3600;

class StoreWebSessionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = StateDatabase::open(db_path());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    sessions_.emplace(std::move(*opened));
  }

  std::string db_path() const { return (dir_.path() / "plancal.db").string(); }

  /// Every byte of the database, its WAL included.
  std::string file_bytes() const {
    std::string bytes;
    for (const char* suffix : {"", "-wal"}) {
      std::ifstream in(db_path() + suffix, std::ios::binary);
      bytes.append(std::istreambuf_iterator<char>(in), {});
    }
    return bytes;
  }

  const WebUser leader_{"kari@example.no", "kari.nordmann"};
  testing::TempDir dir_;
  std::optional<WebSessions> sessions_;
};

TEST_F(StoreWebSessionsTest, ALinkSignsInOnceAndOnlyWithinFifteenMinutes) {
  auto secret = sessions_->create_link(leader_, kNow);
  ASSERT_TRUE(secret.ok()) << secret.error().message;
  EXPECT_EQ(secret->size(), 43U);
  EXPECT_TRUE(*sessions_->link_is_live(*secret, kNow + 60));
  EXPECT_TRUE(*sessions_->link_is_live(*secret, kNow + 60));  // looking does not spend it

  auto first = sessions_->consume_link(*secret, kNow + 60);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, leader_);
  auto second = sessions_->consume_link(*secret, kNow + 61);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value());
  EXPECT_FALSE(*sessions_->link_is_live(*secret, kNow + 61));

  auto late = sessions_->create_link(leader_, kNow);
  ASSERT_TRUE(late.ok());
  EXPECT_FALSE(*sessions_->link_is_live(*late, kNow + kSignInLinkSeconds));
  EXPECT_FALSE(sessions_->consume_link(*late, kNow + kSignInLinkSeconds)->has_value());
  EXPECT_FALSE(sessions_->consume_link("not-a-link", kNow)->has_value());
}

TEST_F(StoreWebSessionsTest, ASessionLastsWhileUsedAndEndsWhenIdleOrSignedOut) {
  auto id = sessions_->create_session(leader_, kNow);
  ASSERT_TRUE(id.ok()) << id.error().message;
  // Used every seven hours, it lives on past eight hours from its start.
  EXPECT_EQ(*sessions_->resume_session(*id, kNow + 7 * 3600, kEightHours), leader_);
  EXPECT_EQ(*sessions_->resume_session(*id, kNow + 14 * 3600, kEightHours), leader_);
  // Idle for longer than the timeout, it is gone for good.
  EXPECT_FALSE(sessions_->resume_session(*id, kNow + 23 * 3600, kEightHours)->has_value());
  EXPECT_FALSE(sessions_->resume_session(*id, kNow + 14 * 3600, kEightHours)->has_value());

  auto other = sessions_->create_session(leader_, kNow);
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(sessions_->end_session(*other).ok());
  EXPECT_FALSE(sessions_->resume_session(*other, kNow + 1, kEightHours)->has_value());
}

TEST_F(StoreWebSessionsTest, SignInRequestsAreLimitedPerAddressAndPerClientPerHour) {
  const SignInLimits limits{.per_email_per_hour = 3, .per_client_per_hour = 5};
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(*sessions_->admit_sign_in_request("kari@example.no", "10.0.0.1", kNow + i, limits));
  }
  EXPECT_FALSE(*sessions_->admit_sign_in_request("kari@example.no", "10.0.0.2", kNow + 3, limits));
  // Another address from the first client: two more, then the client's limit.
  EXPECT_TRUE(*sessions_->admit_sign_in_request("ola@example.no", "10.0.0.1", kNow + 4, limits));
  EXPECT_TRUE(*sessions_->admit_sign_in_request("per@example.no", "10.0.0.1", kNow + 5, limits));
  EXPECT_FALSE(*sessions_->admit_sign_in_request("liv@example.no", "10.0.0.1", kNow + 6, limits));
  // An hour later, the address may ask again.
  EXPECT_TRUE(
      *sessions_->admit_sign_in_request("kari@example.no", "10.0.0.9", kNow + 3600 + 4, limits));
}

TEST_F(StoreWebSessionsTest, NoLinkSecretSessionIdOrAddressAskedForIsStoredInClear) {
  auto link = sessions_->create_link(leader_, kNow);
  auto id = sessions_->create_session(leader_, kNow);
  ASSERT_TRUE(link.ok() && id.ok());
  ASSERT_TRUE(
      sessions_->admit_sign_in_request("ukjent@example.no", "192.0.2.77", kNow, SignInLimits{})
          .ok());
  const std::string bytes = file_bytes();
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(bytes.find(*link), std::string::npos);
  EXPECT_EQ(bytes.find(*id), std::string::npos);
  EXPECT_EQ(bytes.find("ukjent@example.no"), std::string::npos);
  EXPECT_EQ(bytes.find("192.0.2.77"), std::string::npos);
}

TEST(AttendanceWebConfigTest, AdminsSessionTimeoutAndReminderDelayHaveDefaultsAndBounds) {
  const ConfigLoad plain = load_config_text("plans: [p.yaml]\n", "plancal.yaml");
  ASSERT_TRUE(plain.config.has_value()) << testing::diagnostics_text(plain.diagnostics);
  EXPECT_TRUE(plain.config->attendance.admins.empty());
  EXPECT_EQ(plain.config->attendance.session_idle_hours, 8);
  EXPECT_FALSE(plain.config->attendance.reminder_after_hours.has_value())
      << "the register reminder is sent only when asked for";

  const ConfigLoad set = load_config_text(
      "plans: [p.yaml]\nattendance:\n  admins: [Kontor@Example.org]\n  session_idle_hours: 2\n"
      "  reminder_after_hours: 6\n",
      "plancal.yaml");
  ASSERT_TRUE(set.config.has_value()) << testing::diagnostics_text(set.diagnostics);
  EXPECT_EQ(set.config->attendance.admins, std::vector<std::string>{"kontor@example.org"});
  EXPECT_EQ(set.config->attendance.session_idle_hours, 2);
  EXPECT_EQ(set.config->attendance.reminder_after_hours, 6);

  const ConfigLoad bad = load_config_text(
      "plans: [p.yaml]\nattendance:\n  admins: [ikke-en-adresse]\n  session_idle_hours: 0\n",
      "plancal.yaml");
  EXPECT_FALSE(bad.config.has_value());
  const std::string text = testing::diagnostics_text(bad.diagnostics);
  EXPECT_NE(text.find("plancal.yaml:3:"), std::string::npos) << text;
  EXPECT_NE(text.find("plancal.yaml:4:"), std::string::npos) << text;
}

}  // namespace
}  // namespace plancal
