// Registrations in the state database (schema version 9): a registration and its confirmation
// mail are planned in one commit, only the links' hashes are stored, an unconfirmed one
// expires after a day, confirming twice sends one receipt, and every change leaves history.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "registration_test_support.h"
#include "store/registration_mails.h"
#include "store/registrations.h"
#include "store/schema.h"
#include "store/secrets.h"
#include "store/sqlite.h"
#include "test_support.h"

namespace plancal {
namespace {

constexpr std::int64_t kNow = 1'629'900'000;  // August 2021, before seed 003's deadline

class StoreRegistrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = StateDatabase::open(db_path());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    database_.emplace(std::move(*opened));
  }

  std::string db_path() const { return (dir_.path() / "plancal.db").string(); }

  /// A registration whose confirm link is `confirm_secret` and change link `change_secret`.
  NewRegistration registration(const std::string& organisation, const std::string& confirm_secret,
                               const std::string& change_secret) {
    return testing::seed003_registration(organisation, "kari@example.no", {"torsdag", "tirsdag"},
                                         confirm_secret, change_secret);
  }

  RegistrationStore store() { return RegistrationStore(*database_); }
  RegistrationMailStore mails() { return RegistrationMailStore(*database_); }

  testing::TempDir dir_;
  std::optional<StateDatabase> database_;
};

TEST_F(StoreRegistrationTest, SchemaVersionNineHasTheRegistrationTables) {
  EXPECT_GE(supported_schema_version(), 9);  // later versions keep these tables
  auto added = store().add(registration("Fretex", "confirm-secret-1", "change-secret-1"), kNow);
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_EQ(added->state, RegistrationState::Unconfirmed);
  EXPECT_EQ(added->expires_at, kNow + 24 * 60 * 60);
}

TEST_F(StoreRegistrationTest, AddKeepsEverythingTypedAndPlansOneConfirmationMail) {
  ASSERT_TRUE(store().add(registration("Fretex", "c1", "w1"), kNow).ok());
  auto all = store().registrations("dybdemoter-2021");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1U);
  EXPECT_EQ((*all)[0].organisation, "Fretex");
  EXPECT_EQ((*all)[0].preferences, (std::vector<std::string>{"torsdag", "tirsdag"}));
  EXPECT_EQ((*all)[0].participants, 4);
  EXPECT_TRUE(store().registrations("another-plan")->empty());

  auto due = mails().due(kNow);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1U);
  EXPECT_EQ((*due)[0].kind, RegistrationMailKind::Confirm);
  EXPECT_EQ((*due)[0].registration.organisation, "Fretex");
  ASSERT_TRUE(*mails().mark_sending((*due)[0].id, kNow, kNow + 60));
  EXPECT_FALSE(*mails().mark_sending((*due)[0].id, kNow, kNow + 60)) << "claimed once";
  ASSERT_TRUE(mails().mark_sent((*due)[0].id, kNow).ok());
  EXPECT_TRUE(mails().due(kNow + 3600)->empty());
}

TEST_F(StoreRegistrationTest, ConfirmByTheLinksHashOnceAndPlansOneReceipt) {
  ASSERT_TRUE(store().add(registration("Fretex", "c1", "w1"), kNow).ok());
  EXPECT_FALSE(store().confirm(sha256_hex("wrong"), "<r@plancal>", kNow + 10)->has_value());
  auto confirmed = store().confirm(sha256_hex("c1"), "<r1@plancal>", kNow + 10);
  ASSERT_TRUE(confirmed.ok()) << confirmed.error().message;
  ASSERT_TRUE(confirmed->has_value());
  EXPECT_EQ((*confirmed)->state, RegistrationState::Confirmed);
  EXPECT_EQ((*confirmed)->confirmed_at, kNow + 10);

  auto again = store().confirm(sha256_hex("c1"), "<r2@plancal>", kNow + 20);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->confirmed_at, kNow + 10) << "the queue place of the first confirmation";

  int receipts = 0;
  const auto due_after = mails().due(kNow + 30);  // held: the loop reads into it
  ASSERT_TRUE(due_after.ok());
  for (const auto& mail : *due_after) {
    if (mail.kind == RegistrationMailKind::Receipt) ++receipts;
  }
  EXPECT_EQ(receipts, 1);
  auto history = store().history((*confirmed)->id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2U);
  EXPECT_EQ((*history)[1].state, RegistrationState::Confirmed);
}

