// Which meeting invitations (iMIP) a placed organisation is due, decided from seed 003's plan
// in memory: a new placement gets every meeting of its row, a moved meeting an update with a
// higher SEQUENCE, an unchanged plan nothing, a cancelled meeting or a withdrawal a CANCEL,
// and a plan that is not loaded withdraws nothing.

#include <gtest/gtest.h>

#include "expand/expander.h"
#include "plan/loader.h"
#include "signup/invitation_planner.h"
#include "test_support.h"

namespace plancal::signup {
namespace {

std::string uid_of(const std::string& row, int index) {
  return "dybdemoter-2021.dybdemote." + row + ".all." + std::to_string(index) + "@plancal";
}

class SignupInvitationPlannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto load = load_plan_file(plancal::testing::example_plan("dybdemoter-2021.yaml").string());
    ASSERT_TRUE(load.plan) << plancal::testing::diagnostics_text(load.diagnostics);
    plan_ = std::move(*load.plan);
    occurrences_ = expand_plan(plan_);
  }

  static RegistrationRecord placed(std::int64_t id, const std::string& row) {
    RegistrationRecord r;
    r.id = id;
    r.plan_id = "dybdemoter-2021";
    r.series_key = "dybdemote";
    r.organisation = "Organisasjon " + std::to_string(id);
    r.contact_name = "Kontakt " + std::to_string(id);
    r.email = "kontakt" + std::to_string(id) + "@example.no";
    r.state = RegistrationState::Placed;
    r.placed_row = row;
    return r;
  }

  std::vector<DueInvitation> due(const std::vector<RegistrationRecord>& registrations) {
    return plan_invitations(registrations, {{&plan_, &occurrences_}}, sent_);
  }

  /// Records `messages` as sent, as the store does when it plans them.
  void remember(const std::vector<DueInvitation>& messages) {
    for (const auto& m : messages) {
      SentInvitation s;
      s.registration_id = m.registration->id;
      s.uid = m.uid;
      s.sequence = m.sequence;
      s.fingerprint = m.fingerprint;
      s.cancelled = m.method == InvitationMethod::Cancel;
      s.summary = m.meeting ? m.meeting->summary : m.previous.summary;
      std::erase_if(sent_, [&](const SentInvitation& old) {
        return old.registration_id == s.registration_id && old.uid == s.uid;
      });
      sent_.push_back(s);
    }
  }

  Occurrence& meeting(const std::string& uid) {
    for (auto& o : occurrences_) {
      if (o.uid == uid) return o;
    }
    throw std::runtime_error("no occurrence " + uid);
  }

  Plan plan_;
  std::vector<Occurrence> occurrences_;
  std::vector<SentInvitation> sent_;
};

TEST_F(SignupInvitationPlannerTest, APlacedOrganisationGetsEveryMeetingOfItsRowOnce) {
  const std::vector<RegistrationRecord> registrations = {placed(1, "tirsdag")};
  const auto first = due(registrations);
  ASSERT_EQ(first.size(), 4U);
  for (int i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(first[i].method, InvitationMethod::Request);
    EXPECT_EQ(first[i].uid, uid_of("tirsdag", i + 1));
    EXPECT_EQ(first[i].sequence, 0);
    ASSERT_NE(first[i].meeting, nullptr);
    EXPECT_EQ(first[i].meeting->start.date, add_days(Date{2021, 9, 7}, 28 * i));
  }
  remember(first);
  EXPECT_TRUE(due(registrations).empty()) << "nothing changed: nothing is sent";
}

TEST_F(SignupInvitationPlannerTest, AMovedMeetingIsAnUpdateOfTheSameUidWithAHigherSequence) {
  const std::vector<RegistrationRecord> registrations = {placed(1, "tirsdag"),
                                                         placed(2, "torsdag")};
  remember(due(registrations));
  meeting(uid_of("tirsdag", 2)).start.time.hour = 12;
  meeting(uid_of("tirsdag", 2)).end.time.hour = 14;
  const auto moved = due(registrations);
  ASSERT_EQ(moved.size(), 1U);
  EXPECT_EQ(moved[0].registration->id, 1);
  EXPECT_EQ(moved[0].method, InvitationMethod::Request);
  EXPECT_EQ(moved[0].uid, uid_of("tirsdag", 2));
  EXPECT_EQ(moved[0].sequence, 1);
  remember(moved);

  meeting(uid_of("tirsdag", 2)).description += "\nNytt tema.";
  const auto retext = due(registrations);
  ASSERT_EQ(retext.size(), 1U);
  EXPECT_EQ(retext[0].sequence, 2) << "a changed text is an update too";
}

