// Meeting invitations and placement mails in the state database (schema version 10): a batch
// of messages is planned with its UIDs' state in one commit, the same message decided twice
// is planned once, the lease protocol hands each message to one sender, and an allocation
// plans a placement mail only for a registration whose place changed.

#include <gtest/gtest.h>

#include "registration_test_support.h"
#include "store/meeting_invitations.h"
#include "store/registration_mails.h"
#include "store/registrations.h"
#include "store/schema.h"
#include "store/secrets.h"
#include "test_support.h"

namespace plancal {
namespace {

constexpr std::int64_t kNow = 1'630'000'000;

class StoreMeetingInvitationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = StateDatabase::open((dir_.path() / "plancal.db").string());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    database_.emplace(std::move(*opened));
    auto added =
        RegistrationStore(*database_)
            .add(testing::seed003_registration("Fretex", "kari@example.no", {"tirsdag"}, "c", "w"),
                 kNow);
    ASSERT_TRUE(added.ok()) << added.error().message;
    id_ = added->id;
    ASSERT_TRUE(
        RegistrationStore(*database_).confirm(sha256_hex("c"), "<receipt@plancal>", kNow).ok());
  }

  PlannedMeetingMail request(const std::string& uid, int sequence) const {
    PlannedMeetingMail m;
    m.state.registration_id = id_;
    m.state.uid = uid;
    m.state.sequence = sequence;
    m.state.fingerprint = "fp" + std::to_string(sequence);
    m.state.summary = "Dybdemøte om praksis 1";
    m.state.start = {{2021, 9, 7}, {9, 0}};
    m.state.end = {{2021, 9, 7}, {11, 0}};
    m.state.timezone = "Europe/Oslo";
    m.method = "REQUEST";
    m.recipient = "kari@example.no";
    m.calendar = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n";
    m.message_id = "<" + uid + "." + std::to_string(sequence) + "@plancal>";
    return m;
  }

  MeetingInvitationStore store() { return MeetingInvitationStore(*database_); }

  testing::TempDir dir_;
  std::optional<StateDatabase> database_;
  std::int64_t id_ = 0;
};

TEST_F(StoreMeetingInvitationTest, APlannedBatchKeepsTheStateAndIsPlannedOnce) {
  EXPECT_GE(supported_schema_version(), 10) << "meeting invitations came with version 10";
  ASSERT_TRUE(store().plan({request("a@plancal", 0), request("b@plancal", 0)}, kNow).ok());
  // The same decision made again (a second process at the same time) plans nothing new.
  ASSERT_TRUE(store().plan({request("a@plancal", 0)}, kNow).ok());
  auto mails = store().mails();
  ASSERT_TRUE(mails.ok());
  ASSERT_EQ(mails->size(), 2U);
  EXPECT_EQ((*mails)[0].calendar, "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n");

  ASSERT_TRUE(store().plan({request("a@plancal", 1)}, kNow + 10).ok());
  auto sent = store().sent();
  ASSERT_TRUE(sent.ok());
  ASSERT_EQ(sent->size(), 2U);
  EXPECT_EQ((*sent)[0].uid, "a@plancal");
  EXPECT_EQ((*sent)[0].sequence, 1);
  EXPECT_EQ((*sent)[0].fingerprint, "fp1");
  EXPECT_EQ((*sent)[0].start.time.hour, 9);
  EXPECT_EQ((*sent)[0].end.time.hour, 11);
  EXPECT_EQ((*sent)[1].sequence, 0);
}

TEST_F(StoreMeetingInvitationTest, ADecisionSeesWhatWasPlannedBeforeItAndAnEmptyOneWritesNothing) {
  int seen_before = -1;
  const auto decide_request = [&](const std::vector<SentMeetingInvitation>& sent) {
    seen_before = static_cast<int>(sent.size());
    return sent.empty() ? std::vector<PlannedMeetingMail>{request("a@plancal", 0)}
                        : std::vector<PlannedMeetingMail>{};
  };
  auto first = store().decide_and_plan(decide_request, kNow);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(*first, 1);
  EXPECT_EQ(seen_before, 0);
  auto second = store().decide_and_plan(decide_request, kNow + 1);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 0) << "the second decision saw the first one's message";
  EXPECT_EQ(seen_before, 1);
  EXPECT_EQ(store().mails()->size(), 1U);
}

TEST_F(StoreMeetingInvitationTest, EachMessageGoesToOneSenderAndIsDoneOnceSent) {
  ASSERT_TRUE(store().plan({request("a@plancal", 0)}, kNow).ok());
  auto due = store().due(kNow);
  ASSERT_EQ(due->size(), 1U);
  const std::int64_t id = (*due)[0].id;
  EXPECT_TRUE(*store().mark_sending(id, kNow, kNow + 300));
  EXPECT_FALSE(*store().mark_sending(id, kNow + 1, kNow + 301)) << "leased to the first sender";
  EXPECT_TRUE(store().due(kNow + 1)->empty());
  EXPECT_EQ(store().due(kNow + 300)->size(), 1U) << "a crashed sender's lease runs out";
  ASSERT_TRUE(store().mark_sent(id, kNow + 2).ok());
  EXPECT_TRUE(store().due(kNow + 1000)->empty());
}

TEST_F(StoreMeetingInvitationTest, AnAllocationPlansAPlacementMailOnlyWhenThePlaceChanges) {
  RegistrationStore registrations(*database_);
  const auto due_placements = [&] {
    int count = 0;
    const auto due = RegistrationMailStore(*database_).due(kNow + 100);
    for (const auto& m : *due) {
      if (m.kind == RegistrationMailKind::Placement) ++count;
    }
    return count;
  };
  ASSERT_TRUE(registrations
                  .apply_placements(
                      {{id_, "tirsdag", "Datorekke 1: Tirsdager: plassert", "<p1@x>"}}, kNow + 10)
                  .ok());
  EXPECT_EQ(due_placements(), 1);
  ASSERT_TRUE(registrations
                  .apply_placements(
                      {{id_, "tirsdag", "Datorekke 1: Tirsdager: plassert", "<p2@x>"}}, kNow + 20)
                  .ok());
  EXPECT_EQ(due_placements(), 1) << "the same place again: no second mail";
  ASSERT_TRUE(
      registrations.apply_placements({{id_, std::nullopt, "Venteliste nr. 1", "<p3@x>"}}, kNow + 30)
          .ok());
  EXPECT_EQ(due_placements(), 2);
  const auto due = RegistrationMailStore(*database_).due(kNow + 100);
  for (const auto& m : *due) {
    if (m.message_id == "<p3@x>") {
      EXPECT_EQ(m.note, "Venteliste nr. 1");
    }
  }
}

}  // namespace
}  // namespace plancal
