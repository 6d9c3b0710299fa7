// One request (or batch) outstanding per mailbox, whoever sends it (graph/mailbox_limiter.h):
// a second client of the same mailbox waits for the first to give its turn back; another
// mailbox never waits. Stepped through its waiting count, no sleeps.

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

TEST(GraphMailboxLimiterTest, ASecondClientOfTheMailboxWaitsForTheFirst) {
  MailboxLimiter limiter;
  std::optional<MailboxLimiter::Turn> first(limiter.take("kari@kommune.no"));
  std::atomic<bool> second_sent{false};
  std::thread second([&] {
    const MailboxLimiter::Turn turn = limiter.take("Kari@Kommune.no");  // the same mailbox
    second_sent = true;
  });
  until([&] { return limiter.waiting("kari@kommune.no") == 1; });
  EXPECT_FALSE(second_sent) << "the mailbox already has a request on the wire";

  // Another mailbox is not held up.
  { const MailboxLimiter::Turn other = limiter.take("ola@kommune.no"); }

  first.reset();
  second.join();
  EXPECT_TRUE(second_sent);
  EXPECT_EQ(limiter.waiting("kari@kommune.no"), 0U);
}

TEST(GraphMailboxLimiterTest, ATurnMovedAwayIsGivenBackOnce) {
  MailboxLimiter limiter;
  {
    MailboxLimiter::Turn turn = limiter.take("kari@kommune.no");
    const MailboxLimiter::Turn moved(std::move(turn));
  }
  const MailboxLimiter::Turn again = limiter.take("kari@kommune.no");  // does not wait
  EXPECT_EQ(limiter.waiting("kari@kommune.no"), 0U);
}

}  // namespace
}  // namespace plancal::graph
