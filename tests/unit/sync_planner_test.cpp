// The reconcile decision table (sync/planner.h), rule by rule: what the plan wants, what the
// store remembers and what the target showed -> the writes, rows settled without a write,
// and rows forgotten. Every rule the engine relies on for crash safety and for the
// restore/keep policies has a case here.

#include "sync/planner.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace plancal::sync {
namespace {

using Kind = Observation::Kind;

/// A planner input built row by row, the way a test reads.
class PlannerCase {
 public:
  PlannerCase& want(const std::string& uid, const std::string& hash) {
    auto& occurrence = occurrences_.emplace_back();
    occurrence.summary = "Møte " + uid;
    desired_.push_back(DesiredEvent{uid, hash, nullptr, {}});
    return *this;
  }
  PlannerCase& stored(const std::string& uid, const std::string& sent_hash,
                      SyncItemState state = SyncItemState::Synced,
                      const std::string& remote_hash = "", const std::string& version = "\"v1\"") {
    items_.push_back(
        SyncItem{uid, "/cal/" + uid + ".ics", version, sent_hash, remote_hash, state, 100});
    return *this;
  }
  PlannerCase& gone(const std::string& uid) {
    observed_[uid] = Observation{Kind::Gone, {}};
    return *this;
  }
  PlannerCase& present(const std::string& uid, const std::string& content_hash,
                       const std::string& version = "\"v2\"") {
    observed_[uid] =
        Observation{Kind::Present, RemoteEvent{"/cal/" + uid + ".ics", version, uid, content_hash}};
    return *this;
  }
  PlannerCase& policy(RemoteChangePolicy policy) {
    policy_ = policy;
    return *this;
  }

  SyncPlan plan() {
    // occurrences_ no longer grows: the pointers stay valid for the plan's lifetime.
    for (std::size_t i = 0; i < desired_.size(); ++i) desired_[i].occurrence = &occurrences_[i];
    std::sort(items_.begin(), items_.end(),
              [](const SyncItem& a, const SyncItem& b) { return a.uid < b.uid; });
    PlannerInput input;
    input.desired = &desired_;
    input.items = &items_;
    input.observed = &observed_;
    input.policy = policy_;
    input.ref_for_new = [](const std::string& uid) { return "/cal/new-" + uid + ".ics"; };
    input.now = 200;
    return plan_sync(input);
  }

