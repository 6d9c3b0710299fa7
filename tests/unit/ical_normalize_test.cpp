// The normalised event hash (ical/normalize.h): what a CalDAV server may do to a stored event
// (RFC 4791 §5.3.4) leaves the hash alone, and every change a person would notice moves it.

#include "ical/normalize.h"

#include <gtest/gtest.h>

#include <string>

namespace plancal::ical {
namespace {

/// What plancal sends: a VTIMEZONE and one VEVENT with a preparation alarm.
std::string sent_event() {
  return "BEGIN:VCALENDAR\r\n"
         "VERSION:2.0\r\n"
         "PRODID:-//plancal//plancal 0.1//NO\r\n"
         "BEGIN:VTIMEZONE\r\n"
         "TZID:Europe/Oslo\r\n"
         "BEGIN:STANDARD\r\n"
         "DTSTART:19701025T030000\r\n"
         "TZOFFSETFROM:+0200\r\n"
         "TZOFFSETTO:+0100\r\n"
         "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
         "END:STANDARD\r\n"
         "END:VTIMEZONE\r\n"
         "BEGIN:VEVENT\r\n"
         "UID:kollegaveiledning.3@plancal\r\n"
         "DTSTAMP:20261124T120000Z\r\n"
         "SEQUENCE:2\r\n"
         "SUMMARY:Kollegaveiledning 3\r\n"
         "DESCRIPTION:Tema: Etikk i hverdagen\\nLes kapittel 2 før møtet.\r\n"
         "LOCATION:Møterom 2\r\n"
         "DTSTART;TZID=Europe/Oslo:20250306T130000\r\n"
         "DTEND;TZID=Europe/Oslo:20250306T140000\r\n"
         "CATEGORIES:Kollegaveiledning,Refleksjon\r\n"
         "BEGIN:VALARM\r\n"
         "ACTION:DISPLAY\r\n"
         "TRIGGER:-P1D\r\n"
         "DESCRIPTION:Forbered deg\r\n"
         "END:VALARM\r\n"
         "END:VEVENT\r\n"
         "END:VCALENDAR\r\n";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string hash_of(const std::string& ics) {
  const auto hash = normalized_event_hash(ics);
  EXPECT_TRUE(hash.has_value()) << ics;
  return hash.value_or("");
}

TEST(IcalNormalizeTest, WhatAServerRewritesLeavesTheHashAlone) {
  const std::string original = hash_of(sent_event());
  // The server's own stamps, product id and properties; no VTIMEZONE; a
  // folded line; properties in another order.
  std::string rewritten = replaced(sent_event(), "PRODID:-//plancal//plancal 0.1//NO",
                                   "PRODID:-//Radicale//NONSGML Radicale Server//EN");
  rewritten = replaced(rewritten, "DTSTAMP:20261124T120000Z",
                       "DTSTAMP:20261125T080000Z\r\nLAST-MODIFIED:20261125T080000Z\r\n"
                       "CREATED:20261125T080000Z\r\nX-RADICALE-NAME:abc.ics");
  rewritten = replaced(rewritten, "SEQUENCE:2", "SEQUENCE:5");
  rewritten = replaced(rewritten, "LOCATION:Møterom 2\r\n", "");
  rewritten = replaced(rewritten, "SUMMARY:Kollegaveiledning 3\r\n",
                       "SUMMARY:Kollegaveiledning 3\r\nLOCATION:Mø\r\n terom 2\r\n");
  const auto timezone_start = rewritten.find("BEGIN:VTIMEZONE");
  const auto timezone_end = rewritten.find("BEGIN:VEVENT");
  rewritten.erase(timezone_start, timezone_end - timezone_start);
  EXPECT_EQ(hash_of(rewritten), original) << *normalized_event_text(rewritten);
}

TEST(IcalNormalizeTest, EveryChangeAPersonWouldNoticeMovesTheHash) {
  const std::string original = hash_of(sent_event());
  const std::pair<std::string, std::string> edits[] = {
      {"SUMMARY:Kollegaveiledning 3", "SUMMARY:Kollegaveiledning 3 (flyttet)"},
      {"DTSTART;TZID=Europe/Oslo:20250306T130000", "DTSTART;TZID=Europe/Oslo:20250306T140000"},
      {"DTSTART;TZID=Europe/Oslo:20250306T130000", "DTSTART;TZID=UTC:20250306T130000"},
      {"LOCATION:Møterom 2", "LOCATION:Møterom 3"},
      {"før møtet", "etter møtet"},
      {"TRIGGER:-P1D", "TRIGGER:-PT15M"},
      {"CATEGORIES:Kollegaveiledning,Refleksjon", "CATEGORIES:Kollegaveiledning"},
  };
  for (const auto& [from, to] : edits) {
    EXPECT_NE(hash_of(replaced(sent_event(), from, to)), original) << from << " -> " << to;
  }
  EXPECT_NE(hash_of(replaced(sent_event(), "END:VEVENT", "STATUS:CANCELLED\r\nEND:VEVENT")),
            original);
}

TEST(IcalNormalizeTest, TextWithoutAnEventHasNoHashAndNoUid) {
  EXPECT_FALSE(normalized_event_hash("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n").has_value());
  EXPECT_FALSE(normalized_event_hash("not iCalendar at all").has_value());
  EXPECT_EQ(event_uid("not iCalendar at all"), "");
  EXPECT_EQ(event_uid(sent_event()), "kollegaveiledning.3@plancal");
}

}  // namespace
}  // namespace plancal::ical
