#include "ical/render.h"

#include <gtest/gtest.h>
#include <libical/ical.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "ical/content_line.h"

namespace plancal {
namespace {

constexpr std::int64_t kStamp = 1711000000;  // 2024-03-21T05:46:40Z

Occurrence seminar() {
  Occurrence o;
  o.uid = "mandagsseminar-2024.mandagsseminar.5.team-A.A@plancal";
  o.audience = "team:A";
  o.summary = "Mandagsseminar 5: Ærlighet; åpenhet, og \\ grenser";
  o.description =
      "Tema: Ærlighet og åpenhet i miljøterapeutisk arbeid med ungdom på Milepælen\n"
      "Foreleser: Kari Nordmann\n\nProgram:\n09.00 Fremmøte – Deltakere skal møte i tide, "
      "de som kommer for sent venter utenfor til 09.10; se også reglene\n09.05 Innledning";
  o.location = "Undervisningsbrakka";
  o.categories = {"Mandagsseminar"};
  o.start = LocalDateTime{{2024, 3, 25}, {9, 0}};
  o.end = LocalDateTime{{2024, 3, 25}, {12, 0}};
  o.timezone = "Europe/Oslo";
  return o;
}

Occurrence deadline() {
  Occurrence o;
  o.uid = "kompetanseplan.wheel.soknadsfrist.role-virksomhetsleder.2024@plancal";
  o.summary = "Frist: Søknad om kompetansemidler";
  o.kind = OccurrenceKind::Deadline;
  o.all_day = true;
  o.start = LocalDateTime{{2024, 10, 15}, {}};
  o.end = LocalDateTime{{2024, 10, 16}, {}};
  o.timezone = "Europe/Oslo";
  return o;
}

CalendarOptions options() {
  CalendarOptions options;
  options.name = "Mandagsseminar, team A";
  options.description = "Årsprogram";
  options.refresh_minutes = 60;
  return options;
}

std::string render(const std::vector<Occurrence>& occurrences, EventRevision revision = {}) {
  if (revision.dtstamp == 0) revision.dtstamp = kStamp;
  std::vector<EventToRender> events;
  for (const auto& o : occurrences) events.push_back({&o, revision});
  return render_calendar(options(), events);
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

TEST(IcalRenderTest, CalendarHeader) {
  const std::string ics = render({seminar()});
  EXPECT_TRUE(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//plancal//plancal "));
  EXPECT_TRUE(contains(ics, "//NO\r\n"));
  EXPECT_TRUE(contains(ics, "\r\nCALSCALE:GREGORIAN\r\n"));
  EXPECT_TRUE(contains(ics, "\r\nMETHOD:PUBLISH\r\n"));
  EXPECT_TRUE(contains(ics, "\r\nX-WR-CALNAME:Mandagsseminar\\, team A\r\n"));
  EXPECT_TRUE(contains(ics, "\r\nNAME:Mandagsseminar\\, team A\r\n"));
  EXPECT_TRUE(contains(ics, "\r\nX-WR-TIMEZONE:Europe/Oslo\r\n"));
  EXPECT_TRUE(contains(ics, "\r\nX-WR-CALDESC:Årsprogram\r\n"));
  EXPECT_TRUE(contains(ics, "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT60M\r\n"));
  EXPECT_TRUE(contains(ics, "\r\nX-PUBLISHED-TTL:PT60M\r\n"));
  EXPECT_TRUE(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
}

TEST(IcalRenderTest, NoMethodForCalDav) {
  CalendarOptions caldav = options();
  caldav.method_publish = false;
  caldav.refresh_minutes.reset();
  const Occurrence o = seminar();
  const std::string ics = render_calendar(caldav, {{&o, {}}});
  EXPECT_FALSE(contains(ics, "METHOD:"));
  EXPECT_FALSE(contains(ics, "REFRESH-INTERVAL"));
}

TEST(IcalRenderTest, CrlfEverywhereAndShortLines) {
  const std::string ics = render({seminar(), deadline()});
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < ics.size(); ++i) {
    if (ics[i] != '\n') continue;
    ASSERT_GT(i, 0U);
    EXPECT_EQ(ics[i - 1], '\r') << "bare LF at " << i;
    EXPECT_LE(i - 1 - line_start, 75U) << ics.substr(line_start, i - line_start);
    line_start = i + 1;
  }
  EXPECT_EQ(line_start, ics.size());
}

TEST(IcalRenderTest, FoldingKeepsNorwegianCharactersWhole) {
  Occurrence o = seminar();
  o.description.clear();
  for (int i = 0; i < 40; ++i) o.description += "Blåbærsyltetøy på skjærtorsdag – ";
  const std::string ics = render({o});
  std::size_t start = 0;
  while (start < ics.size()) {
    const auto end = ics.find("\r\n", start);
    std::string line = ics.substr(start, end - start);
    if (line.starts_with(" ")) line.erase(0, 1);
    ASSERT_FALSE(!line.empty() && (static_cast<unsigned char>(line[0]) & 0xC0) == 0x80)
        << "continuation line starts inside a character";
    start = end + 2;
  }
  std::string expected = o.description;
  EXPECT_TRUE(contains(ical::unfold_lines(ics), "DESCRIPTION:" + expected + "\r\n"));
}

TEST(IcalRenderTest, EscapesText) {
  const std::string unfolded = ical::unfold_lines(render({seminar()}));
  EXPECT_TRUE(
      contains(unfolded, "SUMMARY:Mandagsseminar 5: Ærlighet\\; åpenhet\\, og \\\\ grenser\r\n"))
      << unfolded;
  EXPECT_TRUE(contains(unfolded,
                       "Kari Nordmann\\n\\nProgram:\\n09.00 Fremmøte – Deltakere skal "
                       "møte i tide\\, de som kommer for sent venter utenfor til "
                       "09.10\\; se også reglene\\n09.05 Innledning\r\n"));
}

TEST(IcalRenderTest, OneVtimezoneWithThePlainIanaName) {
  const std::string ics = render({seminar(), deadline()});
  EXPECT_EQ(count(ics, "BEGIN:VTIMEZONE"), 1U);
  EXPECT_TRUE(contains(ics, "BEGIN:VTIMEZONE\r\nTZID:Europe/Oslo\r\n"));
  EXPECT_FALSE(contains(ics, "freeassociation"));
  EXPECT_TRUE(contains(ics, "RRULE:FREQ=YEARLY"));
  EXPECT_LT(ics.find("END:VTIMEZONE"), ics.find("BEGIN:VEVENT"));
  EXPECT_TRUE(contains(ics, "\r\nDTSTART;TZID=Europe/Oslo:20240325T090000\r\n"));
  EXPECT_TRUE(contains(ics, "\r\nDTEND;TZID=Europe/Oslo:20240325T120000\r\n"));
}

TEST(IcalRenderTest, VtimezoneIsTruncated) {
  const std::string ics = render({seminar()});
  const auto begin = ics.find("BEGIN:VTIMEZONE");
  const auto end = ics.find("END:VTIMEZONE");
  EXPECT_LT(end - begin, 1200U);
}

TEST(IcalRenderTest, MeetingFields) {
  EventRevision revision;
  revision.dtstamp = kStamp;
  revision.sequence = 3;
  revision.last_modified = kStamp - 3600;
  const std::string ics = render({seminar()}, revision);
  EXPECT_TRUE(contains(ics, "\r\nUID:mandagsseminar-2024.mandagsseminar.5.team-A.A@plancal\r\n"));
  EXPECT_TRUE(contains(ics, "\r\nDTSTAMP:20240321T054640Z\r\n"));
  EXPECT_TRUE(contains(ics, "\r\nSEQUENCE:3\r\n"));
  EXPECT_TRUE(contains(ics, "\r\nLAST-MODIFIED:20240321T044640Z\r\n"));
  EXPECT_TRUE(contains(ics, "\r\nSTATUS:CONFIRMED\r\n"));
  EXPECT_TRUE(contains(ics, "\r\nLOCATION:Undervisningsbrakka\r\n"));
  EXPECT_TRUE(contains(ics, "\r\nCATEGORIES:Mandagsseminar\r\n"));
  EXPECT_TRUE(contains(ics, "\r\nTRANSP:OPAQUE\r\n"));
  EXPECT_TRUE(contains(ics, "\r\nX-MICROSOFT-CDO-BUSYSTATUS:BUSY\r\n"));
  EXPECT_TRUE(contains(ics, "\r\nCLASS:PUBLIC\r\n"));
  EXPECT_FALSE(contains(ics, "CREATED"));
  EXPECT_FALSE(contains(render({seminar()}), "LAST-MODIFIED"));
}

TEST(IcalRenderTest, OnlineUrl) {
  Occurrence o = seminar();
  o.url =
      "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/"
      "0?context=%7b%22Tid%22%3a%22x%22%7d";
  EXPECT_TRUE(contains(ical::unfold_lines(render({o})), "\r\nURL:" + o.url + "\r\n"));
}

TEST(IcalRenderTest, AllDayDeadlineIsTransparent) {
  const std::string ics = render({deadline()});
  EXPECT_TRUE(contains(ics, "\r\nDTSTART;VALUE=DATE:20241015\r\n"));
  EXPECT_TRUE(contains(ics, "\r\nDTEND;VALUE=DATE:20241016\r\n"));
  EXPECT_TRUE(contains(ics, "\r\nTRANSP:TRANSPARENT\r\n"));
  EXPECT_TRUE(contains(ics, "\r\nX-MICROSOFT-CDO-BUSYSTATUS:FREE\r\n"));
  EXPECT_EQ(count(ics, "BEGIN:VTIMEZONE"), 1U);
}

TEST(IcalRenderTest, CancelledIsMarked) {
  Occurrence o = seminar();
  o.status = OccurrenceStatus::Cancelled;
  const std::string by_status = ical::unfold_lines(render({o}));
  EXPECT_TRUE(contains(by_status, "\r\nSUMMARY:AVLYST: Mandagsseminar 5"));
  EXPECT_TRUE(contains(by_status, "\r\nSTATUS:CANCELLED\r\n"));
  EventRevision revision;
  revision.cancelled = true;
  const std::string by_revision = ical::unfold_lines(render({seminar()}, revision));
  EXPECT_TRUE(contains(by_revision, "\r\nSUMMARY:AVLYST: Mandagsseminar 5"));
  EXPECT_TRUE(contains(by_revision, "\r\nSTATUS:CANCELLED\r\n"));
}

TEST(IcalRenderTest, SameInputSameBytes) {
  EXPECT_EQ(render({seminar(), deadline()}), render({seminar(), deadline()}));
}

struct ComponentFree {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};

TEST(IcalRenderTest, ParsesBackThroughLibical) {
  const std::vector<Occurrence> occurrences{seminar(), deadline()};
  const std::string ics = render(occurrences);
  const std::unique_ptr<icalcomponent, ComponentFree> calendar(
      icalparser_parse_string(ics.c_str()));
  ASSERT_NE(calendar, nullptr);
  EXPECT_EQ(icalcomponent_count_errors(calendar.get()), 0);
  std::size_t index = 0;
  for (icalcomponent* event =
           icalcomponent_get_first_component(calendar.get(), ICAL_VEVENT_COMPONENT);
       event != nullptr;
       event = icalcomponent_get_next_component(calendar.get(), ICAL_VEVENT_COMPONENT), ++index) {
    ASSERT_LT(index, occurrences.size());
    const Occurrence& o = occurrences[index];
    EXPECT_EQ(std::string(icalcomponent_get_uid(event)), o.uid);
    EXPECT_EQ(std::string(icalcomponent_get_summary(event)), o.summary);
    if (!o.description.empty()) {
      EXPECT_EQ(std::string(icalcomponent_get_description(event)), o.description);
    }
    const icaltimetype start = icalcomponent_get_dtstart(event);
    EXPECT_EQ(start.year, o.start.date.year);
    EXPECT_EQ(start.month, o.start.date.month);
    EXPECT_EQ(start.day, o.start.date.day);
    EXPECT_EQ(start.hour, o.start.time.hour);
    EXPECT_EQ(start.is_date != 0, o.all_day);
  }
  EXPECT_EQ(index, occurrences.size());
}

TEST(IcalRenderTest, ConcurrentRendersAgree) {
  const std::string expected = render({seminar(), deadline()});
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (auto& result : results) {
    threads.emplace_back([&result] {
      for (int i = 0; i < 20; ++i) result = render({seminar(), deadline()});
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) EXPECT_EQ(result, expected);
}

TEST(IcalRenderTest, NullOccurrencesAreSkipped) {
  const Occurrence o = seminar();
  const std::string ics = render_calendar(options(), {{nullptr, {}}, {&o, {}}});
  EXPECT_EQ(count(ics, "BEGIN:VEVENT"), 1U);
}

TEST(IcalRenderTest, EmptyCalendarStillValid) {
  const std::string ics = render_calendar(options(), {});
  EXPECT_TRUE(ics.starts_with("BEGIN:VCALENDAR\r\n"));
  EXPECT_TRUE(ics.ends_with("END:VCALENDAR\r\n"));
  EXPECT_EQ(count(ics, "BEGIN:VTIMEZONE"), 1U);
  EXPECT_EQ(count(ics, "BEGIN:VEVENT"), 0U);
}

}  // namespace
}  // namespace plancal
