#pragma once
/// The mails of a registration (issue 17), in Norwegian, as text and HTML: the confirmation
/// (a link that confirms the email address; the registration counts only after it) and the
/// receipt (the registration's status and a link to change or withdraw it), the placement
/// (the allocation's result), and the text beside each meeting invitation. Pure: the caller
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
  /// The full URL of the row's calendar (signup_page.h row_feed_path), for a placement mail;
  /// shown when the registration holds a row.
  std::string row_feed_link;
};

/// One meeting of a placed organisation's row, for the text beside its iMIP invitation.
struct MeetingMailContent {
  std::string contact_name;
  std::string organisation;
  std::string row_name;  ///< "Datorekke 1: Tirsdager"
  std::string summary;
  LocalDateTime start;
  LocalDateTime end;
  std::string location;
  std::string url;          ///< the Teams link; not repeated in a cancellation
  std::string series_link;  ///< the series' public sign-up page: every row and its dates
  std::string sender_name;
  bool update = false;  ///< an earlier invitation of the same meeting was sent
  bool cancel = false;
};

struct MeetingMailText {
  std::string subject;
  std::string text;
  std::string html;
};

/// The Norwegian text and HTML of a meeting invitation, its update or its cancellation.
[[nodiscard]] MeetingMailText compose_meeting_mail(const MeetingMailContent& content);

[[nodiscard]] mail::MailMessage compose_signup_mail(const RegistrationMail& mail,
                                                    const SignupMailContext& context);

}  // namespace plancal::web
