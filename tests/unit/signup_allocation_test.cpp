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

/// The rows each placed registration holds, as told: what allocating again keeps.
KeptRows announced(const std::vector<Placement>& placements) {
  KeptRows kept;
  for (const auto& p : placements) {
    if (p.row) kept.emplace(p.registration_id, *p.row);
  }
  return kept;
}

TEST(SignupAllocationTest, AWithdrawalPlacesTheFirstOnTheWaitingListWhoseWishesFit) {
  std::vector<Registration> registrations = {
      reg("r1", 10, {"tirsdager"}), reg("r2", 20, {"onsdager"}), reg("r3", 30, {"torsdager"}),
      reg("r4", 40, {"onsdager"}), reg("r5", 50, {"tirsdager", "onsdager"})};
  auto placements = allocate(kThreeFreeRows, registrations);
  ASSERT_EQ(of(placements, "r4").waiting_number, 1);
  ASSERT_EQ(of(placements, "r5").waiting_number, 2);
  // r1 withdraws: it takes no further part, and everyone placed keeps their row.
  auto kept = announced(placements);
  kept.erase("r1");
  std::erase_if(registrations, [](const Registration& r) { return r.id == "r1"; });
  placements = allocate(kThreeFreeRows, registrations, kept);
  // Tuesday is free: r4 wants only Wednesday, so r5 is placed; r4 moves up to first.
  EXPECT_EQ(placements.size(), 4U);
  EXPECT_EQ(of(placements, "r5").row, "tirsdager");
  EXPECT_EQ(of(placements, "r5").explanation, "Datorekke 1: Tirsdager: plassert som nr. 4 i køen");
  EXPECT_EQ(of(placements, "r4").waiting_number, 1);
  EXPECT_EQ(of(placements, "r2").row, "onsdager") << "nobody placed is moved";

  kept = announced(placements);
  kept.erase("r3");
  std::erase_if(registrations, [](const Registration& r) { return r.id == "r3"; });
  placements = allocate(kThreeFreeRows, registrations, kept);
  EXPECT_FALSE(of(placements, "r4").row.has_value()) << "r4 wants only Wednesday, still taken";
  EXPECT_EQ(of(placements, "r4").waiting_number, 1);
  EXPECT_EQ(of(placements, "r5").row, "tirsdager");
}

TEST(SignupAllocationTest, APlacementThatWasAnnouncedStaysPutWhenALaterOneWantsItsRow) {
  // r1 accepts Tuesday or Wednesday and was placed on Tuesday, alone. r2, confirmed later,
  // accepts only Tuesday. Allocated from scratch, r1 would move to Wednesday to make room;
  // once told, r1 stays and r2 waits.
  const std::vector<RowPlaces> rows = {{"tirsdager", "Tirsdager", 1}, {"onsdager", "Onsdager", 1}};
  const auto first = allocate(rows, {reg("r1", 10, {"tirsdager", "onsdager"})});
  ASSERT_EQ(of(first, "r1").row, "tirsdager");
  const std::vector<Registration> both = {reg("r1", 10, {"tirsdager", "onsdager"}),
                                          reg("r2", 20, {"tirsdager"})};
  EXPECT_EQ(of(allocate(rows, both), "r1").row, "onsdager") << "from scratch, r1 makes room";
  const auto again = allocate(rows, both, announced(first));
  EXPECT_EQ(of(again, "r1").row, "tirsdager");
  EXPECT_FALSE(of(again, "r2").row.has_value());
  EXPECT_EQ(of(again, "r2").explanation,
            "Venteliste nr. 1 (nr. 2 i køen): datorekkene dere kan ta, er fulle");
}

TEST(SignupAllocationTest, ANewRowPlacesTheWaitingListAndARemovedRowsHoldersAreAllocatedAgain) {
  std::vector<RowPlaces> rows = {{"tirsdager", "Tirsdager", 1}};
  const std::vector<Registration> registrations = {reg("a", 1, {"tirsdager"}),
                                                   reg("b", 2, {"tirsdager", "tirsdager-2"}),
                                                   reg("c", 3, {"tirsdager-2", "tirsdager"})};
  const auto first = allocate(rows, registrations);
  ASSERT_EQ(of(first, "a").row, "tirsdager");
  rows.push_back({"tirsdager-2", "Tirsdager, parallell rekke", 1});
  const auto second = allocate(rows, registrations, announced(first));
  EXPECT_EQ(of(second, "a").row, "tirsdager");
  EXPECT_EQ(of(second, "b").row, "tirsdager-2") << "the earlier of the waiting list first";
  EXPECT_FALSE(of(second, "c").row.has_value());
  // The first row is taken out of the plan: its holder is allocated again, in queue order.
  rows.erase(rows.begin());
  const auto third = allocate(rows, registrations, announced(second));
  EXPECT_EQ(of(third, "b").row, "tirsdager-2") << "kept";
  EXPECT_FALSE(of(third, "a").row.has_value());
  EXPECT_EQ(of(third, "a").explanation, "Venteliste nr. 1 (nr. 1 i køen): ingen datorekke er valgt")
      << "none of the rows it chose is in the plan any more";
}

TEST(SignupAllocationTest, NumericIdsConfirmedInTheSameSecondGoInTheOrderTheyWereMade) {
  const auto placements = allocate({{"torsdager", "Torsdager", 1}},
                                   {reg("10", 5, {"torsdager"}), reg("9", 5, {"torsdager"})});
  EXPECT_EQ(of(placements, "9").row, "torsdager");
  EXPECT_FALSE(of(placements, "10").row.has_value());
}

}  // namespace
}  // namespace plancal::signup
