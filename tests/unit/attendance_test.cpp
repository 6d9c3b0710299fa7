// The attendance rules on seed 000 (config/plans/mandagsseminar-2024.yaml): the plan's own
// hours against its `attendance:` rule, each person's hours ledger, and make-up dates.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "attendance/ledger.h"
#include "attendance/makeup.h"
#include "attendance/register_gaps.h"
#include "attendance/rule_check.h"
#include "attendance/status.h"
#include "config/config.h"
#include "expand/audience.h"
#include "expand/expander.h"
#include "plan/loader.h"
#include "test_support.h"

namespace plancal {
namespace {

using testing::example_plan;
using ::testing::HasSubstr;
using testing::read_file;

const std::string kSeedText = read_file(example_plan("mandagsseminar-2024.yaml"));

/// The seed plan from text, with `from` replaced by `to` (empty: unchanged).
PlanLoad load_seed(const std::string& from = {}, const std::string& to = {}) {
  std::string text = kSeedText;
  if (!from.empty()) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
  }
  return load_plan_text(text, "plan.yaml", example_plan("").string());
}

/// The 1-based line of the seed text that holds `needle`.
int line_of(const std::string& needle) {
  const auto at = kSeedText.find(needle);
  return 1 + static_cast<int>(std::count(kSeedText.begin(), kSeedText.begin() + at, '\n'));
}

class AttendanceSeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PlanLoad load = load_seed();
    ASSERT_TRUE(load.plan.has_value()) << testing::diagnostics_text(load.diagnostics);
    plan_ = std::move(*load.plan);
    occurrences_ = expand_plan(plan_);
  }

  /// The seminar held on `date` (YYYY-MM-DD).
  const Occurrence& on(const std::string& date) const {
    const auto found = std::find_if(occurrences_.begin(), occurrences_.end(), [&](const auto& o) {
      return format_date(o.start.date) == date;
    });
    EXPECT_NE(found, occurrences_.end()) << date;
    return *found;
  }

  AttendanceRecord record(const std::string& person, const std::string& date,
                          AttendanceStatus status, bool added = false) const {
    AttendanceRecord r;
    r.plan_id = plan_.id;
    r.uid = on(date).uid;
    r.person_id = person;
    r.date = on(date).start.date;
    r.status = status;
    r.added = added;
    return r;
  }

  const Person& person(const std::string& id) const { return *find_person(plan_, id); }

  HoursLine ledger_of(const std::string& id, const std::vector<AttendanceRecord>& records,
                      LocalDateTime now) const {
    const auto lines = hours_ledger(plan_, occurrences_, records, {&person(id)}, 2024, now);
    EXPECT_EQ(lines.size(), 1u);
    return lines.empty() ? HoursLine{} : lines.front();
  }

  Plan plan_;
  std::vector<Occurrence> occurrences_;
};

// Team A's eleven dates (seed 000, "Plan for mandagsmøtene").
const std::vector<std::string> kTeamADates = {
    "2024-01-15", "2024-02-05", "2024-02-26", "2024-03-18", "2024-04-08", "2024-09-02",
    "2024-09-23", "2024-10-07", "2024-11-04", "2024-11-25", "2024-12-16"};

constexpr LocalDateTime kYearEnd{{2024, 12, 31}, {23, 0}};

// --- the plan against its rule ---------------------------------------------------------------

TEST(AttendanceRuleTest, SeedWarnsThatItsMeetingsAre34HoursAgainstTheStated33) {
  PlanLoad load = load_seed();
  ASSERT_TRUE(load.plan.has_value());
  const Diagnostics warnings = check_attendance_rules(*load.plan, expand_plan(*load.plan));
  ASSERT_EQ(warnings.warning_count(), 1u) << testing::diagnostics_text(warnings);
  EXPECT_EQ(warnings.error_count(), 0u);
  const Diagnostic& w = warnings.all().front();
  EXPECT_EQ(w.where.file, "plan.yaml");
  EXPECT_EQ(w.where.line, line_of("programme_hours: 33"));
  EXPECT_THAT(format_diagnostic(w), HasSubstr(": warning: "));
  EXPECT_THAT(w.message, HasSubstr("34 hours in 2024"));
  EXPECT_THAT(w.message, HasSubstr("møte 6 lasts 4 hours, the others 3"));
  EXPECT_THAT(w.message, HasSubstr("says 33 hours"));
}

