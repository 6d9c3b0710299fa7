// Allocation of seed 003's date rows against a real state database, as the daemon and the
// sign-up pages run it (service/registration_allocation.h): nothing before the deadline's
// midnight in Oslo, everyone confirmed placed or queued right after it, a withdrawal filled
// from the waiting list without moving anyone, and allocations racing on several connections
// never giving one place twice.

#include "service/registration_allocation.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "base/hash.h"
#include "plan/loader.h"
#include "registration_test_support.h"
#include "store/registration_mails.h"
#include "store/registrations.h"
#include "test_support.h"

namespace plancal {
namespace {

// Seed 003: registration_deadline 2021-08-26; the form closes at midnight after it in Oslo,
// 2021-08-27 00:00 CEST = 2021-08-26 22:00 UTC.
constexpr std::int64_t kClosesAt = 1'630'015'200;
constexpr std::int64_t kConfirmedAt = 1'629'900'000;  // a few days before

class ServiceRegistrationAllocationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto load = load_plan_file(testing::example_plan("dybdemoter-2021.yaml").string());
    ASSERT_TRUE(load.plan);
    plan_ = std::move(*load.plan);
    auto opened = StateDatabase::open(db_path());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    database_.emplace(std::move(*opened));
    config_.smtp.emplace();  // placement mails are planned (nothing is sent here)
  }

  std::string db_path() const { return (dir_.path() / "plancal.db").string(); }

  /// Adds and confirms a registration `seconds` after kConfirmedAt; returns its id.
  std::int64_t confirmed(const std::string& organisation, std::vector<std::string> rows,
                         std::int64_t seconds, StateDatabase* database = nullptr) {
    RegistrationStore store(database != nullptr ? *database : *database_);
    const NewRegistration r =
        testing::seed003_registration(organisation, "kontakt@example.no", std::move(rows),
                                      "confirm " + organisation, "change " + organisation);
    const std::int64_t at = kConfirmedAt + seconds;
    auto added = store.add(r, at);
    EXPECT_TRUE(added.ok()) << (added.ok() ? "" : added.error().message);
    EXPECT_TRUE(store.confirm(r.confirm_hash, "<r-" + organisation + "@x>", at).ok());
    return added.ok() ? added->id : 0;
  }

  Result<int> settle(std::int64_t now, StateDatabase* database = nullptr) {
    return settle_closed_registrations(config_, {&plan_},
                                       database != nullptr ? *database : *database_, now);
  }

  RegistrationRecord record(std::int64_t id) {
    const auto all = RegistrationStore(*database_).registrations(plan_.id);
    for (const auto& r : *all) {
      if (r.id == id) return r;
    }
    throw std::runtime_error("no registration " + std::to_string(id));
  }

  int placement_mails() {
    int count = 0;
    const auto due = RegistrationMailStore(*database_).due(kClosesAt + 86400);
    for (const auto& m : *due) {
      if (m.kind == RegistrationMailKind::Placement) ++count;
    }
    return count;
  }

  testing::TempDir dir_;
  Plan plan_;
  Config config_;
  std::optional<StateDatabase> database_;
};

TEST_F(ServiceRegistrationAllocationTest, NobodyIsPlacedBeforeMidnightAfterTheDeadlineInOslo) {
  const auto fretex = confirmed("Fretex", {"tirsdag", "torsdag"}, 0);
  const auto sykehuset = confirmed("Sykehuset", {"tirsdag"}, 60);
  const auto dagsenteret = confirmed("Dagsenteret", {"torsdag"}, 120);

  ASSERT_EQ(*settle(kClosesAt - 1), 0) << "26 August 23:59:59 in Oslo: still open";
  EXPECT_EQ(record(fretex).state, RegistrationState::Confirmed);

  ASSERT_EQ(*settle(kClosesAt), 3);
  // Placing the most needs Fretex on its second choice; Dagsenteret then waits.
  EXPECT_EQ(record(fretex).placed_row, std::optional<std::string>("torsdag"));
  EXPECT_EQ(record(sykehuset).placed_row, std::optional<std::string>("tirsdag"));
  EXPECT_EQ(record(dagsenteret).state, RegistrationState::Waiting);
  EXPECT_EQ(placement_mails(), 3);

  ASSERT_EQ(*settle(kClosesAt + 60), 0) << "nothing changed: nothing written";
  EXPECT_EQ(placement_mails(), 3);
  EXPECT_EQ(RegistrationStore(*database_).history(fretex)->size(), 3U)
      << "registered, confirmed, placed: no line for the pass that changed nothing";
}

