#pragma once
/// The mails a registration sends (the confirmation link, the receipt with the change link),
/// planned in the same transaction as the registration change they tell of, and sent exactly
/// once by the outgoing-mail protocol (store/mail_queue.h): planned, `sending` (committed, a
/// lease) just before the SMTP transaction, `sent` once the server accepted it. A resend
/// after a crash carries the same Message-ID and the same link, derived again from the
/// registration's nonce.

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/database.h"
#include "store/mail_queue.h"
#include "store/registrations.h"

namespace plancal {

enum class RegistrationMailKind { Confirm, Receipt, Placement };

struct RegistrationMail {
  std::int64_t id = 0;
  RegistrationMailKind kind = RegistrationMailKind::Confirm;
  std::string message_id;
  int attempts = 0;
  std::string note;                 ///< a placement: the allocation's explanation
  RegistrationRecord registration;  ///< as it is now
};

/// The registration_mails table (planned by store/registrations.h with the change they tell
/// of); its rows are claimed, sent, retried and failed through MailQueue.
class RegistrationMailStore : public MailQueue {
 public:
  explicit RegistrationMailStore(StateDatabase database)
      : MailQueue(std::move(database), MailTable::RegistrationMails) {}

  /// Planned and sending mails whose next attempt is due at `now`, oldest first.
  [[nodiscard]] Result<std::vector<RegistrationMail>> due(std::int64_t now);
};

}  // namespace plancal