TEST(AttendanceRuleTest, APlanThatAddsUpToItsRuleGetsNoWarning) {
  PlanLoad load = load_seed("programme_hours: 33", "programme_hours: 34");
  ASSERT_TRUE(load.plan.has_value()) << testing::diagnostics_text(load.diagnostics);
  const Diagnostics warnings = check_attendance_rules(*load.plan, expand_plan(*load.plan));
  EXPECT_EQ(warnings.all().size(), 0u) << testing::diagnostics_text(warnings);
}

TEST(AttendanceRuleTest, ProgrammeHoursAboveTheYearlyHoursIsWarnedAtYearlyHours) {
  PlanLoad load = load_seed("yearly_hours: 40", "yearly_hours: 30");
  ASSERT_TRUE(load.plan.has_value());
  const Diagnostics warnings = check_attendance_rules(*load.plan, expand_plan(*load.plan));
  const auto& all = warnings.all();
  EXPECT_TRUE(std::any_of(all.begin(), all.end(), [](const Diagnostic& d) {
    return d.where.line == line_of("yearly_hours: 40") &&
           d.message.find("more than yearly_hours 30") != std::string::npos;
  })) << testing::diagnostics_text(warnings);
}

TEST(AttendanceRuleTest, ABadRuleIsAnErrorAtItsLine) {
  PlanLoad words = load_seed("programme_hours: 33", "programme_hours: mange");
  EXPECT_FALSE(words.plan.has_value());
  EXPECT_TRUE(std::any_of(words.diagnostics.all().begin(), words.diagnostics.all().end(),
                          [](const Diagnostic& d) {
                            return d.severity == Severity::Error &&
                                   d.where.line == line_of("programme_hours: 33");
                          }))
      << testing::diagnostics_text(words.diagnostics);

  PlanLoad late = load_seed("late_after: \"09:10\"", "late_after: \"9.10\"");
  EXPECT_FALSE(late.plan.has_value());
  EXPECT_THAT(testing::diagnostics_text(late.diagnostics),
              HasSubstr("plan.yaml:" + std::to_string(line_of("late_after")) + ":"));

  PlanLoad unknown = load_seed("late_after: \"09:10\"", "late_after: \"09:10\"\n      hourz: 3");
  EXPECT_FALSE(unknown.plan.has_value());
  EXPECT_THAT(testing::diagnostics_text(unknown.diagnostics), HasSubstr("hourz"));
}

TEST(AttendanceRuleTest, TheRuleIsReadWithItsHoursInMinutes) {
  PlanLoad load = load_seed();
  ASSERT_TRUE(load.plan.has_value());
  const auto& rule = load.plan->rotations.front().attendance;
  ASSERT_TRUE(rule.has_value());
  EXPECT_EQ(rule->programme_minutes, 33 * 60);
  EXPECT_EQ(rule->yearly_minutes, 40 * 60);
  EXPECT_EQ(rule->late_after, (TimeOfDay{9, 10}));
}

TEST(AttendanceStatusTest, CommandLineWordsAndNorwegianLabelsAreRead) {
  EXPECT_EQ(parse_status("moett"), AttendanceStatus::Attended);
  EXPECT_EQ(parse_status("sent"), AttendanceStatus::Late);
  EXPECT_EQ(parse_status("gyldig"), AttendanceStatus::Excused);
  EXPECT_EQ(parse_status("fravaer"), AttendanceStatus::Absent);
  EXPECT_EQ(parse_status("Møtt for sent"), AttendanceStatus::Late);
  EXPECT_EQ(parse_status("GYLDIG FRAVÆR"), AttendanceStatus::Excused);
  EXPECT_EQ(parse_status("absent"), AttendanceStatus::Absent);
  EXPECT_FALSE(parse_status("kanskje").has_value());
  EXPECT_FALSE(parse_status("").has_value());
}