TEST_F(ServiceRegistrationAllocationTest, AWithdrawalIsFilledFromTheWaitingListMovingNobody) {
  const auto fretex = confirmed("Fretex", {"tirsdag", "torsdag"}, 0);
  const auto sykehuset = confirmed("Sykehuset", {"tirsdag"}, 60);
  const auto dagsenteret = confirmed("Dagsenteret", {"torsdag", "tirsdag"}, 120);
  ASSERT_EQ(*settle(kClosesAt), 3);
  ASSERT_EQ(record(fretex).placed_row, std::optional<std::string>("torsdag"));

  ASSERT_TRUE(
      RegistrationStore(*database_).withdraw(sha256_hex("change Sykehuset"), kClosesAt + 100).ok());
  ASSERT_EQ(*settle(kClosesAt + 101), 1) << "only Dagsenteret changes";
  EXPECT_EQ(record(dagsenteret).placed_row, std::optional<std::string>("tirsdag"));
  EXPECT_EQ(record(fretex).placed_row, std::optional<std::string>("torsdag"))
      << "Fretex was told Thursdays; from scratch it would now get Tuesdays";
  EXPECT_EQ(record(sykehuset).state, RegistrationState::Withdrawn);
  EXPECT_EQ(placement_mails(), 4);
}

TEST_F(ServiceRegistrationAllocationTest, TheOrganisersCommandMayAllocateBeforeTheDeadline) {
  const auto fretex = confirmed("Fretex", {"tirsdag"}, 0);
  AllocationRequest dry;
  dry.scope = AllocationScope::EverySeries;
  dry.dry_run = true;
  dry.now = kConfirmedAt;
  auto shown = allocate_registrations({&plan_}, *database_, dry);
  ASSERT_TRUE(shown.ok()) << shown.error().message;
  ASSERT_EQ(shown->size(), 1U);
  EXPECT_EQ(shown->front().lines.at(0).explanation,
            "Datorekke 1: Tirsdager: plassert som nr. 1 i køen");
  EXPECT_EQ(record(fretex).state, RegistrationState::Confirmed) << "a dry run writes nothing";

  AllocationRequest wet = dry;
  wet.dry_run = false;
  ASSERT_TRUE(allocate_registrations({&plan_}, *database_, wet).ok());
  EXPECT_EQ(record(fretex).state, RegistrationState::Placed);
  EXPECT_EQ(placement_mails(), 0) << "no Message-ID maker: no mail planned";
}

TEST_F(ServiceRegistrationAllocationTest, AllocationsRacingOnSeveralConnectionsGiveEachPlaceOnce) {
  // As in `plancal daemon`: the page's server threads share one connection, the mail job has
  // its own. Eight threads, four on each connection, each confirm 15 registrations after the
  // deadline and allocate after each one, all at once.
  constexpr int kThreads = 8;
  constexpr int kEach = 15;
  std::vector<StateDatabase> connections;
  for (int c = 0; c < 2; ++c) {
    auto database = StateDatabase::open(db_path());
    ASSERT_TRUE(database.ok()) << database.error().message;
    connections.push_back(std::move(*database));
  }
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      StateDatabase database = connections[static_cast<std::size_t>(t % 2)];
      for (int i = 0; i < kEach; ++i) {
        const std::string name = "org-" + std::to_string(t) + "-" + std::to_string(i);
        confirmed(name, {"torsdag", "tirsdag"}, t * kEach + i, &database);
        if (!settle(kClosesAt + 10, &database)) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_EQ(failures.load(), 0);

  const auto all = *RegistrationStore(*database_).registrations(plan_.id);
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kThreads * kEach)) << "nothing lost";
  std::map<std::string, int> holders;
  int waiting = 0;
  for (const auto& r : all) {
    if (r.state == RegistrationState::Placed) ++holders[*r.placed_row];
    if (r.state == RegistrationState::Waiting) ++waiting;
    // Nobody was placed and later moved or put back on the list.
    int placed_lines = 0;
    const auto history = RegistrationStore(*database_).history(r.id);
    for (const auto& line : *history) {
      placed_lines += line.state == RegistrationState::Placed ? 1 : 0;
    }
    EXPECT_LE(placed_lines, 1) << r.organisation;
    if (placed_lines == 1) {
      EXPECT_EQ(r.state, RegistrationState::Placed) << r.organisation;
    }
  }
  EXPECT_EQ(holders, (std::map<std::string, int>{{"tirsdag", 1}, {"torsdag", 1}}));
  EXPECT_EQ(waiting, kThreads * kEach - 2);
}

}  // namespace
}  // namespace plancal
