// Attendance registers in the state database: one row per occurrence and person, every
// change in the audit trail, batches all or nothing, concurrent writers losing nothing,
// and retention deleting old registers.

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/attendance_registers.h"
#include "store/makeup_moves.h"
#include "test_support.h"

namespace plancal {
namespace {

constexpr std::int64_t kNow = 1'710'000'000;
constexpr Date kKeepAll{2000, 1, 1};

AttendanceChange change(const std::string& person, AttendanceStatus status,
                        const std::string& note = "", Date date = {2024, 3, 18},
                        const std::string& uid = "m4.A@plancal") {
  AttendanceChange c;
  c.record = AttendanceRecord{"mandagsseminar-2024", uid,  person, date, status, note, false,
                              "ingrid.haug",         kNow, 0};
  c.source = "cli";
  return c;
}

class StoreAttendanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = StateDatabase::open(path());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    registers_.emplace(std::move(*opened));
  }
  std::string path() const { return (dir_.path() / "plancal.db").string(); }

  std::vector<AttendanceRecord> all() {
    auto records = registers_->records({});
    EXPECT_TRUE(records.ok()) << records.error().message;
    return records.ok() ? *records : std::vector<AttendanceRecord>{};
  }
  std::vector<AttendanceAudit> trail() {
    auto audit = registers_->audit({});
    EXPECT_TRUE(audit.ok()) << audit.error().message;
    return audit.ok() ? *audit : std::vector<AttendanceAudit>{};
  }

  testing::TempDir dir_;
  std::optional<AttendanceRegisters> registers_;
};

TEST_F(StoreAttendanceTest, ARegistrationIsKeptWithItsNoteAndItsAuditRow) {
  auto written =
      registers_->write({change("sindre.lunde", AttendanceStatus::Absent, "syk")}, kKeepAll);
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(written->created, 1);
  const auto records = all();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].person_id, "sindre.lunde");
  EXPECT_EQ(records[0].status, AttendanceStatus::Absent);
  EXPECT_EQ(records[0].note, "syk");
  EXPECT_EQ(records[0].date, (Date{2024, 3, 18}));
  EXPECT_EQ(records[0].registered_by, "ingrid.haug");
  EXPECT_EQ(records[0].version, 1);
  const auto audit = trail();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_FALSE(audit[0].old_status.has_value());
  EXPECT_EQ(audit[0].new_status, AttendanceStatus::Absent);
  EXPECT_EQ(audit[0].new_note, "syk");
  EXPECT_EQ(audit[0].changed_by, "ingrid.haug");
}

TEST_F(StoreAttendanceTest, AChangeKeepsOneRowAndAddsOldToNewToTheAuditTrail) {
  ASSERT_TRUE(registers_->write({change("sindre.lunde", AttendanceStatus::Absent)}, kKeepAll).ok());
  auto again = registers_->write({change("sindre.lunde", AttendanceStatus::Absent)}, kKeepAll);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 1) << "the same registration again is no change";
  auto changed =
      registers_->write({change("sindre.lunde", AttendanceStatus::Excused, "lege")}, kKeepAll);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->changed, 1);
  const auto records = all();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].status, AttendanceStatus::Excused);
  EXPECT_EQ(records[0].version, 2);
  const auto audit = trail();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].old_status, AttendanceStatus::Absent);
  EXPECT_EQ(audit[1].new_status, AttendanceStatus::Excused);
  EXPECT_EQ(audit[1].old_note, "");
  EXPECT_EQ(audit[1].new_note, "lege");
}