TEST(AttendanceConfigTest, RetentionIsFiveYearsUnlessTheConfigSaysOtherwise) {
  const ConfigLoad plain = load_config_text("plans: [p.yaml]\n", "plancal.yaml");
  ASSERT_TRUE(plain.config.has_value()) << testing::diagnostics_text(plain.diagnostics);
  EXPECT_EQ(plain.config->attendance.retention_years, 5);

  const ConfigLoad two =
      load_config_text("plans: [p.yaml]\nattendance:\n  retention_years: 2\n", "plancal.yaml");
  ASSERT_TRUE(two.config.has_value()) << testing::diagnostics_text(two.diagnostics);
  EXPECT_EQ(two.config->attendance.retention_years, 2);

  const ConfigLoad zero =
      load_config_text("plans: [p.yaml]\nattendance:\n  retention_years: 0\n", "plancal.yaml");
  EXPECT_FALSE(zero.config.has_value());
  EXPECT_THAT(testing::diagnostics_text(zero.diagnostics), HasSubstr("plancal.yaml:3:"));
}

// --- the hours ledger ------------------------------------------------------------------------

TEST_F(AttendanceSeedTest, LedgerCountsEachMeetingByItsRealLength) {
  std::vector<AttendanceRecord> records;
  for (const auto& date : kTeamADates) {
    records.push_back(record("sindre.lunde", date, AttendanceStatus::Attended));
  }
  const HoursLine line = ledger_of("sindre.lunde", records, kYearEnd);
  EXPECT_EQ(line.required_minutes, 33 * 60);
  EXPECT_EQ(line.yearly_minutes, 40 * 60);
  EXPECT_EQ(line.planned_minutes, 10 * 180 + 240);  // meeting 6 lasts 09.00-13.00
  EXPECT_EQ(line.attended_minutes, 34 * 60);
  EXPECT_TRUE(line.met());

  const HoursLine only_six = ledger_of(
      "sindre.lunde", {record("sindre.lunde", "2024-09-02", AttendanceStatus::Late)}, kYearEnd);
  EXPECT_EQ(only_six.attended_minutes, 240) << "late counts the meeting's full length";
  EXPECT_EQ(only_six.unregistered_minutes, 30 * 60);
}

TEST_F(AttendanceSeedTest, LedgerSplitsAbsentExcusedAndUnregisteredAndSaysTheRuleCanNoLongerBeMet) {
  std::vector<AttendanceRecord> records;
  for (const auto& date : kTeamADates) {
    const bool fourth = date == "2024-03-18";
    const bool fifth = date == "2024-04-08";
    if (date == "2024-10-07") continue;  // never registered
    records.push_back(record("sindre.lunde", date,
                             fourth  ? AttendanceStatus::Absent
                             : fifth ? AttendanceStatus::Excused
                                     : AttendanceStatus::Attended));
  }
  const HoursLine line = ledger_of("sindre.lunde", records, kYearEnd);
  EXPECT_EQ(line.attended_minutes, 34 * 60 - 3 * 180);
  EXPECT_EQ(line.absent_minutes, 180);
  EXPECT_EQ(line.excused_minutes, 180);
  EXPECT_EQ(line.unregistered_minutes, 180);
  EXPECT_EQ(line.upcoming_minutes, 0);
  // 25 hours attended; only meeting 8's date may still be registered: 28 < 33.
  EXPECT_EQ(line.reachable_minutes, 28 * 60);
  EXPECT_FALSE(line.can_still_meet());
}

