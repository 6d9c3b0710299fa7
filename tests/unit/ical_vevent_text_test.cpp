// vevent_text writes a VEVENT directly instead of through libical's objects: these tests hold
// it to the bytes libical itself writes for the same events (the rules a calendar client sees
// are in ical_render_test.cpp), and check that events it does not copy go to libical.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ical/alarm.h"
#include "ical/content_line.h"
#include "ical/libical_handles.h"
#include "ical/render.h"
#include "ical/vevent.h"

namespace plancal {
namespace {

constexpr std::int64_t kStamp = 1711000000;  // 2024-03-21T05:46:40Z

Occurrence meeting() {
  Occurrence o;
  o.uid = "plan.seminar.5.team-A.A@plancal";
  o.summary = "Seminar 5: Ærlighet; åpenhet, og \\ grenser";
  o.description =
      "Tema: Ærlighet og åpenhet i miljøterapeutisk arbeid med ungdom på Milepælen, del 1; "
      "se også\nForeleser: Kari Nordmann\n\nProgram:\n09.00 Fremmøte – Deltakere skal møte i "
      "tide\\\\ de som kommer for sent venter utenfor til 09.10";
  o.location = "Undervisningsbrakka, rom 2; inngang \\ B";
  o.url = "https://teams.example/l/meetup-join/19%3ameeting?a=1,2;b";
  o.categories = {"Seminar, del 1; A\\B\nC", "Årshjul"};
  o.start = LocalDateTime{{2024, 3, 25}, {9, 0}};
  o.end = LocalDateTime{{2024, 3, 25}, {12, 30}};
  o.timezone = "Europe/Oslo";
  o.content.preparation = {"Les kapittel 3, og ta med; notater"};
  return o;
}

Occurrence deadline() {
  Occurrence o;
  o.uid = "plan.wheel.frist.role-leder.2024@plancal";
  o.summary = "Frist: Søknad";
  o.kind = OccurrenceKind::Deadline;
  o.all_day = true;
  o.start = LocalDateTime{{2024, 10, 15}, {}};
  o.end = LocalDateTime{{2024, 10, 16}, {}};
  o.timezone = "Europe/Oslo";
  return o;
}

/// What libical writes for the event, unfolded: one content line per property.
std::string libical_text(const EventToRender& event, const std::string& tzid) {
  const auto vevent = ical::make_vevent(event, tzid);
  return ical::unfold_lines(ical::to_ical_text(vevent.get()));
}

/// render_event's text as it was made before vevent_text: all through libical.
std::string libical_event(const CalendarOptions& options, const EventToRender& event) {
  const auto vevent = ical::make_vevent(event, event.occurrence->timezone);
  if (options.preparation_alarm) {
    auto valarm = ical::make_preparation_alarm(*event.occurrence, event.revision.cancelled,
                                               *options.preparation_alarm);
    if (valarm) icalcomponent_add_component(vevent.get(), valarm.release());
  }
  return ical::refold(ical::to_ical_text(vevent.get()));
}

TEST(IcalVeventTextTest, WritesWhatLibicalWrites) {
  Occurrence cancelled = meeting();
  cancelled.status = OccurrenceStatus::Cancelled;
  Occurrence bare = meeting();
  bare.description.clear();
  bare.location.clear();
  bare.url.clear();
  bare.categories.clear();
  Occurrence late = meeting();
  late.start = LocalDateTime{{3000, 12, 31}, {23, 59}};
  late.end = LocalDateTime{{1, 1, 1}, {0, 0}};
  const std::vector<Occurrence> occurrences{meeting(), deadline(), cancelled, bare, late};
  const std::vector<EventRevision> revisions{
      {0, kStamp, 0, false},
      {7, kStamp, kStamp + 3600, true},  // SEQUENCE, LAST-MODIFIED, cancelled by the revision
      {0, -86401, 0, false},             // a DTSTAMP before 1970
  };
  for (const auto& o : occurrences) {
    for (const auto& revision : revisions) {
      for (const std::string tzid : {"Europe/Oslo", "UTC", "America/Argentina/Buenos_Aires"}) {
        const EventToRender event{&o, revision};
        const auto text = ical::vevent_text(event, tzid);
        ASSERT_TRUE(text.has_value()) << o.summary;
        EXPECT_EQ(*text, libical_text(event, tzid)) << o.summary << " in " << tzid;
      }
    }
  }
}

TEST(IcalVeventTextTest, LeavesUnusualTextToLibical) {
  std::vector<Occurrence> unusual(5, meeting());
  unusual[0].summary = "Tab\there";
  unusual[1].description = "Windows\r\nline ends";
  unusual[2].location = std::string("NUL\0byte", 8);
  unusual[3].uid = "bell\a@plancal";
  unusual[4].categories = {"DEL\x7f"};
  for (const auto& o : unusual) {
    EXPECT_FALSE(ical::vevent_text({&o, {0, kStamp, 0, false}}, "Europe/Oslo").has_value());
  }
  const Occurrence o = meeting();
  EXPECT_FALSE(ical::vevent_text({&o, {0, kStamp, 0, false}}, "Zone;with:quotes").has_value());
  Occurrence year_zero = meeting();
  year_zero.start.date.year = 0;
  EXPECT_FALSE(ical::vevent_text({&year_zero, {0, kStamp, 0, false}}, "UTC").has_value());
  Occurrence after_3000 = meeting();  // libical writes zeros for it
  after_3000.end.date.year = 3001;
  EXPECT_FALSE(ical::vevent_text({&after_3000, {0, kStamp, 0, false}}, "UTC").has_value());
  EXPECT_FALSE(ical::vevent_text({&o, {0, 32535216000, 0, false}}, "UTC").has_value());
}

TEST(IcalVeventTextTest, RenderEventKeepsItsBytesForEveryEvent) {
  std::vector<Occurrence> occurrences{meeting(), deadline()};
  occurrences.push_back(meeting());
  occurrences.back().summary = "Tab\tand CR\r in the summary";  // through libical
  occurrences.push_back(meeting());
  occurrences.back().start.date.year = 3001;  // through libical
  occurrences.push_back(meeting());
  occurrences.back().description = meeting().description + " (endret)";  // another text
  occurrences.push_back(meeting());  // the first text again, after another one
  CalendarOptions plain;
  CalendarOptions with_alarm;
  with_alarm.preparation_alarm = PreparationAlarm{};
  CalendarOptions with_absolute_alarm;
  with_absolute_alarm.preparation_alarm = PreparationAlarm{2, TimeOfDay{17, 30}, true};
  for (const auto* options : {&plain, &with_alarm, &with_absolute_alarm}) {
    for (const auto& o : occurrences) {
      const EventToRender event{&o, {1, kStamp, kStamp, false}};
      EXPECT_EQ(render_event(*options, event), libical_event(*options, event)) << o.summary;
    }
  }
  const Occurrence with_preparation = meeting();
  EXPECT_NE(
      render_event(with_alarm, {&with_preparation, {0, kStamp, 0, false}}).find("BEGIN:VALARM"),
      std::string::npos);
}

}  // namespace
}  // namespace plancal
