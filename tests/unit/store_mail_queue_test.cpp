// The outgoing-mail protocol (store/mail_queue.h) is one implementation for the three kinds of
// mail: an invitation, a sign-up mail and a meeting invitation each go through the same steps
// and end the same way — claimed once, due again only when the lease has run out, retried at
// the time the backoff said, and never due again once sent or failed for good.

#include <gtest/gtest.h>

#include <functional>

#include "registration_test_support.h"
#include "store/invitations.h"
#include "store/meeting_invitations.h"
#include "store/registration_mails.h"
#include "store/registrations.h"
#include "store/secrets.h"
#include "test_support.h"

namespace plancal {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;

/// One kind's mail as the test sees it: its queue, its row and whether the row is due.
struct QueuedKind {
  std::string name;
  std::function<MailQueue&()> queue;
  std::int64_t id = 0;
  std::function<bool(std::int64_t)> is_due;
};

template <class Mail>
bool lists(const std::vector<Mail>& due, std::int64_t id) {
  for (const Mail& mail : due) {
    if (mail.id == id) return true;
  }
  return false;
}

class StoreMailQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = StateDatabase::open((dir_.path() / "plancal.db").string());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    database_.emplace(std::move(*opened));
    invitations_.emplace(*database_);
    registration_mails_.emplace(*database_);
    meetings_.emplace(*database_);
  }

  QueuedKind invitation() {
    NewInvitation n;
    n.person_id = "kari";
    n.person_name = "Kari";
    n.email = "kari@example.no";
    n.reason = "new";
    n.nonce = "nonce-1";
    n.token_hash = sha256_hex("link-1");
    n.message_id = "<invitation.1@example.no>";
    auto planned = invitations_->plan(n, kNow);
    EXPECT_TRUE(planned.ok());
    const std::int64_t id = planned.ok() ? planned->id : 0;
    return {"invitation", [this]() -> MailQueue& { return *invitations_; }, id,
            [this, id](std::int64_t at) { return lists(invitations_->due(at), id); }};
  }

  QueuedKind registration_mail() {
    auto added =
        RegistrationStore(*database_)
            .add(testing::seed003_registration("Fretex", "kari@example.no", {"tirsdag"}, "c", "w"),
                 kNow);
    EXPECT_TRUE(added.ok());
    auto due = registration_mails_->due(kNow);
    EXPECT_TRUE(due.ok() && due->size() == 1U);
    const std::int64_t id = due.ok() && !due->empty() ? (*due)[0].id : 0;
    return {
        "registration mail", [this]() -> MailQueue& { return *registration_mails_; }, id,
        [this, id](std::int64_t at) { return lists(registration_mails_->due(at).value(), id); }};
  }

  QueuedKind meeting_invitation() {
    auto added = RegistrationStore(*database_)
                     .add(testing::seed003_registration("Kirkens Bymisjon", "ola@example.no",
                                                        {"tirsdag"}, "c2", "w2"),
                          kNow);
    EXPECT_TRUE(added.ok());
    PlannedMeetingMail m;
    m.state.registration_id = added.ok() ? added->id : 0;
    m.state.uid = "a@plancal";
    m.state.fingerprint = "fp";
    m.method = "REQUEST";
    m.recipient = "ola@example.no";
    m.message_id = "<meeting.1@plancal>";
    EXPECT_TRUE(meetings_->plan({m}, kNow).ok());
    auto mails = meetings_->mails();
    EXPECT_TRUE(mails.ok() && mails->size() == 1U);
    const std::int64_t id = mails.ok() && !mails->empty() ? (*mails)[0].id : 0;
    return {"meeting invitation", [this]() -> MailQueue& { return *meetings_; }, id,
            [this, id](std::int64_t at) { return lists(meetings_->due(at).value(), id); }};
  }

  /// The protocol's whole life on one kind's mail, ending failed for good.
  static void walk_through_the_protocol(const QueuedKind& kind) {
    SCOPED_TRACE(kind.name);
    MailQueue& queue = kind.queue();
    EXPECT_TRUE(kind.is_due(kNow));
    ASSERT_TRUE(*queue.mark_sending(kind.id, kNow, kNow + 120));
    EXPECT_FALSE(*queue.mark_sending(kind.id, kNow + 1, kNow + 121)) << "leased to one sender";
    EXPECT_FALSE(kind.is_due(kNow + 119));
    EXPECT_TRUE(kind.is_due(kNow + 120)) << "a crashed sender's lease runs out";
    ASSERT_TRUE(*queue.mark_sending(kind.id, kNow + 120, kNow + 240));
    ASSERT_TRUE(queue.mark_retry(kind.id, kNow + 600, "temporary failure: 451").ok());
    EXPECT_FALSE(kind.is_due(kNow + 599));
    EXPECT_TRUE(kind.is_due(kNow + 600));
    ASSERT_TRUE(queue.mark_failed(kind.id, "permanent failure: 550").ok());
    EXPECT_FALSE(kind.is_due(kNow + 100000));
    EXPECT_FALSE(*queue.mark_sending(kind.id, kNow + 100000, kNow + 100120))
        << "a failed mail is never claimed again";
  }

  testing::TempDir dir_;
  std::optional<StateDatabase> database_;
  std::optional<InvitationStore> invitations_;
  std::optional<RegistrationMailStore> registration_mails_;
  std::optional<MeetingInvitationStore> meetings_;
};

TEST_F(StoreMailQueueTest, EveryKindOfMailGoesThroughTheSameLeaseRetryAndFailure) {
  walk_through_the_protocol(invitation());
  walk_through_the_protocol(registration_mail());
  walk_through_the_protocol(meeting_invitation());
}

TEST_F(StoreMailQueueTest, ASentMailOfEveryKindIsNeverDueOrClaimedAgain) {
  for (const QueuedKind& kind : {invitation(), registration_mail(), meeting_invitation()}) {
    SCOPED_TRACE(kind.name);
    ASSERT_TRUE(*kind.queue().mark_sending(kind.id, kNow, kNow + 120));
    ASSERT_TRUE(kind.queue().mark_sent(kind.id, kNow + 1).ok());
    EXPECT_FALSE(kind.is_due(kNow + 100000));
    EXPECT_FALSE(*kind.queue().mark_sending(kind.id, kNow + 100000, kNow + 100120));
  }
}

}  // namespace
}  // namespace plancal