TEST_F(AttendanceSeedTest, LedgerCountsAMakeUpAtAnotherTeamsDate) {
  std::vector<AttendanceRecord> records;
  for (const auto& date : kTeamADates) {
    records.push_back(
        record("sindre.lunde", date,
               date == "2024-03-18" ? AttendanceStatus::Absent : AttendanceStatus::Attended));
  }
  EXPECT_EQ(ledger_of("sindre.lunde", records, kYearEnd).attended_minutes, 31 * 60);
  records.push_back(record("sindre.lunde", "2024-03-25", AttendanceStatus::Attended, true));
  const HoursLine line = ledger_of("sindre.lunde", records, kYearEnd);
  EXPECT_EQ(line.attended_minutes, 34 * 60);
  EXPECT_EQ(line.planned_minutes, 34 * 60) << "the make-up date is not another planned meeting";
  EXPECT_TRUE(line.met());
}

TEST_F(AttendanceSeedTest, LedgerCountsAMakeUpDateStillAheadAsReachable) {
  // 20 March: Sindre missed meeting 4 (18 March); Team C holds it on 25 March.
  const std::vector<AttendanceRecord> records = {
      record("sindre.lunde", "2024-01-15", AttendanceStatus::Attended),
      record("sindre.lunde", "2024-02-05", AttendanceStatus::Attended),
      record("sindre.lunde", "2024-02-26", AttendanceStatus::Attended),
      record("sindre.lunde", "2024-03-18", AttendanceStatus::Absent)};
  const HoursLine line = ledger_of("sindre.lunde", records, {{2024, 3, 20}, {12, 0}});
  EXPECT_EQ(line.attended_minutes, 9 * 60);
  EXPECT_EQ(line.upcoming_minutes, 34 * 60 - 12 * 60);
  EXPECT_EQ(line.reachable_minutes, 34 * 60);
  EXPECT_TRUE(line.can_still_meet());

  // 26 March: Team C's date is past too; meeting 4 is lost, 31 hours remain possible.
  const HoursLine later = ledger_of("sindre.lunde", records, {{2024, 3, 26}, {12, 0}});
  EXPECT_EQ(later.reachable_minutes, 31 * 60);
  EXPECT_FALSE(later.can_still_meet());
}

TEST_F(AttendanceSeedTest, LedgerHasALinePerPersonOfTheRoster) {
  std::vector<const Person*> people;
  for (const auto& p : plan_.roster) people.push_back(&p);
  const auto lines = hours_ledger(plan_, occurrences_, {}, people, 2024, kYearEnd);
  ASSERT_EQ(lines.size(), plan_.roster.size());
  for (const auto& line : lines) {
    EXPECT_EQ(line.planned_minutes, 34 * 60) << line.person->id;
    EXPECT_EQ(line.unregistered_minutes, 34 * 60) << line.person->id;
  }
  EXPECT_TRUE(hours_ledger(plan_, occurrences_, {}, people, 2025, kYearEnd).empty());
}

// --- make-up dates ---------------------------------------------------------------------------

TEST_F(AttendanceSeedTest, AnAbsentPersonIsOfferedTheOtherTeamsDatesStillAhead) {
  const std::vector<AttendanceRecord> records = {
      record("sindre.lunde", "2024-03-18", AttendanceStatus::Absent)};
  const auto options = makeup_options(plan_, occurrences_, records, person("sindre.lunde"),
                                      {{2024, 3, 18}, {13, 0}});
  ASSERT_EQ(options.size(), 1u);  // Team B's date (11 March) is past
  EXPECT_EQ(options.front().text, "Du kan ta igjen møte 4 med Team C mandag 25. mars");
  EXPECT_EQ(options.front().option->uid, on("2024-03-25").uid);
  EXPECT_EQ(options.front().missed->uid, on("2024-03-18").uid);

  EXPECT_TRUE(
      makeup_options(plan_, occurrences_, records, person("sindre.lunde"), {{2024, 3, 25}, {9, 0}})
          .empty())
      << "Team C's meeting has started";
}