TEST_F(SignupInvitationPlannerTest, ACancelledMeetingIsCancelledAndComesBackAsARequest) {
  const std::vector<RegistrationRecord> registrations = {placed(1, "tirsdag")};
  remember(due(registrations));
  meeting(uid_of("tirsdag", 3)).status = OccurrenceStatus::Cancelled;
  const auto cancelled = due(registrations);
  ASSERT_EQ(cancelled.size(), 1U);
  EXPECT_EQ(cancelled[0].method, InvitationMethod::Cancel);
  EXPECT_EQ(cancelled[0].uid, uid_of("tirsdag", 3));
  EXPECT_EQ(cancelled[0].sequence, 1);
  remember(cancelled);
  EXPECT_TRUE(due(registrations).empty()) << "a CANCEL is sent once";

  meeting(uid_of("tirsdag", 3)).status = OccurrenceStatus::Confirmed;
  const auto back = due(registrations);
  ASSERT_EQ(back.size(), 1U);
  EXPECT_EQ(back[0].method, InvitationMethod::Request);
  EXPECT_EQ(back[0].sequence, 2);
}

TEST_F(SignupInvitationPlannerTest, ARowRemovedFromThePlanCancelsWhatWasSentFromTheStoredState) {
  const std::vector<RegistrationRecord> registrations = {placed(1, "torsdag")};
  remember(due(registrations));
  std::erase_if(occurrences_, [](const Occurrence& o) { return o.meeting_key == "torsdag"; });
  const auto cancelled = due(registrations);
  ASSERT_EQ(cancelled.size(), 4U);
  for (const auto& c : cancelled) {
    EXPECT_EQ(c.method, InvitationMethod::Cancel);
    EXPECT_EQ(c.meeting, nullptr) << "the meeting is gone: the CANCEL repeats what was sent";
    EXPECT_FALSE(c.previous.summary.empty());
    EXPECT_EQ(c.sequence, 1);
  }
}

TEST_F(SignupInvitationPlannerTest, AWithdrawalCancelsEveryMeetingAndAMoveCancelsTheOldRow) {
  std::vector<RegistrationRecord> registrations = {placed(1, "tirsdag"), placed(2, "torsdag")};
  remember(due(registrations));

  registrations[0].state = RegistrationState::Withdrawn;
  registrations[0].placed_row.reset();
  const auto withdrawn = due(registrations);
  ASSERT_EQ(withdrawn.size(), 4U);
  for (const auto& w : withdrawn) {
    EXPECT_EQ(w.registration->id, 1);
    EXPECT_EQ(w.method, InvitationMethod::Cancel);
    EXPECT_EQ(w.uid.find(".tirsdag."), std::string("dybdemoter-2021.dybdemote").size());
    EXPECT_EQ(w.sequence, 1);
  }
  remember(withdrawn);

  registrations[1].placed_row = "tirsdag";  // moved to another row
  const auto moved = due(registrations);
  ASSERT_EQ(moved.size(), 8U);
  int requests = 0;
  int cancels = 0;
  for (const auto& m : moved) {
    EXPECT_EQ(m.registration->id, 2);
    if (m.method == InvitationMethod::Request) {
      ++requests;
      EXPECT_NE(m.uid.find(".tirsdag."), std::string::npos);
      EXPECT_EQ(m.sequence, 0) << "new to this contact";
    } else {
      ++cancels;
      EXPECT_NE(m.uid.find(".torsdag."), std::string::npos);
    }
  }
  EXPECT_EQ(requests, 4);
  EXPECT_EQ(cancels, 4);
}

TEST_F(SignupInvitationPlannerTest, WaitingAndUnconfirmedRegistrationsGetNothing) {
  RegistrationRecord waiting = placed(1, "tirsdag");
  waiting.state = RegistrationState::Waiting;
  waiting.placed_row.reset();
  RegistrationRecord unconfirmed = placed(2, "torsdag");
  unconfirmed.state = RegistrationState::Unconfirmed;
  EXPECT_TRUE(due({waiting, unconfirmed}).empty());
}

TEST_F(SignupInvitationPlannerTest, APlanThatIsNotLoadedWithdrawsNothing) {
  const std::vector<RegistrationRecord> registrations = {placed(1, "tirsdag")};
  remember(due(registrations));
  EXPECT_TRUE(plan_invitations(registrations, {}, sent_).empty());
}

TEST_F(SignupInvitationPlannerTest, TheFingerprintFollowsWhatACalendarShows) {
  Occurrence& o = meeting(uid_of("tirsdag", 1));
  const std::string before = meeting_fingerprint(o);
  o.categories.push_back("ny kategori");
  EXPECT_EQ(meeting_fingerprint(o), before) << "not shown in the invitation";
  o.url = "https://teams.microsoft.com/l/meetup-join/ny";
  EXPECT_NE(meeting_fingerprint(o), before);
}

}  // namespace
}  // namespace plancal::signup
