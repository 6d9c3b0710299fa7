#pragma once
/// What the state database keeps for the meeting invitations of placed registrations (iMIP,
/// issue 17): per (registration, UID) what was last planned for the contact's calendar, and
/// the messages. Planning a batch writes both in ONE transaction, so a crash leaves either
/// the old state and no message or the new state and its messages; the messages are then
/// sent exactly once by the outgoing-mail protocol (store/mail_queue.h): planned, `sending`
/// (committed, a lease) just before the SMTP transaction, `sent` once the server accepted
/// it. A message is rendered when planned and kept, so a resend after a crash
/// carries the same bytes and the same Message-ID.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/civil.h"
#include "base/result.h"
#include "store/database.h"
#include "store/mail_queue.h"

namespace plancal {

/// What was last planned for one registration's contact for one UID.
struct SentMeetingInvitation {
  std::int64_t registration_id = 0;
  std::string uid;
  int sequence = 0;
  std::string fingerprint;  ///< of the meeting's content as sent (signup::meeting_fingerprint)
  bool cancelled = false;   ///< the last message was a CANCEL
  /// What a CANCEL repeats when the meeting is gone from the plan.
  std::string summary;
  LocalDateTime start;
  LocalDateTime end;
  std::string timezone;
};

/// One message to plan, rendered, with the state it leaves behind for its UID.
struct PlannedMeetingMail {
  SentMeetingInvitation state;  ///< what the contact's calendar will have been sent
  std::string method;           ///< "REQUEST", "CANCEL"
  std::string recipient_name;
  std::string recipient;
  std::string subject;
  std::string text;
  std::string html;
  std::string calendar;
  std::string message_id;
};

struct MeetingMail {
  std::int64_t id = 0;
  std::int64_t registration_id = 0;
  std::string uid;
  std::string method;
  int sequence = 0;
  std::string recipient_name;
  std::string recipient;
  std::string subject;
  std::string text;
  std::string html;
  std::string calendar;
  std::string message_id;
  std::string state;  ///< planned, sending, sent, failed
  int attempts = 0;
};

/// The meeting_invitations state and the meeting_invitation_mails table; the messages are
/// claimed, sent, retried and failed through MailQueue.
class MeetingInvitationStore : public MailQueue {
 public:
  explicit MeetingInvitationStore(StateDatabase database)
      : MailQueue(std::move(database), MailTable::MeetingInvitationMails) {}

  /// What was last planned per (registration, UID).
  [[nodiscard]] Result<std::vector<SentMeetingInvitation>> sent();
  /// In ONE transaction: every message planned and its UID's state updated. A Message-ID
  /// made from (registration, UID, SEQUENCE, method) is planned once: two runs that decided
  /// the same message at the same time (the daemon's publish and `registrations allocate`)
  /// leave one.
  [[nodiscard]] Status plan(const std::vector<PlannedMeetingMail>& mails, std::int64_t now);
  /// What was last planned and the messages `decide` makes of it, read and written in ONE
  /// write transaction: two processes deciding at the same time (the daemon after a publish,
  /// `registrations allocate`) take turns, so the second decides from what the first
  /// planned. Returns how many messages were planned.
  using Decide =
      std::function<std::vector<PlannedMeetingMail>(const std::vector<SentMeetingInvitation>&)>;
  [[nodiscard]] Result<int> decide_and_plan(const Decide& decide, std::int64_t now);
  /// Every message, by id (for tests and the organiser).
  [[nodiscard]] Result<std::vector<MeetingMail>> mails();
  /// Planned and sending messages whose next attempt is due at `now`, oldest first.
  [[nodiscard]] Result<std::vector<MeetingMail>> due(std::int64_t now);
};

}  // namespace plancal
