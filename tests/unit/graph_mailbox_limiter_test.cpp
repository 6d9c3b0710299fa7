// Four requests (batch items counted one by one) outstanding per mailbox, whoever sends them
// (graph/mailbox_limiter.h): a client that would take the mailbox past four waits for the
// others to give slots back; another mailbox never waits. Stepped through its waiting count,
// no sleeps.

#include "graph/mailbox_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <thread>

namespace plancal::graph {
namespace {

/// Spins (yielding) until `condition` holds: every wait here ends because of a step the test
/// itself takes.
template <typename Condition>
void until(Condition condition) {
  while (!condition()) std::this_thread::yield();
}

TEST(GraphMailboxLimiterTest, AClientThatWouldPassFourRequestsWaitsForTheOthers) {
  MailboxLimiter limiter;
  std::optional<MailboxLimiter::Turn> first(limiter.take("kari@kommune.no", 3));
  // The fourth slot is free.
  { const MailboxLimiter::Turn one_more = limiter.take("kari@kommune.no"); }
  std::atomic<bool> second_sent{false};
  std::thread second([&] {
    // Two batch items of the same mailbox: three are on the wire, so they wait.
    const MailboxLimiter::Turn turn = limiter.take("Kari@Kommune.no", 2);
    second_sent = true;
  });
  until([&] { return limiter.waiting("kari@kommune.no") == 1; });
  EXPECT_FALSE(second_sent) << "the mailbox already has three requests on the wire";

  // Another mailbox is not held up, even for all four of its slots.
  { const MailboxLimiter::Turn other = limiter.take("ola@kommune.no", 4); }

  first.reset();
  second.join();
  EXPECT_TRUE(second_sent);
  EXPECT_EQ(limiter.waiting("kari@kommune.no"), 0U);
}

TEST(GraphMailboxLimiterTest, ATurnMovedAwayIsGivenBackOnce) {
  MailboxLimiter limiter;
  {
    MailboxLimiter::Turn turn = limiter.take("kari@kommune.no", 4);
    const MailboxLimiter::Turn moved(std::move(turn));
  }
  const MailboxLimiter::Turn again = limiter.take("kari@kommune.no", 4);  // does not wait
  EXPECT_EQ(limiter.waiting("kari@kommune.no"), 0U);
}

}  // namespace
}  // namespace plancal::graph
