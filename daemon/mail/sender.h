#pragma once
/// MailSender: what the reminder service needs from a mail transport. Abstract so the
/// delivery logic (retry, exactly-once bookkeeping) does not care whether mail leaves by
/// SMTP or, later, Microsoft Graph sendMail, and so it can be tested.

#include <cstdint>
#include <string>

#include "base/result.h"
#include "mail/message.h"

namespace plancal::mail {

/// How a failed delivery should be treated.
enum class FailureKind {
  Temporary,  ///< 4xx, connection refused, timeout: try again later with backoff
  Permanent,  ///< 5xx: the server refused this message; trying again will not help
  Tls,        ///< the TLS handshake or certificate check failed: a set-up problem, retried
  Auth,       ///< the server refused the login: a set-up problem, retried
};

struct SendError {
  FailureKind kind = FailureKind::Temporary;
  int smtp_code = 0;    ///< the server's last reply code, 0 when there was none
  std::string message;  ///< for logs; never holds a password
};

using SendResult = Result<Ok, SendError>;

/// "temporary", "permanent", "tls", "auth".
[[nodiscard]] const char* failure_kind_name(FailureKind kind);

/// How long to wait before the next attempt after `attempts_before` failed ones: 1 minute,
/// doubling, at most 1 hour. Shared by everything plancal mails (reminders, invitations).
[[nodiscard]] inline std::int64_t retry_delay_seconds(int attempts_before) {
  constexpr std::int64_t kFirst = 60;
  constexpr std::int64_t kMax = 3600;
  std::int64_t delay = kFirst;
  for (int i = 0; i < attempts_before && delay < kMax; ++i) delay *= 2;
  return delay < kMax ? delay : kMax;
}

/// Whether a failure means the rest of a batch would fail the same way: no SMTP reply at all
/// (the server was not reached), or a TLS or login failure. A 4xx or 5xx for one message does
/// not stop the others.
[[nodiscard]] inline bool failure_ends_batch(const SendError& error) {
  return error.smtp_code == 0 ||
         (error.kind != FailureKind::Temporary && error.kind != FailureKind::Permanent);
}

class MailSender {
 public:
  virtual ~MailSender() = default;
  /// Delivers one message. Returns Ok only when the server accepted it for delivery.
  [[nodiscard]] virtual SendResult send(const MailMessage& message) = 0;
};

}  // namespace plancal::mail
