#pragma once
/// The mails of a registration (issue 17), in Norwegian, as text and HTML: the confirmation
/// (a link that confirms the email address; the registration counts only after it) and the
/// receipt (the registration's status and a link to change or withdraw it). Pure: the caller
/// hands in the link, made from the registration's nonce and the link key.

#include <cstdint>
#include <string>

#include "mail/message.h"
#include "plan/model.h"
#include "store/registration_mails.h"

namespace plancal::web {

struct SignupMailContext {
  const Plan* plan = nullptr;  ///< the registration's plan; null when it is no longer loaded
  std::string link;            ///< the full URL: confirm link or change link by the mail's kind
  mail::Mailbox from;
  std::int64_t now = 0;
};

[[nodiscard]] mail::MailMessage compose_signup_mail(const RegistrationMail& mail,
                                                    const SignupMailContext& context);

}  // namespace plancal::web
