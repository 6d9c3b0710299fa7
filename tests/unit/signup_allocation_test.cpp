// Allocation of date rows after the sign-up deadline (seed 003): as many organisations placed
// as the rows allow, earlier registrations first, their preferences in their order, and a
// waiting list that moves up when someone withdraws.

#include <gtest/gtest.h>

#include "signup/allocation.h"

namespace plancal::signup {
namespace {

// Seed 003's rows: one place each; Wednesdays are already FULLT.
const std::vector<RowPlaces> kSeedRows = {{"tirsdager", "Datorekke 1: Tirsdager", 1},
                                          {"onsdager", "Datorekke 2: Onsdager", 0},
                                          {"torsdager", "Datorekke 3: Torsdager", 1}};

const std::vector<RowPlaces> kThreeFreeRows = {{"tirsdager", "Datorekke 1: Tirsdager", 1},
                                               {"onsdager", "Datorekke 2: Onsdager", 1},
                                               {"torsdager", "Datorekke 3: Torsdager", 1}};

Registration reg(std::string id, std::int64_t at, std::vector<std::string> preferences) {
  return {id, "Organisasjon " + id, at, std::move(preferences)};
}

const Placement& of(const std::vector<Placement>& placements, const std::string& id) {
  for (const auto& p : placements) {
    if (p.registration_id == id) return p;
  }
  throw std::runtime_error("no placement for " + id);
}

TEST(SignupAllocationTest, SeedRowsPlaceTheFirstTwoAndQueueTheThird) {
  const auto placements = allocate(kSeedRows, {reg("nav-drammen", 10, {"onsdager", "tirsdager"}),
                                               reg("sykehuset", 20, {"tirsdager", "torsdager"}),
                                               reg("dagsenteret", 30, {"tirsdager"})});
  ASSERT_EQ(placements.size(), 3U);
  EXPECT_EQ(of(placements, "nav-drammen").row, "tirsdager");
  EXPECT_EQ(of(placements, "nav-drammen").explanation,
            "Datorekke 1: Tirsdager: plassert som nr. 1 i køen (2. valg)");
  EXPECT_EQ(of(placements, "sykehuset").row, "torsdager");
  EXPECT_EQ(of(placements, "sykehuset").choice, 2);
  const auto& waiting = of(placements, "dagsenteret");
  EXPECT_FALSE(waiting.row.has_value());
  EXPECT_EQ(waiting.waiting_number, 1);
  EXPECT_EQ(waiting.explanation,
            "Venteliste nr. 1 (nr. 3 i køen): datorekkene dere kan ta, er fulle");
}

TEST(SignupAllocationTest, PlacingEveryoneMakesTheFirstTakeItsSecondChoice) {
  // First come, first served on first choices would place only one of the two.
  const auto placements =
      allocate({{"tirsdager", "Tirsdager", 1}, {"onsdager", "Onsdager", 1}},
               {reg("first", 1, {"tirsdager", "onsdager"}), reg("second", 2, {"tirsdager"})});
  EXPECT_EQ(of(placements, "first").row, "onsdager");
  EXPECT_EQ(of(placements, "first").explanation, "Onsdager: plassert som nr. 1 i køen (2. valg)");
  EXPECT_EQ(of(placements, "second").row, "tirsdager");
  EXPECT_EQ(of(placements, "second").explanation, "Tirsdager: plassert som nr. 2 i køen");
}

TEST(SignupAllocationTest, TheFirstThreeArePlacedThoughLaterOnesWantedTheSameRows) {
  const auto placements = allocate(
      kThreeFreeRows, {reg("r4", 40, {"tirsdager", "onsdager", "torsdager"}),
                       reg("r1", 10, {"tirsdager"}), reg("r2", 20, {"onsdager"}),
                       reg("r3", 30, {"torsdager", "tirsdager"}), reg("r5", 50, {"onsdager"})});
  // In registration order, whatever order they were handed in.
  EXPECT_EQ(placements[0].registration_id, "r1");
  EXPECT_EQ(placements[4].registration_id, "r5");
  EXPECT_EQ(of(placements, "r1").row, "tirsdager");
  EXPECT_EQ(of(placements, "r2").row, "onsdager");
  EXPECT_EQ(of(placements, "r3").row, "torsdager");
  EXPECT_EQ(of(placements, "r3").choice, 1);
  EXPECT_EQ(of(placements, "r4").waiting_number, 1);
  EXPECT_EQ(of(placements, "r5").waiting_number, 2);
}

TEST(SignupAllocationTest, AnEarlierRegistrationKeepsItsFirstChoiceWhenNoOneIsLeftOutByIt) {
  const auto placements = allocate(kThreeFreeRows, {reg("early", 1, {"onsdager", "tirsdager"}),
                                                    reg("late", 2, {"onsdager", "torsdager"})});
  EXPECT_EQ(of(placements, "early").row, "onsdager");
  EXPECT_EQ(of(placements, "late").row, "torsdager");
}

TEST(SignupAllocationTest, ASecondSeriesIsJustAnotherRowForTheNextAllocation) {
  std::vector<Registration> registrations = {reg("a", 1, {"tirsdager"}),
                                             reg("b", 2, {"tirsdager", "tirsdager-2"})};
  std::vector<RowPlaces> rows = {{"tirsdager", "Tirsdager", 1}};
  EXPECT_FALSE(of(allocate(rows, registrations), "b").row.has_value());
  rows.push_back({"tirsdager-2", "Tirsdager, parallell rekke", 1});
  EXPECT_EQ(of(allocate(rows, registrations), "b").row, "tirsdager-2");
}

TEST(SignupAllocationTest, TiesGoByIdAndUnknownOrMissingRowsPlaceNobody) {
  const auto placements = allocate({{"tirsdager", "Tirsdager", 1}},
                                   {reg("b", 5, {"tirsdager"}), reg("a", 5, {"tirsdager"}),
                                    reg("c", 1, {"fredager"}), reg("d", 2, {})});
  EXPECT_EQ(of(placements, "a").row, "tirsdager");
  EXPECT_FALSE(of(placements, "b").row.has_value());
  EXPECT_FALSE(of(placements, "c").row.has_value());
  EXPECT_EQ(of(placements, "d").explanation,
            "Venteliste nr. 2 (nr. 2 i køen): ingen datorekke er valgt");
}

TEST(SignupAllocationTest, TwoHundredForTheLastPlaceGiveOnePlacedAndAWaitingListOf199) {
  std::vector<Registration> registrations;
  for (int i = 0; i < 200; ++i) {
    registrations.push_back(reg("org-" + std::to_string(1000 + i), 1000 - i, {"torsdager"}));
  }
  const auto placements = allocate({{"torsdager", "Torsdager", 1}}, registrations);
  int placed = 0;
  for (std::size_t i = 0; i < placements.size(); ++i) {
    if (placements[i].row) {
      ++placed;
      EXPECT_EQ(placements[i].registration_id, "org-1199") << "the earliest confirmation";
    } else {
      EXPECT_EQ(placements[i].waiting_number, static_cast<int>(i));
    }
  }
  EXPECT_EQ(placed, 1);
}

TEST(SignupAllocationTest, AWithdrawalPlacesTheFirstOnTheWaitingListWhoseWishesFit) {
  const std::vector<Registration> registrations = {
      reg("r1", 10, {"tirsdager"}), reg("r2", 20, {"onsdager"}), reg("r3", 30, {"torsdager"}),
      reg("r4", 40, {"onsdager"}), reg("r5", 50, {"tirsdager", "onsdager"})};
  auto placements = allocate(kThreeFreeRows, registrations);
  ASSERT_EQ(of(placements, "r4").waiting_number, 1);
  ASSERT_EQ(of(placements, "r5").waiting_number, 2);
  std::optional<std::string> placed;
  placements = fill_vacancy(kThreeFreeRows, registrations, placements, "r1", placed);
  // Tuesday is free: r4 wants only Wednesday, so r5 is placed; r4 moves up to first.
  EXPECT_EQ(placed, "r5");
  EXPECT_EQ(placements.size(), 4U);
  EXPECT_EQ(of(placements, "r5").row, "tirsdager");
  EXPECT_EQ(of(placements, "r5").explanation, "Datorekke 1: Tirsdager: plassert som nr. 5 i køen");
  EXPECT_EQ(of(placements, "r4").waiting_number, 1);
  EXPECT_EQ(of(placements, "r2").row, "onsdager") << "nobody placed is moved";

  placements = fill_vacancy(kThreeFreeRows, registrations, placements, "r3", placed);
  EXPECT_FALSE(placed.has_value()) << "nobody waiting wants Thursday";
  EXPECT_EQ(of(placements, "r4").waiting_number, 1);
}

}  // namespace
}  // namespace plancal::signup
