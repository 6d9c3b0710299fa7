#pragma once
/// The Norwegian text of an invitation: the person's page link and a subscribe link for each
/// calendar client, as plain text and as HTML that says the same. The HTML is rendered from
/// the embedded template web/templates/invitation_mail.mustache, which escapes every text, so
/// a name or programme title with `<`, `&` or quotes reaches the mail as text.

#include <string>
#include <vector>

namespace plancal::invite {

struct InvitationContent {
  std::string person_name;
  std::string calendar_name;            ///< "Kalender for Sindre Lunde": what the feed calls itself
  std::string page_url;                 ///< <public_url>/p/<secret>
  std::string feed_url;                 ///< <public_url>/feeds/<secret>.ics
  std::vector<std::string> programmes;  ///< titles of the plans the person appears in
  std::string sender_name;              ///< who signs: the smtp from name, else the organiser
  bool new_link = false;                ///< --rotate: the old link no longer works
};

struct InvitationText {
  std::string subject;
  std::string text;
  std::string html;
};

[[nodiscard]] InvitationText compose_invitation(const InvitationContent& content);

}  // namespace plancal::invite
