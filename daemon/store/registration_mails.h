#pragma once
/// The mails a registration sends (the confirmation link, the receipt with the change link),
/// planned in the same transaction as the registration change they tell of, and sent exactly
/// once by the protocol of invitations (store/invitations.h): planned, `sending` (committed,
/// a lease) just before the SMTP transaction, `sent` once the server accepted it. A resend
/// after a crash carries the same Message-ID and the same link, derived again from the
/// registration's nonce.

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/database.h"
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

class RegistrationMailStore {
 public:
  explicit RegistrationMailStore(StateDatabase database) : database_(std::move(database)) {}

  /// Planned and sending mails whose next attempt is due at `now`, oldest first.
  [[nodiscard]] Result<std::vector<RegistrationMail>> due(std::int64_t now);
  /// Claims the mail until `lease_until` and counts an attempt; false when it is not due
  /// (another process has it, or it was sent).
  [[nodiscard]] Result<bool> mark_sending(std::int64_t id, std::int64_t now,
                                          std::int64_t lease_until);
  [[nodiscard]] Status mark_sent(std::int64_t id, std::int64_t now);
  [[nodiscard]] Status mark_retry(std::int64_t id, std::int64_t next_attempt_at,
                                  const std::string& error);
  [[nodiscard]] Status mark_failed(std::int64_t id, const std::string& error);

 private:
  StateDatabase database_;
};

}  // namespace plancal