TEST_F(AttendanceSeedTest, TeamBsFirstDateLeavesTwoMakeUpDatesInDateOrder) {
  const std::vector<AttendanceRecord> records = {
      record("nora.vik", "2024-03-11", AttendanceStatus::Excused)};
  const auto options =
      makeup_options(plan_, occurrences_, records, person("nora.vik"), {{2024, 3, 11}, {13, 0}});
  ASSERT_EQ(options.size(), 2u);
  EXPECT_EQ(options[0].text, "Du kan ta igjen møte 4 med Team A mandag 18. mars");
  EXPECT_EQ(options[1].text, "Du kan ta igjen møte 4 med Team C mandag 25. mars");
}

TEST_F(AttendanceSeedTest, NoMakeUpOnceMadeUpOrWhenPresent) {
  std::vector<AttendanceRecord> records = {
      record("sindre.lunde", "2024-03-18", AttendanceStatus::Absent),
      record("sindre.lunde", "2024-03-25", AttendanceStatus::Attended, true)};
  EXPECT_TRUE(
      makeup_options(plan_, occurrences_, records, person("sindre.lunde"), {{2024, 3, 19}, {8, 0}})
          .empty());
  records = {record("maja.berntsen", "2024-03-18", AttendanceStatus::Late)};
  EXPECT_TRUE(
      makeup_options(plan_, occurrences_, records, person("maja.berntsen"), {{2024, 3, 19}, {8, 0}})
          .empty());
}

TEST_F(AttendanceSeedTest, EveryoneWithAnAbsenceGetsTheirOwnOptionsForTheirPage) {
  const std::vector<AttendanceRecord> records = {
      record("sindre.lunde", "2024-03-18", AttendanceStatus::Absent),
      record("nora.vik", "2024-03-11", AttendanceStatus::Excused),
      record("maja.berntsen", "2024-03-18", AttendanceStatus::Attended),
      record("nobody.here", "2024-03-18", AttendanceStatus::Absent)};  // off the roster
  const auto by_person =
      makeup_options_by_person(plan_, occurrences_, records, {}, {{2024, 3, 18}, {13, 0}});
  ASSERT_EQ(by_person.size(), 2u) << "the present and the unknown have none";
  ASSERT_EQ(by_person.at("sindre.lunde").size(), 1u);
  EXPECT_EQ(by_person.at("sindre.lunde")[0].text,
            "Du kan ta igjen møte 4 med Team C mandag 25. mars");
  ASSERT_EQ(by_person.at("nora.vik").size(), 1u) << "Team A's 18 March has started";
  EXPECT_EQ(by_person.at("nora.vik")[0].option->uid, on("2024-03-25").uid);
}

// --- make-up moves ---------------------------------------------------------------------------

/// Sindre (team A) missed meeting 4 on 18 March and was moved to team C's 25 March.
MakeupMove sindre_to_team_c(const Plan& plan, const Occurrence& missed, const Occurrence& to) {
  return {plan.id, "sindre.lunde", missed.uid,    missed.start.date,
          to.uid,  to.start.date,  "ingrid.haug", 0};
}

