// Golden tests: the example plans in config/plans/ are transcriptions of the seed documents in
// shared/seeds/. Each plan is loaded with the real loader and expanded with the real expander,
// and the result is compared with data copied by hand from the seed (not computed by the code
// under test): seed 000's 33 dated Monday meetings, seed 003's 12 depth meetings, and so on.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "base/civil.h"
#include "expand/checks.h"
#include "expand/expander.h"
#include "expand/holidays.h"
#include "plan/loader.h"
#include "test_support.h"

namespace plancal {
namespace {

using plancal::testing::example_plan;

const char* const kExamplePlans[] = {
    "mandagsseminar-2024.yaml",    "dybdemoter-2021.yaml",   "refleksjon-mestring.yaml",
    "kompetanseplan-arshjul.yaml", "kollegaveiledning.yaml",
};

std::string diagnostics_text(const Diagnostics& diagnostics) {
  std::string text;
  for (const auto& d : diagnostics.all()) text += format_diagnostic(d) + "\n";
  return text;
}

/// Loads config/plans/NAME; fails the test (with every diagnostic) when it does not load.
Plan load_example(const std::string& name) {
  const auto path = example_plan(name);
  PlanLoad load = load_plan_file(path.string());
  EXPECT_TRUE(load.plan.has_value()) << path << ":\n" << diagnostics_text(load.diagnostics);
  EXPECT_EQ(load.diagnostics.error_count(), 0U) << diagnostics_text(load.diagnostics);
  if (!load.plan) return Plan{};
  return *load.plan;
}

Date d(int y, int m, int day) { return Date{y, m, day}; }

std::string show(Date date) { return format_date(date); }

std::string show(const LocalDateTime& t) { return format_date(t.date) + "T" + format_time(t.time); }

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// -------------------------------------------------------------------------------------------
// Every example validates

TEST(GoldenTest, EveryExamplePlanValidatesWithoutErrorsOrWarnings) {
  // All *.yaml files in config/plans, so a new example cannot slip in unchecked.
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(example_plan(""))) {
    if (entry.path().extension() == ".yaml") names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  ASSERT_GE(names.size(), std::size(kExamplePlans));
  for (const char* expected : kExamplePlans) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
  for (const auto& name : names) {
    SCOPED_TRACE(name);
    PlanLoad load = load_plan_file(example_plan(name).string());
    ASSERT_TRUE(load.plan.has_value()) << diagnostics_text(load.diagnostics);
    EXPECT_EQ(load.diagnostics.error_count(), 0U) << diagnostics_text(load.diagnostics);
    // The examples are meant to pass `plancal validate --strict` too.
    EXPECT_EQ(load.diagnostics.warning_count(), 0U) << diagnostics_text(load.diagnostics);

    const auto occurrences = expand_plan(*load.plan);
    EXPECT_FALSE(occurrences.empty());
    const Diagnostics checks = check_occurrences(*load.plan, occurrences);
    EXPECT_EQ(checks.error_count(), 0U) << diagnostics_text(checks);
    EXPECT_EQ(checks.warning_count(), 0U) << diagnostics_text(checks);
  }
}

TEST(GoldenTest, UidsAreUniqueAcrossAllExamplesAndExpansionIsDeterministic) {
  std::set<std::string> all_uids;
  std::size_t total = 0;
  for (const char* name : kExamplePlans) {
    SCOPED_TRACE(name);
    const Plan plan = load_example(name);
    const auto first = expand_plan(plan);
    const auto second = expand_plan(plan);
    ASSERT_EQ(first.size(), second.size());
    for (std::size_t i = 0; i < first.size(); ++i) {
      EXPECT_EQ(first[i].uid, second[i].uid);
      EXPECT_EQ(first[i].start, second[i].start);
      EXPECT_EQ(first[i].description, second[i].description);
    }
    for (std::size_t i = 0; i < first.size(); ++i) {
      const auto& o = first[i];
      EXPECT_TRUE(all_uids.insert(o.uid).second) << "duplicate UID " << o.uid;
      EXPECT_TRUE(o.uid.starts_with(plan.id + ".")) << o.uid;
      EXPECT_TRUE(o.uid.ends_with("@plancal")) << o.uid;
      EXPECT_EQ(o.plan_id, plan.id);
      EXPECT_EQ(o.timezone, "Europe/Oslo") << o.uid;
      // Sorted by start, then UID (expander.h).
      if (i > 0) {
        const auto& p = first[i - 1];
        EXPECT_TRUE(std::tie(p.start, p.uid) < std::tie(o.start, o.uid))
            << p.uid << " before " << o.uid;
      }
    }
    total += first.size();
  }
  EXPECT_EQ(all_uids.size(), total);
}

// -------------------------------------------------------------------------------------------
// Seed 000: Årsprogram for mandagsseminarene 2024

struct RotationRow {
  int meeting;
  const char* team;
  Date date;
};

// The table "Plan for mandagsmøtene" in seed 000, row by row (Team A, Team B, Team C).
const RotationRow kMandagsseminar[] = {
    {1, "A", {2024, 1, 15}},   {1, "B", {2024, 1, 8}},    {1, "C", {2024, 1, 22}},
    {2, "A", {2024, 2, 5}},    {2, "B", {2024, 1, 29}},   {2, "C", {2024, 2, 12}},
    {3, "A", {2024, 2, 26}},   {3, "B", {2024, 2, 19}},   {3, "C", {2024, 3, 4}},
    {4, "A", {2024, 3, 18}},   {4, "B", {2024, 3, 11}},   {4, "C", {2024, 3, 25}},
    {5, "A", {2024, 4, 8}},    {5, "B", {2024, 4, 22}},   {5, "C", {2024, 4, 15}},
    {6, "A", {2024, 9, 2}},    {6, "B", {2024, 8, 26}},   {6, "C", {2024, 8, 19}},
    {7, "A", {2024, 9, 23}},   {7, "B", {2024, 9, 9}},    {7, "C", {2024, 9, 16}},
    {8, "A", {2024, 10, 7}},   {8, "B", {2024, 9, 30}},   {8, "C", {2024, 10, 14}},
    {9, "A", {2024, 11, 4}},   {9, "B", {2024, 10, 21}},  {9, "C", {2024, 10, 28}},
    {10, "A", {2024, 11, 25}}, {10, "B", {2024, 11, 18}}, {10, "C", {2024, 11, 11}},
    {11, "A", {2024, 12, 16}}, {11, "B", {2024, 12, 9}},  {11, "C", {2024, 12, 2}},
};

// Topic and speaker line per meeting (table, and the programme page where they differ).
const std::map<int, std::pair<std::string, std::string>> kMandagsseminarTopics = {
    {1, {"En dag på Milepælen", "Foredragsholder: Erik"}},
    {2, {"A-KAT", "Foreleser: Kjell Ivar"}},
    {3, {"CareIt. Standardisert forløp. Fra inntak til utskriving", "Foreleser: Kjell Ivar"}},
    {4, {"HMS. Arbeidsmiljø. AMU", "Foreleser: HMS ansvarlig og verneombud"}},
    {5, {"Brannvernkurs", "Foreleser: TBA"}},
    {6, {"Rus og bruk av rusmidler", "Foreleser: TBA"}},
    {7, {"Metoder brukt på Milepælen", "Foreleser: Erik"}},
    {8, {"Omsorgstretthet", "Foreleser: Didrik Hægeland"}},
    {9, {"Sosialemedier og gaming", "Foreleser: TBA"}},
    {10, {"Ungdomshjernen og omsorgstretthet", "Ekstern: Didrik Hægeland"}},
    {11, {"Avviksrapportering og internkontroll", "Foreleser: Kjell Ivar"}},
};

TEST(GoldenTest, MandagsseminarExpandsToTheSeedTable) {
  const Plan plan = load_example("mandagsseminar-2024.yaml");
  ASSERT_EQ(plan.id, "mandagsseminar-2024");
  EXPECT_EQ(plan.roster.size(), 12U);
  const auto occurrences = expand_plan(plan);
  ASSERT_EQ(occurrences.size(), 33U);

  std::map<std::pair<int, std::string>, const Occurrence*> by_key;
  for (const auto& o : occurrences) {
    SCOPED_TRACE(o.uid);
    EXPECT_EQ(o.component_key, "mandagsseminar");
    const int number = std::stoi(o.meeting_key);
    EXPECT_TRUE(by_key.emplace(std::make_pair(number, o.occurrence_key), &o).second)
        << "two occurrences for meeting " << number << " team " << o.occurrence_key;
  }

  std::set<std::string> uids;
  for (const auto& row : kMandagsseminar) {
    SCOPED_TRACE("meeting " + std::to_string(row.meeting) + " team " + row.team);
    const auto it = by_key.find({row.meeting, row.team});
    ASSERT_NE(it, by_key.end());
    const Occurrence& o = *it->second;
    EXPECT_EQ(show(o.start.date), show(row.date));
    EXPECT_EQ(o.end.date, row.date);
    EXPECT_EQ(weekday_of(o.start.date), Weekday::Monday);
    EXPECT_FALSE(norwegian_holiday(o.start.date).has_value());
    EXPECT_EQ(format_time(o.start.time), "09:00");
    EXPECT_EQ(format_time(o.end.time), row.meeting == 6 ? "13:00" : "12:00");
    EXPECT_FALSE(o.all_day);
    EXPECT_EQ(o.kind, OccurrenceKind::Meeting);
    EXPECT_EQ(o.status, OccurrenceStatus::Confirmed);
    EXPECT_EQ(o.audience, std::string("team:") + row.team);
    EXPECT_EQ(o.uid, "mandagsseminar-2024.mandagsseminar." + std::to_string(row.meeting) +
                         ".team-" + row.team + "." + row.team + "@plancal");
    EXPECT_TRUE(uids.insert(o.uid).second) << o.uid;
    EXPECT_EQ(o.location, "Undervisningsbrakka");

    const auto& [topic, speaker_line] = kMandagsseminarTopics.at(row.meeting);
    EXPECT_EQ(o.summary, "Mandagsseminar " + std::to_string(row.meeting) + ": " + topic);
    EXPECT_EQ(o.content.topic, topic);
    EXPECT_TRUE(contains(o.description, "Tema: " + topic + "\n")) << o.description;
    EXPECT_TRUE(contains(o.description, speaker_line + "\n")) << o.description;
    EXPECT_TRUE(contains(o.description, "Sted: Undervisningsbrakka\n")) << o.description;
    EXPECT_TRUE(contains(o.description,
                         "Program:\n09.00 Fremmøte – Deltakere skal møte i tide til å være klar "
                         "i møtelokalet senest 0900\n"))
        << o.description;
    // The late-arrival rule (rotation notes, repeated in meeting 11's own notes).
    EXPECT_TRUE(contains(o.description, "venter på utsiden til kl. 09:10")) << o.description;
  }
  EXPECT_EQ(uids.size(), 33U);

  // Meeting 6: its own time and an agenda ending 13.00.
  const Occurrence& m6 = *by_key.at({6, "B"});
  EXPECT_TRUE(contains(m6.description, "13.00 Slutt")) << m6.description;
  EXPECT_FALSE(contains(m6.description, "12.00 Slutt")) << m6.description;
  EXPECT_TRUE(contains(m6.description, "Forberedelser:\n- Hva er dine holdninger til rusmidler?\n"))
      << m6.description;

  // Meeting 11: its own agenda and notes.
  const Occurrence& m11 = *by_key.at({11, "C"});
  for (const char* line : {"09.10 Oppgave 1", "10.00 Pause", "10.15 Oppgave 2", "11.15 Pause",
                           "11.25 Refleksjon og veiledning på dagen", "12.00 Slutt"}) {
    EXPECT_TRUE(contains(m11.description, line)) << line << "\n" << m11.description;
  }
  EXPECT_FALSE(contains(m11.description, "Dele refleksjon fra egen praksis")) << m11.description;
  EXPECT_TRUE(contains(m11.description,
                       "Gjennomgang av årsrapporten. Hvor langt har vi kommet i implementering? "
                       "Hvilke typer avvik er det som dominerer?"))
      << m11.description;

  // Default agenda everywhere else.
  const Occurrence& m1 = *by_key.at({1, "A"});
  for (const char* line :
       {"09.05 Innledning – Veiledet meditasjon eller annen innledende aktivitet for å gi "
        "deltakerne en god og hensiktsmessig start på dagens møte\n",
        "09.10 Dele refleksjon fra egen praksis\n", "10.30 Pause\n",
        "10.40 Diskusjon og veiledning på dagens tema\n",
        "12.00 Slutt – Deltakerne går direkte til respektive avdelinger for overlapping.\n"}) {
    EXPECT_TRUE(contains(m1.description, line)) << line << "\n" << m1.description;
  }
  EXPECT_FALSE(contains(m1.description, "Forberedelser:")) << m1.description;

  // Preparation, verbatim with the PDF's wrapped lines joined.
  const Occurrence& m3 = *by_key.at({3, "A"});
  EXPECT_TRUE(contains(m3.description,
                       "Forberedelser:\n"
                       "- Finne frem temaene for dagens seminar i institusjonsplanen og lese "
                       "igjennom dette.\n"
                       "- Forberede og gjøre refleksjon fra praksis som kan knyttes opp imot ett "
                       "eller flere punkter i dagens tema.\n"
                       "- Gjøre seg en refleksjon på hvor det miljøterapeutiske arbeidet ligger.\n"
                       "- Refleksjon over dilemmaer og utfordringer ved dagens temaer.\n"))
      << m3.description;
  EXPECT_EQ(by_key.at({10, "C"})->content.preparation.size(), 2U);
  EXPECT_EQ(by_key.at({9, "B"})->content.preparation.size(), 4U);
}

TEST(GoldenTest, MandagsseminarTeamsSeeOnlyTheirOwnMeetings) {
  const Plan plan = load_example("mandagsseminar-2024.yaml");
  const auto occurrences = expand_plan(plan);
  for (const char* team : {"A", "B", "C"}) {
    SCOPED_TRACE(team);
    const auto audience = parse_audience(std::string("team:") + team, plan);
    ASSERT_TRUE(audience.ok()) << audience.error().message;
    const auto seen = occurrences_for(plan, occurrences, *audience);
    ASSERT_EQ(seen.size(), 11U);
    std::set<std::string> meetings;
    for (const auto& o : seen) {
      EXPECT_EQ(o.occurrence_key, team);
      meetings.insert(o.meeting_key);
    }
    EXPECT_EQ(meetings.size(), 11U);
  }
  // A person sees their team's 11 meetings: the roster is fictional but has every team.
  for (const auto& person : plan.roster) {
    const auto audience = parse_audience("person:" + person.id, plan);
    ASSERT_TRUE(audience.ok()) << audience.error().message;
    EXPECT_EQ(occurrences_for(plan, occurrences, *audience).size(), 11U) << person.id;
  }
  std::size_t leaders = 0;
  for (const auto& person : plan.roster) {
    if (person.leader) {
      ++leaders;
      EXPECT_TRUE(person.reports_to.empty()) << person.id;
    } else {
      EXPECT_FALSE(person.reports_to.empty()) << person.id;
    }
    EXPECT_TRUE(person.email.ends_with("@example.no")) << person.id;
  }
  EXPECT_EQ(leaders, 3U);
}

// -------------------------------------------------------------------------------------------
// Seed 003: Dybdemøter høsten 2021

struct SeriesRowDate {
  const char* row;
  int index;
  Date date;
};

const SeriesRowDate kDybdemoter[] = {
    {"tirsdag", 1, {2021, 9, 7}},   {"tirsdag", 2, {2021, 10, 5}}, {"tirsdag", 3, {2021, 11, 2}},
    {"tirsdag", 4, {2021, 11, 30}}, {"onsdag", 1, {2021, 9, 8}},   {"onsdag", 2, {2021, 10, 6}},
    {"onsdag", 3, {2021, 11, 3}},   {"onsdag", 4, {2021, 12, 1}},  {"torsdag", 1, {2021, 9, 9}},
    {"torsdag", 2, {2021, 10, 7}},  {"torsdag", 3, {2021, 11, 4}}, {"torsdag", 4, {2021, 12, 2}},
};

TEST(GoldenTest, DybdemoterExpandsToTwelveMeetingsInThreeRows) {
  const Plan plan = load_example("dybdemoter-2021.yaml");
  const auto occurrences = expand_plan(plan);
  ASSERT_EQ(occurrences.size(), 12U);
  std::map<std::pair<std::string, std::string>, const Occurrence*> by_key;
  for (const auto& o : occurrences) {
    EXPECT_EQ(o.component_key, "dybdemote");
    by_key.emplace(std::make_pair(o.meeting_key, o.occurrence_key), &o);
  }
  ASSERT_EQ(by_key.size(), 12U);
  const std::map<std::string, std::pair<std::string, Weekday>> rows = {
      {"tirsdag", {"Datorekke 1: Tirsdager", Weekday::Tuesday}},
      {"onsdag", {"Datorekke 2: Onsdager", Weekday::Wednesday}},
      {"torsdag", {"Datorekke 3: Torsdager", Weekday::Thursday}},
  };
  for (const auto& row : kDybdemoter) {
    const std::string index = std::to_string(row.index);
    SCOPED_TRACE(std::string(row.row) + " " + index);
    const auto it = by_key.find({row.row, index});
    ASSERT_NE(it, by_key.end());
    const Occurrence& o = *it->second;
    EXPECT_EQ(show(o.start.date), show(row.date));
    EXPECT_EQ(weekday_of(o.start.date), rows.at(row.row).second);
    EXPECT_EQ(show(o.start), show(row.date) + "T09:00");
    EXPECT_EQ(show(o.end), show(row.date) + "T11:00");
    EXPECT_EQ(o.audience, "all");
    EXPECT_EQ(o.uid,
              std::string("dybdemoter-2021.dybdemote.") + row.row + ".all." + index + "@plancal");
    EXPECT_EQ(o.summary, "Dybdemøte om praksis " + index + "/4 (" + rows.at(row.row).first + ")");
    EXPECT_EQ(o.location, "Microsoft Teams");
    EXPECT_TRUE(contains(o.description, "Nettmøte (Teams)")) << o.description;
    EXPECT_TRUE(contains(o.description, "Et vanlig møte kan se slik ut:\n1. Velkommen\n"))
        << o.description;
    EXPECT_FALSE(contains(o.description, "Program:")) << "no timed agenda in the seed";
    if (std::string(row.row) == "onsdag") {
      EXPECT_TRUE(contains(o.description, "Plasser: 1 (FULLT)")) << o.description;
    } else {
      EXPECT_TRUE(contains(o.description, "Plasser: 1")) << o.description;
      EXPECT_FALSE(contains(o.description, "FULLT")) << o.description;
    }
  }
}

// -------------------------------------------------------------------------------------------
// Seed 001: refleksjonsprogrammet, mestringsdelen

TEST(GoldenTest, RefleksjonHasFiveThemesEveryFourteenDays) {
  const Plan plan = load_example("refleksjon-mestring.yaml");
  const auto occurrences = expand_plan(plan);
  std::vector<const Occurrence*> group;
  std::vector<const Occurrence*> leader;
  for (const auto& o : occurrences) {
    if (o.component_key == "refleksjonsgruppe") group.push_back(&o);
    if (o.component_key == "leder-veileder") leader.push_back(&o);
  }
  ASSERT_EQ(occurrences.size(), 7U);
  ASSERT_EQ(group.size(), 5U);
  ASSERT_EQ(leader.size(), 2U);

  const char* const themes[] = {
      "Tema 1: Hva er dette refleksjonsprogrammet?",
      "Tema 2: Hva er mestringsfremmende praksis?",
      "Tema 3: Brukermedvirkning og samskaping",
      "Tema 4: Kartlegging og målsetting",
      "Tema 5: Funksjons- og mestringsevne, selvstendighet og deltakelse",
  };
  const Date dates[] = {{2025, 1, 8}, {2025, 1, 22}, {2025, 2, 5}, {2025, 2, 19}, {2025, 3, 5}};
  for (std::size_t i = 0; i < 5; ++i) {
    SCOPED_TRACE(i + 1);
    const Occurrence& o = *group[i];
    EXPECT_EQ(o.occurrence_key, std::to_string(i + 1));
    EXPECT_EQ(show(o.start), show(dates[i]) + "T12:30");
    EXPECT_EQ(show(o.end), show(dates[i]) + "T15:00");  // 2.5 hours with a break
    EXPECT_EQ(o.summary, "Refleksjonsgruppe " + std::to_string(i + 1) + "/5: " + themes[i]);
    EXPECT_EQ(o.uid, "refleksjon-mestring.refleksjonsgruppe.gruppe1.all." + std::to_string(i + 1) +
                         "@plancal");
    // 1–2 hours of preparation before every meeting, the first included.
    EXPECT_TRUE(contains(o.description, "Forberedelser:\n- Regn med 1–2 timer forberedelse"))
        << o.description;
  }
  EXPECT_EQ(show(leader[0]->start), "2024-12-11T13:00");
  EXPECT_EQ(show(leader[1]->start), "2025-03-19T13:00");
  EXPECT_EQ(leader[0]->audience, "role:leder+role:veileder");
  EXPECT_EQ(leader[1]->summary, "Veileder og leder 2/2: Evaluering etter mestringsdelen");

  // The leader and the facilitator see the planning meetings; a participant does not.
  const auto as_leader = parse_audience("person:randi.holm", plan);
  ASSERT_TRUE(as_leader.ok()) << as_leader.error().message;
  EXPECT_EQ(occurrences_for(plan, occurrences, *as_leader).size(), 7U);
  const auto as_participant = parse_audience("person:anette.sand", plan);
  ASSERT_TRUE(as_participant.ok()) << as_participant.error().message;
  EXPECT_EQ(occurrences_for(plan, occurrences, *as_participant).size(), 5U);
}

// -------------------------------------------------------------------------------------------
// Seed 002: the annual wheel

struct WheelRow {
  const char* key;
  const char* summary;
  int month;
  int day;
  bool meeting;
  const char* audience;
};

// Table 4.2.1 of seed 002 (and 4.3 for the 15 January plan), with the days we chose for rows
// that give only a month (see the YAML comments).
const WheelRow kWheel[] = {
    {"opplaeringsplan", "Frist: Felles opplæringsplan utarbeidet", 1, 15, false,
     "role:fagradgiver"},
    {"soknad-fylkesmannen", "Frist: Søknad til Fylkesmannen om kompetansemidler", 1, 30, false,
     "role:fagradgiver"},
    {"rapportering", "Frist: Rapportere på tilskudd fra Fylkesmannen", 3, 31, false,
     "role:virksomhetsleder+role:fagradgiver"},
    {"varmote", "Vårmøte: prioritering og evaluering av kompetanseplanen", 5, 6, true,
     "role:virksomhetsleder+role:htv+role:fagradgiver"},
    {"fordeling", "Frist: Fordele midlene fra Fylkesmannen", 6, 30, false,
     "role:fagradgiver+role:stabsleder"},
    {"satsningsmote", "Møte vedr. satsningsområder for påfølgende år", 9, 10, true,
     "role:virksomhetsleder+role:htv"},
    {"soknadsfrist-ansatte", "Frist: Ansatte søker til sin leder", 10, 15, false,
     "role:ansatte+role:leder"},
    {"prioritering", "Prioritere innkomne søknader opp mot satsningsområdene", 10, 28, true,
     "role:virksomhetsleder+role:fagradgiver"},
    {"svarbrev", "Frist: Svarbrev sendes ut til de ansatte", 11, 5, false, "role:fagradgiver"},
};

TEST(GoldenTest, KompetanseplanWheelGivesEveryRowInBothYears) {
  const Plan plan = load_example("kompetanseplan-arshjul.yaml");
  const auto occurrences = expand_plan(plan);
  ASSERT_EQ(occurrences.size(), std::size(kWheel) * 2);
  std::map<std::pair<std::string, std::string>, const Occurrence*> by_key;
  for (const auto& o : occurrences) {
    EXPECT_EQ(o.component_key, "wheel");
    by_key.emplace(std::make_pair(o.meeting_key, o.occurrence_key), &o);
  }
  int meetings_2025 = 0;
  for (int year : {2025, 2026}) {
    for (const auto& row : kWheel) {
      SCOPED_TRACE(std::string(row.key) + " " + std::to_string(year));
      const auto it = by_key.find({row.key, std::to_string(year)});
      ASSERT_NE(it, by_key.end());
      const Occurrence& o = *it->second;
      const Date date{year, row.month, row.day};
      EXPECT_EQ(show(o.start.date), show(date));
      EXPECT_EQ(o.summary, row.summary);
      EXPECT_EQ(o.audience, row.audience);
      std::string slug = row.audience;
      std::replace(slug.begin(), slug.end(), ':', '-');
      EXPECT_EQ(o.uid, std::string("kompetanseplan-arshjul.wheel.") + row.key + "." + slug + "." +
                           std::to_string(year) + "@plancal");
      if (row.meeting) {
        EXPECT_EQ(o.kind, OccurrenceKind::Meeting);
        EXPECT_FALSE(o.all_day);
        EXPECT_EQ(show(o.start), show(date) + "T10:00");
        EXPECT_EQ(show(o.end), show(date) + "T12:00");
        const Weekday wd = weekday_of(date);
        EXPECT_TRUE(wd != Weekday::Saturday && wd != Weekday::Sunday);
        EXPECT_FALSE(norwegian_holiday(date).has_value());
        if (year == 2025) ++meetings_2025;
      } else {
        EXPECT_EQ(o.kind, OccurrenceKind::Deadline);
        EXPECT_TRUE(o.all_day);
        EXPECT_EQ(show(o.end.date), show(add_days(date, 1)));  // exclusive end
      }
    }
  }
  EXPECT_GE(meetings_2025, 3);  // "Det skal avholdes minimum 3 møter i året."
}

// -------------------------------------------------------------------------------------------
// Seed 004: kollegaveiledning, one hour every week

TEST(GoldenTest, KollegaveiledningIsWeeklyWithoutHolidaysAndSummer) {
  const Plan plan = load_example("kollegaveiledning.yaml");
  const auto occurrences = expand_plan(plan);

  // Every Thursday from 2 January to 18 December 2025 except these (public holidays on a
  // Thursday in 2025, then the summer blackout 30.06–10.08).
  const std::set<Date> skipped = {
      {2025, 4, 17}, {2025, 5, 1},  {2025, 5, 29},                                // holidays
      {2025, 7, 3},  {2025, 7, 10}, {2025, 7, 17}, {2025, 7, 24}, {2025, 7, 31},  // summer
      {2025, 8, 7},
  };
  std::vector<Date> expected;
  for (Date day = d(2025, 1, 2); day <= d(2025, 12, 18); day = add_days(day, 7)) {
    if (!skipped.contains(day)) expected.push_back(day);
  }
  ASSERT_EQ(expected.size(), 42U);
  ASSERT_EQ(occurrences.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(i + 1);
    const Occurrence& o = occurrences[i];
    EXPECT_EQ(show(o.start), show(expected[i]) + "T13:00");
    EXPECT_EQ(show(o.end), show(expected[i]) + "T14:00");
    EXPECT_EQ(o.summary, "Kollegaveiledning");
    EXPECT_EQ(o.uid, "kollegaveiledning.kollegaveiledning.kollegaveiledning.all." +
                         std::to_string(i + 1) + "@plancal");
    EXPECT_FALSE(norwegian_holiday(o.start.date).has_value());
  }
}

}  // namespace
}  // namespace plancal
