// What the personal page says changed since a meeting was first published.

#include <gtest/gtest.h>

#include "base/norwegian_text.h"
#include "web/change_lines.h"

namespace plancal::web {
namespace {

Occurrence seminar(Date date) {
  Occurrence o;
  o.summary = "Mandagsseminar 6: Rus og bruk av rusmidler";
  o.start = {date, {9, 0}};
  o.end = {date, {12, 0}};
  o.timezone = "Europe/Oslo";
  o.location = "Undervisningsbrakka";
  o.content.topic = "Rus og bruk av rusmidler";
  o.content.speaker = "TBA";
  o.content.speaker_label = "Foreleser";
  o.content.location = "Undervisningsbrakka";
  o.content.preparation = {"Hva er dine holdninger til rusmidler?"};
  return o;
}

TEST(WebChangeLinesTest, NothingChangedSaysNothing) {
  EXPECT_TRUE(change_lines(seminar({2024, 9, 2}), seminar({2024, 9, 2})).empty());
}

TEST(WebChangeLinesTest, AMoveNamesTheOldDayWithoutTheYearWhenItIsTheSame) {
  const auto lines = change_lines(seminar({2024, 9, 2}), seminar({2024, 9, 9}));
  EXPECT_EQ(lines, std::vector<std::string>{"Flyttet fra mandag 2. september"});
}

TEST(WebChangeLinesTest, AMoveAcrossTheNewYearKeepsTheYear) {
  const auto lines = change_lines(seminar({2024, 12, 16}), seminar({2025, 1, 6}));
  EXPECT_EQ(lines, std::vector<std::string>{"Flyttet fra mandag 16. desember 2024"});
}

TEST(WebChangeLinesTest, AMoveToAnotherTimeNamesTheOldTimeToo) {
  Occurrence moved = seminar({2024, 9, 9});
  moved.start.time = {10, 0};
  const auto lines = change_lines(seminar({2024, 9, 2}), moved);
  EXPECT_EQ(lines, std::vector<std::string>{"Flyttet fra mandag 2. september kl. 09.00–12.00"});
}

TEST(WebChangeLinesTest, ALongerDayOnTheSameDateIsANewTime) {
  Occurrence longer = seminar({2024, 9, 2});
  longer.end.time = {13, 0};
  EXPECT_EQ(change_lines(seminar({2024, 9, 2}), longer),
            std::vector<std::string>{"Ny tid: kl. 09.00–13.00 (var kl. 09.00–12.00)"});
}

TEST(WebChangeLinesTest, ADecidedTopicAndSpeakerAreClarifiedNotNew) {
  // Seed 000, meeting 10: "TBA" in the table, a topic and an external speaker later.
  Occurrence first = seminar({2024, 11, 25});
  first.content.topic = "TBA";
  Occurrence now = seminar({2024, 11, 25});
  now.content.topic = "Ungdomshjernen og omsorgstretthet";
  now.content.speaker = "Didrik Hægeland";
  EXPECT_EQ(change_lines(first, now),
            (std::vector<std::string>{"Tema er avklart", "Foreleser er avklart"}));
}

TEST(WebChangeLinesTest, ReplacedTopicSpeakerAndPlaceSayWhatTheyWere) {
  Occurrence first = seminar({2024, 9, 2});
  first.content.speaker = "Erik";
  Occurrence now = first;
  now.content.topic = "Metoder brukt på Milepælen";
  now.content.speaker = "Kjell Ivar";
  now.location = "Storsalen";
  EXPECT_EQ(change_lines(first, now),
            (std::vector<std::string>{"Nytt sted: Storsalen (var Undervisningsbrakka)",
                                      "Nytt tema (var «Rus og bruk av rusmidler»)",
                                      "Ny foreleser (var Erik)"}));
}

TEST(WebChangeLinesTest, LinksPreparationAgendaAndNotesAreNamed) {
  Occurrence first = seminar({2024, 9, 2});
  Occurrence now = first;
  now.url = "https://teams.microsoft.com/l/meetup-join/abc";
  now.content.preparation.push_back("Les kapittel 3.");
  now.content.agenda = {{{9, 0}, "Fremmøte", ""}};
  now.content.notes = "Ta med PC.";
  EXPECT_EQ(change_lines(first, now),
            (std::vector<std::string>{"Lenke til nettmøtet er lagt inn", "Endrede forberedelser",
                                      "Endret program", "Endret informasjon"}));
  Occurrence relinked = now;
  relinked.url = "https://teams.microsoft.com/l/meetup-join/def";
  EXPECT_EQ(change_lines(now, relinked), std::vector<std::string>{"Ny lenke til nettmøtet"});
}

TEST(WebChangeLinesTest, CancellationIsNotAChangeLine) {
  Occurrence now = seminar({2024, 9, 2});
  now.status = OccurrenceStatus::Cancelled;
  EXPECT_TRUE(change_lines(seminar({2024, 9, 2}), now).empty());
}

TEST(WebChangeLinesTest, NorwegianTimeSpanUsesAnEnDash) {
  EXPECT_EQ(time_span_text_nb({9, 0}, {12, 0}), "kl. 09.00–12.00");
  EXPECT_EQ(date_text_without_year_nb({2024, 1, 15}), "mandag 15. januar");
}

}  // namespace
}  // namespace plancal::web