TEST_F(AttendanceSeedTest, AMoveGivesThePersonAloneACopyOfTheOtherTeamsDate) {
  const auto copies = makeup_copies(plan_, occurrences_,
                                    {sindre_to_team_c(plan_, on("2024-03-18"), on("2024-03-25"))});
  ASSERT_EQ(copies.size(), 1u);
  const Occurrence& copy = copies.front();
  const Occurrence& team_c = on("2024-03-25");
  EXPECT_TRUE(is_makeup_copy(copy));
  EXPECT_EQ(copy.makeup_of, team_c.uid);
  EXPECT_NE(copy.uid, team_c.uid) << "team C's own event stays as it is";
  EXPECT_THAT(copy.uid, HasSubstr(".makeup-sindre.lunde@"));
  EXPECT_EQ(copy.start, team_c.start);
  EXPECT_EQ(copy.end, team_c.end);
  EXPECT_EQ(copy.summary, team_c.summary);
  EXPECT_EQ(moved_person(copy), "sindre.lunde");

  // Only Sindre sees it: not team C, not his own team, not even a calendar of everything.
  const auto sees = [&](const Audience& audience) {
    return AudienceView(plan_, audience).sees(copy.audience);
  };
  EXPECT_TRUE(sees({Audience::Kind::Person, "sindre.lunde"}));
  EXPECT_FALSE(sees({Audience::Kind::Person, "maja.berntsen"}));
  EXPECT_FALSE(sees({Audience::Kind::Team, "C"}));
  EXPECT_FALSE(sees({Audience::Kind::Team, "A"}));
  EXPECT_FALSE(sees({Audience::Kind::All, ""}));
}

TEST_F(AttendanceSeedTest, AMoveToADateGoneFromThePlanOrOfSomeoneOffTheRosterGivesNoCopy) {
  MakeupMove gone = sindre_to_team_c(plan_, on("2024-03-18"), on("2024-03-25"));
  gone.to_uid = "mandagsseminar-2024.gone@plancal";
  MakeupMove stranger = sindre_to_team_c(plan_, on("2024-03-18"), on("2024-03-25"));
  stranger.person_id = "ukjent";
  MakeupMove other_plan = sindre_to_team_c(plan_, on("2024-03-18"), on("2024-03-25"));
  other_plan.plan_id = "another-plan";
  EXPECT_TRUE(makeup_copies(plan_, occurrences_, {gone, stranger, other_plan}).empty());
}

TEST_F(AttendanceSeedTest, AMovedOptionSaysSoAndTheCopyAddsNoPlannedHours) {
  const std::vector<AttendanceRecord> records = {
      record("sindre.lunde", "2024-03-18", AttendanceStatus::Absent)};
  const std::vector<MakeupMove> moves = {
      sindre_to_team_c(plan_, on("2024-03-18"), on("2024-03-25"))};
  const auto options = makeup_options(plan_, occurrences_, records, moves, person("sindre.lunde"),
                                      {{2024, 3, 18}, {13, 0}});
  ASSERT_EQ(options.size(), 1u);
  EXPECT_TRUE(options.front().moved_here);
  EXPECT_EQ(options.front().text, "Flyttet til møte 4 med Team C mandag 25. mars");

  std::vector<Occurrence> published = occurrences_;
  for (auto& copy : makeup_copies(plan_, occurrences_, moves)) published.push_back(copy);
  const auto lines =
      hours_ledger(plan_, published, records, {&person("sindre.lunde")}, 2024, kYearEnd);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines.front().planned_minutes, 34 * 60) << "the copy is no meeting of its own";
}

// --- registers a leader still owes -----------------------------------------------------------

class RegisterGapsTest : public AttendanceSeedTest {
 protected:
  [[nodiscard]] std::vector<RegisterGap> gaps(const std::vector<AttendanceRecord>& records,
                                              LocalDateTime now) const {
    std::vector<const Occurrence*> all;
    for (const auto& o : occurrences_) all.push_back(&o);
    return register_gaps(plan_, all, records, now);
  }
  [[nodiscard]] static const RegisterGap* for_leader(const std::vector<RegisterGap>& found,
                                                     const std::string& leader,
                                                     const std::string& date) {
    for (const auto& gap : found) {
      if (gap.leader->id == leader && format_date(gap.date) == date) return &gap;
    }
    return nullptr;
  }
};

