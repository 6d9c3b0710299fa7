#pragma once
/// Which meeting invitations (iMIP, RFC 6047) a placed organisation's contact is due: the pure
/// decision behind the invitations of issue 17, from the registrations, the plans' meetings
/// as they are now and what was last sent per (registration, UID). Kept free of the database,
/// the clock and the mail server so every case is a unit test; called after an allocation
/// (`plancal registrations allocate`) and after every publish.
///
/// The rules:
///  - a placed registration is due every meeting of its row that is not cancelled;
///  - a meeting it is due but was never sent, or was last sent as a CANCEL, gets a REQUEST;
///    one whose content changed since it was sent (time, text, place, link) gets a REQUEST of
///    the same UID with SEQUENCE one higher; an unchanged one gets nothing;
///  - a meeting last sent as a REQUEST that it is no longer due (the meeting or the row was
///    cancelled or removed, the organisation withdrew, waits, or was moved to another row)
///    gets a CANCEL with SEQUENCE one higher;
///  - registrations of a plan that is not loaded (it has errors, or left the config) are left
///    alone: an invalid plan never withdraws anything from anyone's calendar.

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "expand/occurrence.h"
#include "store/meeting_invitations.h"
#include "store/registrations.h"

namespace plancal::signup {

using SentInvitation = SentMeetingInvitation;

/// The plans as they are now: every loaded plan with its whole expansion.
struct PlanMeetings {
  const Plan* plan = nullptr;
  const std::vector<Occurrence>* occurrences = nullptr;
};

enum class InvitationMethod { Request, Cancel };

[[nodiscard]] const char* to_string(InvitationMethod method);  ///< "REQUEST", "CANCEL"

/// One message to plan. `meeting` is the meeting as it is now (for a REQUEST always; for a
/// CANCEL when it is still in the plan, e.g. cancelled there), else null and `previous` says
/// what to cancel.
struct DueInvitation {
  const RegistrationRecord* registration = nullptr;
  InvitationMethod method = InvitationMethod::Request;
  std::string uid;
  int sequence = 0;
  std::string fingerprint;  ///< the content sent (REQUEST) or the previous one (CANCEL)
  const Occurrence* meeting = nullptr;
  SentInvitation previous;  ///< for a CANCEL: what was last sent
};

/// A digest of what a calendar shows of a meeting: times, zone, summary, description,
/// location, link. Two meetings with the same fingerprint need no update.
[[nodiscard]] std::string meeting_fingerprint(const Occurrence& meeting);

/// The messages due, per registration in id order, each registration's in meeting order.
[[nodiscard]] std::vector<DueInvitation> plan_invitations(
    const std::vector<RegistrationRecord>& registrations, const std::vector<PlanMeetings>& plans,
    const std::vector<SentInvitation>& sent);

}  // namespace plancal::signup
