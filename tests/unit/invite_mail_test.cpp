// The invitation's text: Norwegian, every subscribe link for the person's own feed, and any
// markup in a name or programme title shown as text in the HTML part.

#include <gtest/gtest.h>

#include "invite/invitation_mail.h"

namespace plancal::invite {
namespace {

InvitationContent content() {
  InvitationContent c;
  c.person_name = "Sindre Lunde";
  c.calendar_name = "Kalender for Sindre Lunde";
  c.page_url = "https://kalender.example.no/p/SECRET";
  c.feed_url = "https://kalender.example.no/feeds/SECRET.ics";
  c.programmes = {"Mandagsseminar 2024", "Refleksjonsgrupper", "Kollegaveiledning"};
  c.sender_name = "Milepælen kalender";
  return c;
}

TEST(InviteMailTest, TheTextGivesThePageAndEveryClientsLink) {
  const auto mail = compose_invitation(content());
  EXPECT_EQ(mail.subject, "Kalenderen din: møtene dine med ett klikk");
  const auto& t = mail.text;
  EXPECT_NE(t.find("Hei Sindre Lunde!"), std::string::npos);
  EXPECT_NE(t.find("med møtene dine i Mandagsseminar 2024, Refleksjonsgrupper og "
                   "Kollegaveiledning."),
            std::string::npos);
  EXPECT_NE(t.find("Se møtene dine:\nhttps://kalender.example.no/p/SECRET\n"), std::string::npos);
  EXPECT_NE(t.find("webcal://kalender.example.no/feeds/SECRET.ics"), std::string::npos);
  EXPECT_NE(t.find("https://calendar.google.com/calendar/"), std::string::npos);
  EXPECT_NE(t.find("Outlook på nett (jobbkonto): https://outlook.office.com/"), std::string::npos);
  EXPECT_NE(t.find("Last ned én gang (.ics): https://kalender.example.no/feeds/SECRET.ics"),
            std::string::npos);
  EXPECT_NE(t.find("Google Kalender henter abonnerte kalendere bare med flere timers mellomrom"),
            std::string::npos);
  EXPECT_EQ(t.find("gamle"), std::string::npos);
  EXPECT_NE(t.find("Hilsen\nMilepælen kalender"), std::string::npos);
}

TEST(InviteMailTest, TheHtmlSaysTheSameWithTheLinksAsHrefs) {
  const auto html = compose_invitation(content()).html;
  EXPECT_NE(html.find("<html lang=\"nb\">"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"https://kalender.example.no/p/SECRET\">Se møtene dine</a>"),
            std::string::npos);
  EXPECT_NE(html.find("href=\"webcal://kalender.example.no/feeds/SECRET.ics\""), std::string::npos);
  EXPECT_NE(html.find("Kollegaveiledning"), std::string::npos);
}

TEST(InviteMailTest, ANewLinkSaysTheOldOneStoppedWorking) {
  auto c = content();
  c.new_link = true;
  const auto mail = compose_invitation(c);
  EXPECT_EQ(mail.subject, "Ny lenke til kalenderen din");
  EXPECT_NE(mail.text.find("Den gamle virker ikke lenger"), std::string::npos);
  EXPECT_NE(mail.html.find("Den gamle virker ikke lenger"), std::string::npos);
}

TEST(InviteMailTest, MarkupInNamesAndTitlesIsTextInTheHtml) {
  auto c = content();
  c.person_name = "Kari <script>alert(1)</script> \"K\" & Co";
  c.programmes = {"Etikk & <b>samtale</b>"};
  const auto html = compose_invitation(c).html;
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("Kari &lt;script&gt;alert(1)&lt;/script&gt; &quot;K&quot; &amp; Co"),
            std::string::npos);
  EXPECT_NE(html.find("Etikk &amp; &lt;b&gt;samtale&lt;/b&gt;"), std::string::npos);
}

}  // namespace
}  // namespace plancal::invite