TEST_F(RegisterGapsTest, ADayWithSomeoneUnregisteredIsOpenOnceItsMeetingHasEnded) {
  // Team A meets 15 January 09.00-12.00; Ingrid keeps the register of herself and three.
  const std::vector<AttendanceRecord> records = {
      record("ingrid.haug", "2024-01-15", AttendanceStatus::Attended),
      record("sindre.lunde", "2024-01-15", AttendanceStatus::Late)};
  EXPECT_EQ(for_leader(gaps(records, {{2024, 1, 15}, {11, 59}}), "ingrid.haug", "2024-01-15"),
            nullptr)
      << "the meeting has not ended";
  const auto found = gaps(records, {{2024, 1, 15}, {12, 0}});
  const RegisterGap* gap = for_leader(found, "ingrid.haug", "2024-01-15");
  ASSERT_NE(gap, nullptr);
  EXPECT_EQ(gap->scheduled, 4);
  EXPECT_EQ(gap->missing, 2);
  EXPECT_EQ(gap->ended, (LocalDateTime{{2024, 1, 15}, {12, 0}}));
  EXPECT_EQ(gap->uids, std::vector<std::string>{on("2024-01-15").uid});
  EXPECT_EQ(for_leader(found, "henrik.solberg", "2024-01-15"), nullptr)
      << "team B does not meet that day";
}

TEST_F(RegisterGapsTest, SomeoneMovedToAnotherTeamsDateIsExpectedInTheirLeadersRegisterThere) {
  // Tobias (team A, Ingrid's) missed meeting 1 on 15 January and was moved to team C's
  // 22 January; publishing added his copy of that date.
  const MakeupMove move{plan_.id,
                        "tobias.aas",
                        on("2024-01-15").uid,
                        {2024, 1, 15},
                        on("2024-01-22").uid,
                        {2024, 1, 22},
                        "ingrid.haug",
                        0};
  std::vector<Occurrence> published = occurrences_;
  for (auto& copy : makeup_copies(plan_, occurrences_, {move})) published.push_back(copy);
  std::vector<const Occurrence*> all;
  for (const auto& o : published) all.push_back(&o);
  const LocalDateTime after{{2024, 1, 22}, {12, 0}};

  const auto open = register_gaps(plan_, all, {}, after);
  const RegisterGap* ingrid = for_leader(open, "ingrid.haug", "2024-01-22");
  ASSERT_NE(ingrid, nullptr) << "Ingrid keeps Tobias's register at team C's date";
  EXPECT_EQ(ingrid->scheduled, 1);
  EXPECT_EQ(ingrid->missing, 1);
  EXPECT_EQ(ingrid->uids, std::vector<std::string>{on("2024-01-22").uid});
  const RegisterGap* silje = for_leader(open, "silje.moen", "2024-01-22");
  ASSERT_NE(silje, nullptr);
  EXPECT_EQ(silje->scheduled, 4) << "team C's own register is as before";

  AttendanceRecord came = record("tobias.aas", "2024-01-22", AttendanceStatus::Attended, true);
  EXPECT_EQ(for_leader(register_gaps(plan_, all, {came}, after), "ingrid.haug", "2024-01-22"),
            nullptr);
}

TEST_F(RegisterGapsTest, ACompleteRegisterIsNoGapAndAbsenceCountsAsRegistered) {
  const std::vector<AttendanceRecord> records = {
      record("ingrid.haug", "2024-01-15", AttendanceStatus::Attended),
      record("sindre.lunde", "2024-01-15", AttendanceStatus::Excused),
      record("maja.berntsen", "2024-01-15", AttendanceStatus::Absent),
      record("tobias.aas", "2024-01-15", AttendanceStatus::Attended)};
  EXPECT_EQ(for_leader(gaps(records, kYearEnd), "ingrid.haug", "2024-01-15"), nullptr);
  EXPECT_NE(for_leader(gaps(records, kYearEnd), "ingrid.haug", "2024-02-05"), nullptr)
      << "the next date is still open";
  EXPECT_NE(for_leader(gaps({}, kYearEnd), "henrik.solberg", "2024-01-08"), nullptr);
}

}  // namespace
}  // namespace plancal
