#pragma once
/// The outgoing-mail lease protocol, written once for every table that keeps mails to send
/// (invitations, registration_mails, meeting_invitation_mails). A row is `planned`; just
/// before the SMTP transaction it is claimed: `sending` (committed), an attempt counted and
/// held until a lease runs out (config/mail.h mail_lease_seconds), so two processes never
/// both send it; once the server accepted it, `sent`. A temporary failure puts it back to
/// `planned` with a later next attempt, a permanent one marks it `failed`. A sender that
/// crashed while holding a row leaves it `sending`: it is due again when the lease runs out,
/// and since each kind keeps what makes its mail (the Message-ID, the nonce of its link, or
/// the rendered bytes), the resend is the same mail. Nothing else ever resends a row.
///
/// Each mail table keeps the protocol's columns (state, attempts, next_attempt_at, sent_at,
/// last_error) beside its own; the kind's store (store/invitations.h, ...) plans rows and
/// reads its own columns, and is a MailQueue over its table for everything else.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/database.h"
#include "store/sqlite.h"

namespace plancal {

/// The tables that hold outgoing mails: a closed list, so no SQL is ever made of a name that
/// came from outside.
enum class MailTable { Invitations, RegistrationMails, MeetingInvitationMails };

class MailQueue {
 public:
  MailQueue(StateDatabase database, MailTable table)
      : database_(std::move(database)), table_(table) {}

  /// The intent, committed before the mail server is contacted: claims the row until
  /// `lease_until` and counts an attempt. False when the row is not due (another process has
  /// it, or it was sent or failed).
  [[nodiscard]] Result<bool> mark_sending(std::int64_t id, std::int64_t now,
                                          std::int64_t lease_until);
  [[nodiscard]] Status mark_sent(std::int64_t id, std::int64_t now);
  /// A temporary failure: back to planned, next try at `next_attempt_at`.
  [[nodiscard]] Status mark_retry(std::int64_t id, std::int64_t next_attempt_at,
                                  const std::string& error);
  /// Refused for good: the row stays unsent (what the user can do is the kind's to say).
  [[nodiscard]] Status mark_failed(std::int64_t id, const std::string& error);

 protected:
  /// Reads the planned and sending rows whose next attempt is due at `now`, oldest first,
  /// handing `read` each row of `columns`. An error when the read failed part-way.
  [[nodiscard]] Status read_due(std::string_view columns, std::int64_t now,
                                const std::function<void(const sqlite::Statement&)>& read);

  [[nodiscard]] StateDatabase& database() { return database_; }

 private:
  /// "UPDATE <table> SET <set> WHERE id = ?1", run with `bind` filling the rest.
  [[nodiscard]] Status update(std::string_view set,
                              const std::function<void(sqlite::Statement&)>& bind);

  StateDatabase database_;
  MailTable table_;
};

}  // namespace plancal