TEST_F(StoreRegistrationTest, UnconfirmedExpireAfterADayConfirmedStay) {
  ASSERT_TRUE(store().add(registration("Fretex", "c1", "w1"), kNow).ok());
  ASSERT_TRUE(store().add(registration("NAV Oslo", "c2", "w2"), kNow).ok());
  ASSERT_TRUE(store().confirm(sha256_hex("c2"), "<r@plancal>", kNow + 100)->has_value());

  EXPECT_FALSE(store().find_by_confirm_hash(sha256_hex("c1"), kNow + 24 * 3600)->has_value())
      << "a day old: the link no longer confirms";
  EXPECT_FALSE(store().confirm(sha256_hex("c1"), "<x@plancal>", kNow + 24 * 3600)->has_value());
  auto expired = store().expire_unconfirmed(kNow + 24 * 3600);
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(*expired, 1);
  auto left = store().registrations("");
  ASSERT_EQ(left->size(), 1U);
  EXPECT_EQ((*left)[0].organisation, "NAV Oslo");
}

TEST_F(StoreRegistrationTest, PlacementsAndWithdrawalLeaveHistory) {
  auto a = store().add(registration("Fretex", "c1", "w1"), kNow);
  auto b = store().add(registration("NAV Oslo", "c2", "w2"), kNow);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(store()
                  .apply_placements({{a->id, "torsdag", "Torsdager: plassert som nr. 1 i køen", ""},
                                     {b->id, std::nullopt, "nr. 1 på ventelisten", ""}},
                                    kNow + 50)
                  .ok());
  auto all = store().registrations("");
  EXPECT_EQ((*all)[0].state, RegistrationState::Placed);
  EXPECT_EQ((*all)[0].placed_row, std::optional<std::string>("torsdag"));
  EXPECT_EQ((*all)[1].state, RegistrationState::Waiting);

  EXPECT_FALSE(store().withdraw(sha256_hex("c1"), kNow + 60)->has_value())
      << "the confirm link is not the change link";
  auto withdrawn = store().withdraw(sha256_hex("w1"), kNow + 60);
  ASSERT_TRUE(withdrawn.ok() && withdrawn->has_value());
  EXPECT_EQ((*withdrawn)->state, RegistrationState::Withdrawn);
  auto history = store().history(a->id);
  ASSERT_EQ(history->size(), 3U);
  EXPECT_EQ((*history)[1].note, "Torsdager: plassert som nr. 1 i køen");
  EXPECT_EQ((*history)[2].state, RegistrationState::Withdrawn);
}

TEST_F(StoreRegistrationTest, TheDatabaseFileHoldsNoLink) {
  ASSERT_TRUE(
      store()
          .add(registration("Fretex", "the-confirm-link-secret", "the-change-link-secret"), kNow)
          .ok());
  database_.reset();
  std::ifstream file(db_path(), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  std::ifstream wal(db_path() + "-wal", std::ios::binary);
  const std::string wal_bytes((std::istreambuf_iterator<char>(wal)),
                              std::istreambuf_iterator<char>());
  for (const char* secret : {"the-confirm-link-secret", "the-change-link-secret"}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos);
    EXPECT_EQ(wal_bytes.find(secret), std::string::npos);
  }
  EXPECT_NE(bytes.find("Fretex") + wal_bytes.find("Fretex"), 2 * std::string::npos);
}

TEST_F(StoreRegistrationTest, ADatabaseAtVersionSevenMigratesToNine) {
  database_.reset();
  const auto path = dir_.path() / "old.db";
  {
    auto raw = sqlite::Database::open(path.string());
    ASSERT_TRUE(raw.ok());
    for (const auto& step : schema_migrations()) {
      if (step.version > 7) break;
      ASSERT_TRUE(raw->exec(step.sql).ok());
    }
    ASSERT_TRUE(raw->exec("PRAGMA application_id = " + std::to_string(kPlancalApplicationId) +
                          "; PRAGMA user_version = 7")
                    .ok());
  }
  auto reopened = StateDatabase::open(path.string());
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  EXPECT_TRUE(RegistrationStore(*reopened).registrations("")->empty());
  EXPECT_TRUE(RegistrationStore(*reopened).add(registration("Fretex", "c1", "w1"), kNow).ok());
}

}  // namespace
}  // namespace plancal