TEST_F(StoreAttendanceTest, ASaveAgainstANewerVersionIsRefusedAndTheBatchIsNotWritten) {
  ASSERT_TRUE(registers_->write({change("sindre.lunde", AttendanceStatus::Absent)}, kKeepAll).ok());
  ASSERT_TRUE(registers_->write({change("sindre.lunde", AttendanceStatus::Late)}, kKeepAll).ok());
  AttendanceChange stale = change("sindre.lunde", AttendanceStatus::Attended);
  stale.expected_version = 1;  // the page showed version 1; another leader saved version 2
  auto refused =
      registers_->write({change("maja.berntsen", AttendanceStatus::Attended), stale}, kKeepAll);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("changed by someone else"), std::string::npos)
      << refused.error().message;
  const auto records = all();
  ASSERT_EQ(records.size(), 1u) << "maja's registration in the same batch is not written";
  EXPECT_EQ(records[0].status, AttendanceStatus::Late);
  EXPECT_EQ(trail().size(), 2u);

  stale.expected_version = 2;
  EXPECT_TRUE(registers_->write({stale}, kKeepAll).ok());
  EXPECT_EQ(all().at(0).status, AttendanceStatus::Attended);
}

TEST_F(StoreAttendanceTest, RetentionDeletesOlderRegistersAndTheirAuditTrail) {
  ASSERT_TRUE(registers_
                  ->write({change("sindre.lunde", AttendanceStatus::Absent, "", {2018, 3, 19},
                                  "old@plancal"),
                           change("sindre.lunde", AttendanceStatus::Attended)},
                          kKeepAll)
                  .ok());
  ASSERT_EQ(all().size(), 2u);
  auto written =
      registers_->write({change("maja.berntsen", AttendanceStatus::Attended)}, {2019, 12, 5});
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(written->expired, 1);
  const auto records = all();
  ASSERT_EQ(records.size(), 2u);
  for (const auto& r : records) EXPECT_EQ(r.date.year, 2024);
  for (const auto& a : trail()) EXPECT_EQ(a.date.year, 2024);
  EXPECT_EQ(trail().size(), 2u);
}

TEST_F(StoreAttendanceTest, FiltersByPersonAndYear) {
  ASSERT_TRUE(registers_
                  ->write({change("sindre.lunde", AttendanceStatus::Absent),
                           change("maja.berntsen", AttendanceStatus::Attended),
                           change("sindre.lunde", AttendanceStatus::Attended, "", {2025, 1, 13},
                                  "m1.2025@plancal")},
                          kKeepAll)
                  .ok());
  auto sindre = registers_->records({"", "sindre.lunde", std::nullopt});
  ASSERT_TRUE(sindre.ok());
  EXPECT_EQ(sindre->size(), 2u);
  auto year = registers_->records({"", "", 2024});
  ASSERT_TRUE(year.ok());
  EXPECT_EQ(year->size(), 2u);
  auto audit = registers_->audit({"", "maja.berntsen", std::nullopt});
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ(audit->at(0).person_id, "maja.berntsen");
}

TEST_F(StoreAttendanceTest, MakeUpDatesReadOnlyThePeopleRegisteredAbsentSomewhere) {
  auto written = registers_->write(
      {change("sindre.lunde", AttendanceStatus::Absent),
       change("sindre.lunde", AttendanceStatus::Attended, "", {2024, 3, 25}, "m4.C@plancal"),
       change("nora.vik", AttendanceStatus::Excused),
       change("maja.berntsen", AttendanceStatus::Late)},
      kKeepAll);
  ASSERT_TRUE(written.ok()) << written.error().message;
  auto absent = registers_->records_of_absent_people("mandagsseminar-2024");
  ASSERT_TRUE(absent.ok()) << absent.error().message;
  std::vector<std::string> seen;
  for (const auto& r : *absent) seen.push_back(r.person_id + " " + r.uid);
  EXPECT_EQ(seen, (std::vector<std::string>{"nora.vik m4.A@plancal", "sindre.lunde m4.A@plancal",
                                            "sindre.lunde m4.C@plancal"}))
      << "all of Sindre's registers (he made it up), none of Maja's";
  const auto after_first = registers_->last_change_id();
  ASSERT_TRUE(after_first.ok());
  EXPECT_GT(*after_first, 0);
  ASSERT_TRUE(registers_->write({change("nora.vik", AttendanceStatus::Excused)}, kKeepAll).ok());
  EXPECT_EQ(*registers_->last_change_id(), *after_first) << "nothing changed: no audit row";
  ASSERT_TRUE(registers_->write({change("nora.vik", AttendanceStatus::Attended)}, kKeepAll).ok());
  EXPECT_GT(*registers_->last_change_id(), *after_first) << "a kept change moves it on";
  auto other_plan = registers_->records_of_absent_people("dybdemoter-2021");
  ASSERT_TRUE(other_plan.ok());
  EXPECT_TRUE(other_plan->empty());
}