 private:
  std::vector<Occurrence> occurrences_;
  std::vector<DesiredEvent> desired_;
  std::vector<SyncItem> items_;
  std::map<std::string, Observation> observed_;
  RemoteChangePolicy policy_ = RemoteChangePolicy::Restore;
};

/// "create a", "update b", "delete c": the writes in a form a failure message shows well.
std::vector<std::string> writes_of(const SyncPlan& plan) {
  std::vector<std::string> out;
  for (const auto& planned : plan.writes) {
    const char* verb = planned.operation.kind == OperationKind::Create   ? "create "
                       : planned.operation.kind == OperationKind::Update ? "update "
                                                                         : "delete ";
    out.push_back(verb + planned.change.uid);
  }
  return out;
}

using Writes = std::vector<std::string>;

TEST(SyncPlannerTest, NewEventsAreCreatedAtTheirDeterministicRef) {
  const SyncPlan plan = PlannerCase().want("a", "h1").plan();
  ASSERT_EQ(writes_of(plan), Writes{"create a"});
  EXPECT_EQ(plan.writes[0].operation.current.ref, "/cal/new-a.ics");
  EXPECT_EQ(plan.writes[0].change.reason, "new");
  EXPECT_EQ(plan.writes[0].change.summary, "Møte a");
}

TEST(SyncPlannerTest, NothingChangedAnywhereMeansNoWrite) {
  const SyncPlan plan = PlannerCase().want("a", "h1").stored("a", "h1").plan();
  EXPECT_TRUE(plan.writes.empty());
  EXPECT_EQ(plan.unchanged, 1);
  EXPECT_EQ(plan.conflicts, 0);
}

TEST(SyncPlannerTest, APlanChangeUpdatesAgainstTheRememberedVersion) {
  const SyncPlan plan = PlannerCase().want("a", "h2").stored("a", "h1").plan();
  ASSERT_EQ(writes_of(plan), Writes{"update a"});
  EXPECT_EQ(plan.writes[0].operation.current.version, "\"v1\"");
  EXPECT_FALSE(plan.writes[0].restores);
}

TEST(SyncPlannerTest, AnEventFoundWithoutARowIsAdoptedWhenItMatches) {
  // A killed run created it but never recorded it (or a 412 on create named it).
  const SyncPlan plan = PlannerCase().want("a", "h1").present("a", "h1").plan();
  EXPECT_TRUE(plan.writes.empty());
  EXPECT_EQ(plan.adopted, 1);
  ASSERT_EQ(plan.settle.size(), 1U);
  EXPECT_EQ(plan.settle[0].state, SyncItemState::Synced);
  EXPECT_EQ(plan.settle[0].version, "\"v2\"");
}

TEST(SyncPlannerTest, AnAdoptedEventWithOtherContentIsUpdated) {
  const SyncPlan plan = PlannerCase().want("a", "h2").present("a", "old").plan();
  EXPECT_EQ(writes_of(plan), Writes{"update a"});
  EXPECT_EQ(plan.adopted, 1);
}

TEST(SyncPlannerTest, ARemoteEditIsRestoredByDefault) {
  const SyncPlan plan = PlannerCase().want("a", "h1").stored("a", "h1").present("a", "x").plan();
  ASSERT_EQ(writes_of(plan), Writes{"update a"});
  EXPECT_TRUE(plan.writes[0].restores);
  EXPECT_EQ(plan.writes[0].operation.current.version, "\"v2\"") << "must match the edit's ETag";
  EXPECT_EQ(plan.conflicts, 1);
  ASSERT_EQ(plan.notes.size(), 1U);
  EXPECT_NE(plan.notes[0].find("edited"), std::string::npos);
}

TEST(SyncPlannerTest, ARemoteEditIsKeptUnderTheKeepPolicy) {
  const SyncPlan plan = PlannerCase()
                            .policy(RemoteChangePolicy::Keep)
                            .want("a", "h1")
                            .stored("a", "h1")
                            .present("a", "x")
                            .plan();
  EXPECT_TRUE(plan.writes.empty());
  EXPECT_EQ(plan.conflicts, 1);
  ASSERT_EQ(plan.settle.size(), 1U);
  EXPECT_EQ(plan.settle[0].state, SyncItemState::Kept);
  EXPECT_EQ(plan.settle[0].version, "\"v2\"");
}

TEST(SyncPlannerTest, ARemoteDeleteIsRestoredByDefaultAndKeptUnderKeep) {
  const SyncPlan restored = PlannerCase().want("a", "h1").stored("a", "h1").gone("a").plan();
  ASSERT_EQ(writes_of(restored), Writes{"create a"});
  EXPECT_TRUE(restored.writes[0].restores);
  EXPECT_EQ(restored.conflicts, 1);

  const SyncPlan kept = PlannerCase()
                            .policy(RemoteChangePolicy::Keep)
                            .want("a", "h1")
                            .stored("a", "h1")
                            .gone("a")
                            .plan();
  EXPECT_TRUE(kept.writes.empty());
  ASSERT_EQ(kept.settle.size(), 1U);
  EXPECT_EQ(kept.settle[0].state, SyncItemState::Kept);
}

TEST(SyncPlannerTest, AKeptEventStaysUntilThePlanChangesIt) {
  const SyncPlan quiet = PlannerCase()
                             .policy(RemoteChangePolicy::Keep)
                             .want("a", "h1")
                             .stored("a", "h1", SyncItemState::Kept)
                             .present("a", "someone's edit")
                             .plan();
  EXPECT_TRUE(quiet.writes.empty());
  EXPECT_EQ(quiet.conflicts, 0) << "a kept edit is counted once, when it is first seen";

  const SyncPlan changed = PlannerCase()
                               .policy(RemoteChangePolicy::Keep)
                               .want("a", "h2")
                               .stored("a", "h1", SyncItemState::Kept)
                               .present("a", "someone's edit")
                               .plan();
  EXPECT_EQ(writes_of(changed), Writes{"update a"});

  const SyncPlan deleted_then_changed = PlannerCase()
                                            .policy(RemoteChangePolicy::Keep)
                                            .want("a", "h2")
                                            .stored("a", "h1", SyncItemState::Kept)
                                            .gone("a")
                                            .plan();
  EXPECT_EQ(writes_of(deleted_then_changed), Writes{"create a"});
}

TEST(SyncPlannerTest, AKeptDeletionIsCreatedAgainWhenThePlanChangesIt) {
  // Kept deletions have no version, and a later incremental listing does not repeat the
  // deletion: an update would go out without If-Match.
  const SyncPlan plan = PlannerCase()
                            .policy(RemoteChangePolicy::Keep)
                            .want("a", "h2")
                            .stored("a", "h1", SyncItemState::Kept, "", "")
                            .plan();
  EXPECT_EQ(writes_of(plan), Writes{"create a"});
}

TEST(SyncPlannerTest, APlanChangeWinsOverARemoteEditEvenUnderKeep) {
  const SyncPlan plan = PlannerCase()
                            .policy(RemoteChangePolicy::Keep)
                            .want("a", "h2")
                            .stored("a", "h1")
                            .present("a", "x")
                            .plan();
  EXPECT_EQ(writes_of(plan), Writes{"update a"});
}

TEST(SyncPlannerTest, AServerRewriteOfWhatWasSentIsNotAnEdit) {
  // New ETag, but the content is what plancal sent (or what the server made of it).
  const SyncPlan by_sent =
      PlannerCase().want("a", "h1").stored("a", "h1").present("a", "h1").plan();
  EXPECT_TRUE(by_sent.writes.empty());
  EXPECT_EQ(by_sent.conflicts, 0);
  ASSERT_EQ(by_sent.settle.size(), 1U);
  EXPECT_EQ(by_sent.settle[0].version, "\"v2\"") << "the new ETag is learnt";

  const SyncPlan by_stored = PlannerCase()
                                 .want("a", "h1")
                                 .stored("a", "h1", SyncItemState::Synced, "server-form")
                                 .present("a", "server-form")
                                 .plan();
  EXPECT_TRUE(by_stored.writes.empty());
  EXPECT_EQ(by_stored.conflicts, 0);
}

TEST(SyncPlannerTest, InterruptedWritesAreSettledAgainstTheTarget) {
  // Creating, and the server has it with the right content: no write, just record it.
  const SyncPlan landed = PlannerCase()
                              .want("a", "h1")
                              .stored("a", "h1", SyncItemState::Creating)
                              .present("a", "h1")
                              .plan();
  EXPECT_TRUE(landed.writes.empty());
  ASSERT_EQ(landed.settle.size(), 1U);
  EXPECT_EQ(landed.settle[0].state, SyncItemState::Synced);

  // Creating, and the server never got it: create again at the same ref.
  const SyncPlan lost =
      PlannerCase().want("a", "h1").stored("a", "h1", SyncItemState::Creating).gone("a").plan();
  ASSERT_EQ(writes_of(lost), Writes{"create a"});
  EXPECT_EQ(lost.writes[0].operation.current.ref, "/cal/a.ics");

  // Updating, and the server holds the old content: update again.
  const SyncPlan half = PlannerCase()
                            .want("a", "h2")
                            .stored("a", "h2", SyncItemState::Updating)
                            .present("a", "h1")
                            .plan();
  EXPECT_EQ(writes_of(half), Writes{"update a"});
}

TEST(SyncPlannerTest, EventsRemovedFromThePlanAreDeletedOrForgotten) {
  const SyncPlan plan = PlannerCase()
                            .stored("present", "h1")
                            .stored("already-gone", "h1")
                            .stored("half-deleted", "h1", SyncItemState::Deleting)
                            .gone("already-gone")
                            .plan();
  EXPECT_EQ(writes_of(plan), (Writes{"delete half-deleted", "delete present"}));
  EXPECT_EQ(plan.forget, std::vector<std::string>{"already-gone"});
  EXPECT_EQ(plan.deletes(), 2);
  EXPECT_EQ(plan.writes[1].change.reason, "removed from the plan");
}

TEST(SyncPlannerTest, ARemovedEventDeletesAgainstTheVersionSeenNow) {
  const SyncPlan plan = PlannerCase().stored("a", "h1").present("a", "x", "\"v9\"").plan();
  ASSERT_EQ(writes_of(plan), Writes{"delete a"});
  EXPECT_EQ(plan.writes[0].operation.current.version, "\"v9\"");
}

TEST(SyncPlannerTest, ForeignEventsAreNeverPlanned) {
  // Something in the target that is neither wanted nor owned does not appear in the plan.
  const SyncPlan plan =
      PlannerCase().want("a", "h1").stored("a", "h1").present("foreign", "f").plan();
  EXPECT_TRUE(plan.writes.empty());
  EXPECT_TRUE(plan.settle.empty());
  EXPECT_TRUE(plan.forget.empty());
}

}  // namespace
}  // namespace plancal::sync
