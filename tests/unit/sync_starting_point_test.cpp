// Where a run starts from what the store remembers of its target (sync/starting_point.h): a
// new endpoint forgets, a new account finds the calendar again, and create attempt numbers
// never go back, whatever was forgotten.

#include "sync/starting_point.h"

#include <gtest/gtest.h>

namespace plancal::sync {
namespace {

TargetSyncState known(std::string account = "alice", std::int64_t last_attempt = 7) {
  return TargetSyncState{"team",    "https://dav.example/alice/", "/alice/team/",
                         "sync:42", std::move(account),           last_attempt};
}

const TargetIdentity kTarget{"team", "https://dav.example/alice/", "alice"};

TEST(SyncStartingPointTest, FirstRunDiscoversAndListsEverything) {
  const StartingPoint start = starting_point(std::nullopt, kTarget, {});
  EXPECT_FALSE(start.forget);
  EXPECT_FALSE(start.rediscover);
  EXPECT_EQ(start.collection, "");
  EXPECT_EQ(start.cursor, "");
  EXPECT_EQ(start.last_attempt, 0);
}

TEST(SyncStartingPointTest, SameEndpointAndAccountGoOnWhereTheLastRunLeftOff) {
  const StartingPoint start = starting_point(known(), kTarget, {});
  EXPECT_FALSE(start.forget);
  EXPECT_FALSE(start.rediscover);
  EXPECT_EQ(start.collection, "/alice/team/");
  EXPECT_EQ(start.cursor, "sync:42");
  EXPECT_EQ(start.last_attempt, 7);
}

TEST(SyncStartingPointTest, NewEndpointForgetsEverythingButTheAttemptNumbers) {
  TargetIdentity moved = kTarget;
  moved.endpoint = "https://dav.example/other/";
  const StartingPoint start = starting_point(known(), moved, {});
  EXPECT_TRUE(start.forget);
  EXPECT_EQ(start.collection, "");
  EXPECT_EQ(start.cursor, "");
  EXPECT_EQ(start.last_attempt, 7);
}

TEST(SyncStartingPointTest, NewAccountDiscoversAgainAndKeepsRowsOnlyForTheSameCalendar) {
  TargetIdentity bob = kTarget;
  bob.account = "bob";
  const StartingPoint start = starting_point(known(), bob, {});
  EXPECT_FALSE(start.forget);
  EXPECT_TRUE(start.rediscover);
  EXPECT_EQ(start.collection, "") << "discovery again";
  EXPECT_EQ(start.cursor, "sync:42") << "good if the same calendar is found";
  EXPECT_TRUE(keeps_rows("/alice/team/", "/alice/team/"));
  EXPECT_FALSE(keeps_rows("/alice/team/", "/bob/team/"));
  EXPECT_FALSE(keeps_rows("/alice/team/", ""));
}

TEST(SyncStartingPointTest, AnAccountNeverRecordedIsTakenAsThisOne) {
  const StartingPoint start = starting_point(known(""), kTarget, {});
  EXPECT_FALSE(start.rediscover);
  EXPECT_EQ(start.collection, "/alice/team/");
}

TEST(SyncStartingPointTest, AttemptNumbersAnIntentHoldsAreTakenToo) {
  SyncItem intent;
  intent.uid = "a";
  intent.state = SyncItemState::Creating;
  intent.attempt = 12;  // a killed run numbered it; its state was never saved
  EXPECT_EQ(starting_point(known(), kTarget, {intent}).last_attempt, 12);
  EXPECT_EQ(starting_point(std::nullopt, kTarget, {intent}).last_attempt, 12);
}

}  // namespace
}  // namespace plancal::sync
