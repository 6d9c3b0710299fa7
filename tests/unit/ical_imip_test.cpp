// One meeting as an iMIP message (RFC 6047): METHOD REQUEST or CANCEL, one VEVENT with the
// occurrence's UID and the SEQUENCE given, the organiser and the attendee, the Europe/Oslo
// VTIMEZONE, and the calendar as a `text/calendar; method=...` alternative in the mail.

#include <gtest/gtest.h>

#include "ical/content_line.h"
#include "ical/imip.h"
#include "mail/message.h"

namespace plancal {
namespace {

Occurrence teams_meeting() {
  Occurrence o;
  o.uid = "dybdemoter-2021.dybdemote.tirsdag.all.2@plancal";
  o.plan_id = "dybdemoter-2021";
  o.summary = "Dybdemøte om praksis 2";
  o.description = "Et vanlig møte kan se slik ut";
  o.location = "Microsoft Teams";
  o.url = "https://teams.microsoft.com/l/meetup-join/abc";
  o.start = {{2021, 10, 5}, {9, 0}};
  o.end = {{2021, 10, 5}, {11, 0}};
  o.timezone = "Europe/Oslo";
  return o;
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

ical::ImipMessage message_for(const Occurrence& o, bool cancel) {
  return {cancel,
          &o,
          3,
          1'630'000'000,
          {"Kompetansetjenesten", "kurs@example.no"},
          {"Kari Nordmann", "kari@example.no"}};
}

TEST(IcalImipTest, ARequestHoldsOneMeetingWithOrganizerAttendeeAndZone) {
  const Occurrence o = teams_meeting();
  const std::string text = ical::unfold_lines(ical::render_imip(message_for(o, false)));
  EXPECT_EQ(count_of(text, "METHOD:REQUEST\r\n"), 1U) << text;
  EXPECT_EQ(count_of(text, "BEGIN:VEVENT"), 1U);
  EXPECT_EQ(count_of(text, "BEGIN:VTIMEZONE"), 1U);
  EXPECT_NE(text.find("TZID:Europe/Oslo\r\n"), std::string::npos);
  EXPECT_NE(text.find("DTSTART;TZID=Europe/Oslo:20211005T090000"), std::string::npos);
  EXPECT_NE(text.find("UID:" + o.uid + "\r\n"), std::string::npos);
  EXPECT_NE(text.find("SEQUENCE:3\r\n"), std::string::npos);
  EXPECT_NE(text.find("ORGANIZER;CN=Kompetansetjenesten:mailto:kurs@example.no"), std::string::npos)
      << text;
  EXPECT_NE(text.find("ATTENDEE;CN=Kari Nordmann;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;"
                      "RSVP=FALSE:mailto:kari@example.no"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("URL:" + o.url), std::string::npos);
  EXPECT_NE(text.find("STATUS:CONFIRMED"), std::string::npos);
}

TEST(IcalImipTest, ACancelIsTheSameUidCancelled) {
  const Occurrence o = teams_meeting();
  const std::string text = ical::unfold_lines(ical::render_imip(message_for(o, true)));
  EXPECT_EQ(count_of(text, "METHOD:CANCEL\r\n"), 1U) << text;
  EXPECT_EQ(count_of(text, "METHOD:"), 1U);
  EXPECT_NE(text.find("UID:" + o.uid + "\r\n"), std::string::npos);
  EXPECT_NE(text.find("STATUS:CANCELLED"), std::string::npos);
}

TEST(IcalImipTest, ANameWithQuotesAndCommasStaysOneParameter) {
  const Occurrence o = teams_meeting();
  auto message = message_for(o, false);
  message.attendee.name = R"(Kari "K" Nordmann, Fretex; Oslo)";
  const std::string text = ical::unfold_lines(ical::render_imip(message));
  // Quoted, with the inner quotes as RFC 6868 ^' so no parser splits the name.
  EXPECT_NE(text.find(R"(ATTENDEE;CN="Kari ^'K^' Nordmann, Fretex; Oslo";)"), std::string::npos)
      << text;
}

TEST(IcalImipTest, TheMailCarriesTheCalendarAsAThirdAlternativeWithItsMethod) {
  mail::MailMessage m;
  m.from = {"Kompetansetjenesten", "kurs@example.no"};
  m.to = {"Kari Nordmann", "kari@example.no"};
  m.subject = "Invitasjon";
  m.text = "tekst";
  m.html = "<p>tekst</p>";
  m.calendar = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n";
  m.calendar_method = "REQUEST";
  m.message_id = "<a@b>";
  const std::string mime = mail::compose_mime(m);
  EXPECT_NE(mime.find("Content-Type: multipart/alternative;"), std::string::npos);
  EXPECT_NE(mime.find("Content-Type: text/calendar; method=REQUEST; charset=UTF-8\r\n"),
            std::string::npos)
      << mime;
  EXPECT_LT(mime.find("text/html"), mime.find("text/calendar"));

  m.calendar.clear();
  EXPECT_EQ(mail::compose_mime(m).find("text/calendar"), std::string::npos);
}

}  // namespace
}  // namespace plancal
