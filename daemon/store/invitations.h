#pragma once
/// What the state database keeps for invitations: the email that hands a roster person their
/// personal link (page and subscribe links across every plan), sent exactly once as users see
/// it by the outgoing-mail protocol (store/mail_queue.h): a row is planned, becomes `sending`
/// (committed) just before the SMTP transaction and `sent` once the server accepted it; a
/// crash in between resends with the SAME Message-ID and the SAME link.
///
/// The link is never stored. A row keeps the random nonce the link is derived from with the
/// link key (store/link_key.h, a file outside the database); feed_tokens keeps the link's
/// hash. Planning an invitation makes its token in the same transaction, so no link exists
/// that no invitation will carry, and no invitation waits for a token that was never made.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/database.h"
#include "store/mail_queue.h"

namespace plancal {

enum class InvitationState { Planned, Sending, Sent, Failed };

[[nodiscard]] const char* to_string(InvitationState state);

struct InvitationRecord {
  std::int64_t id = 0;
  std::string person_id;
  std::string person_name;
  std::string email;
  std::string reason;  ///< "new": the person's first link; "rotate": a new link, old one revoked
  std::string nonce;   ///< the link = derive_token_secret(link key, nonce)
  std::int64_t token_id = 0;
  std::string message_id;
  InvitationState state = InvitationState::Planned;
  int attempts = 0;
  std::int64_t next_attempt_at = 0;
  std::int64_t created_at = 0;
  std::int64_t sent_at = 0;
  std::string last_error;
};

/// An invitation to plan: who, and the link's nonce and hash (made by the caller from the
/// link key, which the store never sees).
struct NewInvitation {
  std::string person_id;
  std::string person_name;
  std::string email;
  std::string reason;
  std::string nonce;
  std::string token_hash;
  std::string message_id;
  std::vector<std::int64_t> revoke_token_ids;  ///< --rotate: the person's old links
};

/// The invitations table; its rows are sent, retried and failed through MailQueue (a
/// permanent failure leaves the token live: send the link by hand, or fix the address in the
/// roster and run `feed invite --rotate`).
class InvitationStore : public MailQueue {
 public:
  explicit InvitationStore(StateDatabase database)
      : MailQueue(std::move(database), MailTable::Invitations) {}

  /// In ONE transaction: revokes the old tokens, makes the personal token (audience
  /// person:ID, every plan) and plans the invitation that carries it.
  Result<InvitationRecord> plan(const NewInvitation& invitation, std::int64_t now);
  /// Every invitation, by id.
  std::vector<InvitationRecord> invitations();
  /// Planned and sending invitations whose next attempt is due at `now` (a failed read is
  /// logged and ends the list).
  std::vector<InvitationRecord> due(std::int64_t now);
};

}  // namespace plancal
