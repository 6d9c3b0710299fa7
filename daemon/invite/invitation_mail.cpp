#include "invite/invitation_mail.h"

#include "web/subscribe_links.h"
#include "web/templates.h"

namespace plancal::invite {

namespace {

/// "A", "A og B", "A, B og C".
std::string joined_nb(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " og " : ", ";
    out += items[i];
  }
  return out;
}

constexpr std::string_view kRefreshNote =
    "Endringer kommer ikke fram med en gang: Google Kalender henter abonnerte kalendere bare med "
    "flere timers mellomrom, og Outlook med noen timers mellomrom. Siden din viser alltid det "
    "siste.";

constexpr std::string_view kPersonalNote = "Lenkene er personlige: ikke del dem med andre.";

constexpr std::string_view kOldLinkNote =
    "Du har fått en ny lenke. Den gamle virker ikke lenger; abonner på nytt med en av lenkene "
    "over og fjern den gamle kalenderen.";

std::string intro(const InvitationContent& c) {
  std::string text = "Her er din personlige kalender";
  if (!c.programmes.empty()) text += " med møtene dine i " + joined_nb(c.programmes);
  return text + ". Den oppdaterer seg selv når planen endres.";
}

std::string plain_text(const InvitationContent& c, const web::SubscribeLinks& links) {
  std::string text = "Hei " + c.person_name + "!\n\n" + intro(c) + "\n\n";
  text += "Se møtene dine:\n" + c.page_url + "\n\n";
  text += "Abonner med ett klikk:\n";
  text += "- Apple Kalender eller Outlook på PC/Mac: " + links.webcal + "\n";
  text += "- Google Kalender: " + links.google + "\n";
  text += "- Outlook på nett (jobbkonto): " + links.outlook_office + "\n";
  text += "- Outlook.com (privat konto): " + links.outlook_live + "\n";
  text += "- Last ned én gang (.ics): " + links.feed + "\n\n";
  text += std::string(kRefreshNote) + "\n\n";
  if (c.new_link) text += std::string(kOldLinkNote) + "\n\n";
  text += std::string(kPersonalNote) + "\n";
  if (!c.sender_name.empty()) text += "\nHilsen\n" + c.sender_name + "\n";
  return text;
}

std::string html_text(const InvitationContent& c, const web::SubscribeLinks& links) {
  web::TemplateData data;
  data.set("name", c.person_name);
  data.set("intro", intro(c));
  data.set("page_url", c.page_url);
  data.set("calendar_name", c.calendar_name);
  data.set("webcal", links.webcal);
  data.set("google", links.google);
  data.set("outlook_office", links.outlook_office);
  data.set("outlook_live", links.outlook_live);
  data.set("feed", links.feed);
  data.set("refresh_note", std::string(kRefreshNote));
  data.set("personal_note", std::string(kPersonalNote));
  web::set_text(data, "old_link_note", c.new_link ? std::string(kOldLinkNote) : std::string());
  web::set_text(data, "sender", c.sender_name);
  return web::render_template("invitation_mail", data);
}

}  // namespace

InvitationText compose_invitation(const InvitationContent& content) {
  const auto links = web::subscribe_links(content.feed_url, content.calendar_name);
  InvitationText out;
  out.subject = content.new_link ? "Ny lenke til kalenderen din"
                                 : "Kalenderen din: møtene dine med ett klikk";
  out.text = plain_text(content, links);
  out.html = html_text(content, links);
  return out;
}

}  // namespace plancal::invite