TEST_F(StoreAttendanceTest, TwoConnectionsWritingAtOnceLoseNothing) {
  constexpr int kPerWriter = 60;
  const auto writer = [this](const std::string& leader) {
    auto opened = StateDatabase::open(path());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    AttendanceRegisters registers(std::move(*opened));
    for (int i = 0; i < kPerWriter; ++i) {
      AttendanceChange c =
          change(leader + ".person" + std::to_string(i), AttendanceStatus::Attended);
      c.record.registered_by = leader;
      // Both leaders also register the same shared person: one row, both in the audit.
      AttendanceChange shared =
          change("shared" + std::to_string(i),
                 leader == "ingrid.haug" ? AttendanceStatus::Attended : AttendanceStatus::Late);
      shared.record.registered_by = leader;
      auto written = registers.write({c, shared}, kKeepAll);
      ASSERT_TRUE(written.ok()) << written.error().message;
    }
  };
  std::thread first(writer, "ingrid.haug");
  std::thread second(writer, "henrik.solberg");
  first.join();
  second.join();
  EXPECT_EQ(all().size(), static_cast<std::size_t>(3 * kPerWriter));
  // Every person of each leader once, each shared person once with a change per leader.
  EXPECT_EQ(trail().size(), static_cast<std::size_t>(4 * kPerWriter));
}

// --- make-up moves ---------------------------------------------------------------------------

MakeupMove move(const std::string& person, const std::string& to_uid, Date to_date,
                Date from_date = {2024, 3, 18}) {
  return {"mandagsseminar-2024", person, "m4.A@plancal", from_date, to_uid, to_date,
          "ingrid.haug",         kNow};
}

TEST(StoreMakeupMovesTest, AMoveIsKeptMovingAgainReplacesItAndUndoRemovesIt) {
  testing::TempDir dir;
  auto database = StateDatabase::open((dir.path() / "plancal.db").string());
  ASSERT_TRUE(database.ok()) << database.error().message;
  MakeupMoves moves(*database);
  ASSERT_TRUE(moves.put(move("sindre.lunde", "m4.B@plancal", {2024, 3, 11}), kKeepAll).ok());
  ASSERT_TRUE(moves.put(move("sindre.lunde", "m4.C@plancal", {2024, 3, 25}), kKeepAll).ok());
  ASSERT_TRUE(moves.put(move("maja.berntsen", "m4.C@plancal", {2024, 3, 25}), kKeepAll).ok());
  auto listed = moves.list("mandagsseminar-2024");
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  ASSERT_EQ(listed->size(), 2u) << "one move per person and missed date";
  EXPECT_EQ((*listed)[1].person_id, "sindre.lunde");
  EXPECT_EQ((*listed)[1].to_uid, "m4.C@plancal") << "the later move replaced the first";
  EXPECT_EQ((*listed)[1].to_date, (Date{2024, 3, 25}));
  EXPECT_EQ((*listed)[1].moved_by, "ingrid.haug");
  EXPECT_TRUE(moves.list("another-plan")->empty());
  EXPECT_EQ(moves.of_person("maja.berntsen")->size(), 1u);

  ASSERT_TRUE(moves.remove("mandagsseminar-2024", "sindre.lunde", "m4.A@plancal").ok());
  ASSERT_TRUE(moves.remove("mandagsseminar-2024", "sindre.lunde", "m4.A@plancal").ok())
      << "undoing twice is no error";
  EXPECT_EQ(moves.list()->size(), 1u);

  // Retention: a move from a date before the kept years goes with that date's registers.
  ASSERT_TRUE(
      moves.put(move("tobias.aas", "m1.C@plancal", {2030, 1, 22}, {2030, 1, 15}), {2029, 1, 1})
          .ok());
  const auto kept = moves.list();
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ(kept->front().person_id, "tobias.aas");
}

}  // namespace
}  // namespace plancal
