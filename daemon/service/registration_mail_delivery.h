#pragma once
/// Sends the due mails of registrations (store/registration_mails.h): the confirmation link
/// right after a sign-up, the receipt right after a confirmation, the placement after an
/// allocation; and the meeting invitations of placed registrations. Called at once by the
/// sign-up page's server thread (so the contact gets the link while still at the screen), and
/// by the daemon's reminder job for retries; the outgoing-mail loop (service/mail_delivery.h)
/// makes each mail go out once, whoever calls. The links are derived again from the stored nonces
/// and never logged.

#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/secret.h"
#include "config/config.h"
#include "mail/sender.h"
#include "plan/model.h"
#include "service/mail_delivery.h"
#include "store/database.h"

namespace plancal {

/// What a run sent, will retry and failed, and its database errors.
using RegistrationMailReport = MailDeliveryReport;

/// Sends every due registration mail with `sender`. `plans` name the rows in the mails.
[[nodiscard]] RegistrationMailReport send_due_registration_mails(
    const Config& config, StateDatabase database, const std::vector<const Plan*>& plans,
    const Secret& link_key, const Clock& clock, mail::MailSender& sender);

/// Sends every due meeting invitation (store/meeting_invitations.h) with `sender`: the REQUESTs
/// and CANCELs planned after an allocation or a publish, each as stored, exactly once. Called
/// by `registrations allocate` and by the daemon's reminder job.
[[nodiscard]] RegistrationMailReport send_due_meeting_invitations(const Config& config,
                                                                  StateDatabase database,
                                                                  const Clock& clock,
                                                                  mail::MailSender& sender);

}  // namespace plancal
