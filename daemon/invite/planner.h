#pragma once
/// Who gets an invitation: the pure decision behind `plancal feed invite`, from the rosters of
/// the config's plans, the tokens that exist and the invitations already planned. Kept free
/// of the database and the mail server so every case is a unit test.
///
/// A person is invited when they have an email address and no personal link handed out yet.
/// A link counts as handed out when a live personal token (audience person:ID, every plan)
/// exists that is not the token of an invitation that failed for good: a link no mail ever
/// carried is replaced, not kept. An invitation still waiting to be sent is finished, never
/// planned twice. With --rotate, a person's live personal tokens are revoked and a new
/// invitation carries a new link.

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "plan/model.h"
#include "store/feed_tokens.h"
#include "store/invitations.h"

namespace plancal::invite {

/// One roster person across the config's plans (the first plan that lists them names them).
struct Invitee {
  std::string id;
  std::string name;
  std::string email;
  std::set<std::string> teams;  ///< team keys in any plan
};

/// `--people`: all, team:KEY or person:ID.
struct Selection {
  enum class Kind { All, Team, Person };
  Kind kind = Kind::All;
  std::string key;
};

[[nodiscard]] Result<Selection> parse_selection(std::string_view text);

/// Everyone on the rosters of `plans`, merged by id, in roster order.
[[nodiscard]] std::vector<Invitee> roster_people(const std::vector<const Plan*>& plans);

enum class Action {
  Invite,   ///< a new link and an invitation
  Rotate,   ///< revoke the live links, then a new link and an invitation
  Pending,  ///< an earlier run planned an invitation not sent yet: it is sent now
  HasLink,  ///< already has a personal link (use --rotate for a new one)
  NoEmail,  ///< no email address on the roster
};

struct Decision {
  Invitee person;
  Action action = Action::Invite;
  std::vector<std::int64_t> revoke;  ///< tokens revoked when the invitation is planned
};

/// The decision for every selected person, in roster order. Errors: a team or person the
/// rosters do not know.
[[nodiscard]] Result<std::vector<Decision>> decide(const std::vector<Invitee>& people,
                                                   const Selection& selection,
                                                   const std::vector<FeedToken>& tokens,
                                                   const std::vector<InvitationRecord>& stored,
                                                   bool rotate);

}  // namespace plancal::invite
