// plancal attendance mark|import|export|hours, run as the real binary on seed 000's plan:
// what is imported comes back out, the hours add up to what the plan file itself says
// (checked by tests/integration/attendance_check.py, which does its own arithmetic), a file
// with errors imports nothing, and imports killed with SIGKILL lose and duplicate nothing.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.h"

namespace plancal::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kPlanId = "mandagsseminar-2024";
const std::string kYearEnd = "2024-12-31T23:00";

// Seed 000's table "Plan for mandagsmøtene": each team's date of meetings 1..11.
const std::map<std::string, std::array<const char*, 11>> kTeamDates = {
    {"A",
     {"2024-01-15", "2024-02-05", "2024-02-26", "2024-03-18", "2024-04-08", "2024-09-02",
      "2024-09-23", "2024-10-07", "2024-11-04", "2024-11-25", "2024-12-16"}},
    {"B",
     {"2024-01-08", "2024-01-29", "2024-02-19", "2024-03-11", "2024-04-22", "2024-08-26",
      "2024-09-09", "2024-09-30", "2024-10-21", "2024-11-18", "2024-12-09"}},
    {"C",
     {"2024-01-22", "2024-02-12", "2024-03-04", "2024-03-25", "2024-04-15", "2024-08-19",
      "2024-09-16", "2024-10-14", "2024-10-28", "2024-11-11", "2024-12-02"}}};

const std::vector<std::pair<std::string, std::string>> kRoster = {
    {"ingrid.haug", "A"},    {"sindre.lunde", "A"}, {"maja.berntsen", "A"}, {"tobias.aas", "A"},
    {"henrik.solberg", "B"}, {"nora.vik", "B"},     {"emil.strand", "B"},   {"aurora.lie", "B"},
    {"silje.moen", "C"},     {"jonas.bakke", "C"},  {"leah.dahl", "C"},     {"oskar.fjeld", "C"}};

/// A config with seed 000's plan and roster, and a database, in a fresh folder.
class AttendanceWorld {
 public:
  AttendanceWorld() {
    for (const char* name : {"mandagsseminar-2024.yaml", "roster-milepaelen.csv"}) {
      std::filesystem::copy_file(example_plan(name), dir.path() / name);
    }
    config =
        dir.write("plancal.yaml", "plans: [mandagsseminar-2024.yaml]\ndatabase: var/plancal.db\n")
            .string();
  }

  [[nodiscard]] std::string path(const std::string& name) const {
    return (dir.path() / name).string();
  }
  ProcessResult run(std::vector<std::string> args) const {
    args.insert(args.begin() + 2, {"--config", config});
    return run_plancal(args);
  }
  std::string export_csv(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args{"attendance", "export"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto result = run(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out;
  }

  TempDir dir;
  std::string config;
};

/// Data lines of a CSV export (header and empty lines left out), for counting.
std::vector<std::string> data_lines(const std::string& csv) {
  std::vector<std::string> lines;
  std::istringstream in(csv);
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) break;  // --person: the audit trail follows
    if (!header) lines.push_back(line);
    header = false;
  }
  return lines;
}

/// A year of registrations: every person at their own dates, with absences, excused
/// absences, late arrivals, unregistered dates, and Sindre making up meeting 4 at Team C's.
std::string year_of_registrations() {
  std::string csv = "date,person,status,note\n";
  int n = 0;
  for (const auto& [person, team] : kRoster) {
    for (int meeting = 0; meeting < 11; ++meeting) {
      ++n;
      if (n % 17 == 0) continue;  // not registered
      const char* status = n % 13 == 0   ? "fravaer"
                           : n % 11 == 0 ? "gyldig"
                           : n % 7 == 0  ? "sent"
                                         : "moett";
      if (person == "sindre.lunde" && meeting == 3) status = "fravaer";
      csv += std::string(kTeamDates.at(team)[meeting]) + "," + person + "," + status + ",";
      csv += std::string(status) == "sent" ? "\"kom 09.20, ventet ute\"\n" : "\n";
    }
  }
  csv += "2024-03-25,sindre.lunde,moett,tok igjen møte 4 med Team C\n";
  return csv;
}

TEST(AttendanceCliIntegration, ImportedYearExportsAndAddsUpToThePlanFile) {
  AttendanceWorld world;
  const std::string imported = world.dir.write("year.csv", year_of_registrations()).string();
  const auto import = world.run({"attendance", "import", "--by", "ingrid.haug", imported});
  ASSERT_EQ(import.exit_code, 0) << import.err;
  const std::size_t rows = data_lines(read_file(imported)).size();
  EXPECT_THAT(import.out, HasSubstr(std::to_string(rows) + " new, 0 changed, 0 unchanged"));

  const std::string exported = world.export_csv({"--year", "2024"});
  EXPECT_EQ(data_lines(exported).size(), rows);
  world.dir.write("export.csv", exported);
  const auto hours =
      world.run({"attendance", "hours", "--year", "2024", "--now", kYearEnd, "--format", "csv"});
  ASSERT_EQ(hours.exit_code, 0) << hours.err;
  world.dir.write("hours.csv", hours.out);

  const auto check =
      run_process({kDebianPython, (source_dir() / "tests/integration/attendance_check.py").string(),
                   world.path("mandagsseminar-2024.yaml"), world.path("roster-milepaelen.csv"),
                   imported, world.path("export.csv"), world.path("hours.csv")});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_THAT(check.out, HasSubstr("against the plan file"));

  // The same as an Excel workbook for payroll, read back by openpyxl and checked the same way.
  const std::string workbook = world.path("rapport.xlsx");
  const auto xlsx =
      world.run({"attendance", "export", "--year", "2024", "--format", "xlsx", "-o", workbook});
  ASSERT_EQ(xlsx.exit_code, 0) << xlsx.err;
  EXPECT_THAT(xlsx.err, HasSubstr("wrote " + std::to_string(rows) + " registration(s)"));
  const auto xlsx_check =
      run_process({kDebianPython, (source_dir() / "tests/integration/attendance_check.py").string(),
                   world.path("mandagsseminar-2024.yaml"), world.path("roster-milepaelen.csv"),
                   imported, workbook, world.path("hours.csv")});
  EXPECT_EQ(xlsx_check.exit_code, 0) << xlsx_check.out << xlsx_check.err;
  EXPECT_THAT(xlsx_check.out, HasSubstr("checked " + std::to_string(rows) + " export rows"));
  EXPECT_NE(world.run({"attendance", "export", "--format", "xlsx"}).exit_code, 0)
      << "a workbook needs -o";

  // The same file again changes nothing and duplicates nothing.
  const auto again = world.run({"attendance", "import", imported});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("0 new, 0 changed, " + std::to_string(rows) + " unchanged"));
  EXPECT_EQ(world.export_csv({"--year", "2024"}), exported);

  // A readable table for people, in Norwegian.
  const auto table = world.run({"attendance", "hours", "--year", "2024", "--now", kYearEnd});
  EXPECT_THAT(table.out, HasSubstr("33 av 40 timer i året"));
  EXPECT_THAT(table.out, HasSubstr("Sindre Lunde"));
}

TEST(AttendanceCliIntegration, ExportOfOnePersonHoldsEverythingAboutThemAndNobodyElse) {
  AttendanceWorld world;
  ASSERT_EQ(
      world
          .run({"attendance", "mark", "--plan", kPlanId, "--date", "2024-03-18", "--person",
                "sindre.lunde", "--status", "fravaer", "--note", "syk", "--by", "ingrid.haug"})
          .exit_code,
      0);
  ASSERT_EQ(
      world
          .run({"attendance", "mark", "--plan", kPlanId, "--date", "2024-03-18", "--person",
                "sindre.lunde", "--status", "gyldig", "--note", "legetime", "--by", "ingrid.haug"})
          .exit_code,
      0);
  ASSERT_EQ(world
                .run({"attendance", "mark", "--plan", kPlanId, "--date", "2024-03-18", "--person",
                      "maja.berntsen", "--status", "moett"})
                .exit_code,
            0);
  const std::string mine = world.export_csv({"--person", "sindre.lunde"});
  EXPECT_EQ(data_lines(mine).size(), 1u);
  EXPECT_THAT(mine, HasSubstr("gyldig fravær,excused,legetime"));
  // The audit trail: absent with "syk", then absent -> excused.
  EXPECT_THAT(mine, HasSubstr("changed_at,changed_by,source"));
  EXPECT_THAT(mine, HasSubstr(",absent,,syk"));
  EXPECT_THAT(mine, HasSubstr(",absent,excused,syk,legetime"));
  EXPECT_THAT(mine, HasSubstr("ingrid.haug,cli"));
  EXPECT_THAT(mine, Not(HasSubstr("maja")));
}

TEST(AttendanceCliIntegration, MarkingSomeoneAbsentOffersTheOtherTeamsDateStillAhead) {
  AttendanceWorld world;
  const auto marked =
      world.run({"attendance", "mark", "--plan", kPlanId, "--date", "2024-03-18", "--person",
                 "sindre.lunde", "--status", "fravaer", "--now", "2024-03-18T13:00"});
  ASSERT_EQ(marked.exit_code, 0) << marked.err;
  EXPECT_THAT(marked.out, HasSubstr("mandag 18. mars 2024: Sindre Lunde fravær (møte 4)"));
  EXPECT_THAT(marked.out, HasSubstr("Du kan ta igjen møte 4 med Team C mandag 25. mars\n"));
  EXPECT_THAT(marked.out, Not(HasSubstr("Team B")));  // 11 March is past
  // Nothing personal reaches the log lines on stderr.
  EXPECT_THAT(marked.err, Not(HasSubstr("sindre")));

  const auto made_up = world.run({"attendance", "mark", "--plan", kPlanId, "--date", "2024-03-25",
                                  "--person", "sindre.lunde", "--status", "moett"});
  ASSERT_EQ(made_up.exit_code, 0) << made_up.err;
  EXPECT_THAT(made_up.out, HasSubstr("ikke satt opp"));  // registered at another team's date

  const auto no_meeting =
      world.run({"attendance", "mark", "--plan", kPlanId, "--date", "2024-03-19", "--person",
                 "sindre.lunde", "--status", "moett"});
  EXPECT_EQ(no_meeting.exit_code, 1);
  EXPECT_THAT(no_meeting.err, HasSubstr("no meeting with attendance kept on 2024-03-19"));
  const auto bad_status = world.run({"attendance", "mark", "--plan", kPlanId, "--date",
                                     "2024-03-18", "--person", "sindre.lunde", "--status", "ja"});
  EXPECT_EQ(bad_status.exit_code, 1);
  EXPECT_THAT(bad_status.err, HasSubstr("moett, sent, gyldig, fravaer"));
}

TEST(AttendanceCliIntegration, ValidateWarnsThatSeed000Is34HoursAgainstItsRuleOf33) {
  const std::string plan = example_plan("mandagsseminar-2024.yaml").string();
  const auto result = run_plancal({"validate", plan});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr(plan + ":66:24: warning: the meetings of rotation "
                                           "'mandagsseminar' add up to 34 hours in 2024"));
  EXPECT_THAT(result.err, HasSubstr("says 33 hours"));
}

TEST(AttendanceCliIntegration, AFileWithErrorsImportsNothingAndNamesEveryBadLine) {
  AttendanceWorld world;
  const std::string bad = world.dir
                              .write("bad.csv",
                                     "date,person,status,note\n"
                                     "2024-01-15,sindre.lunde,moett,\n"
                                     "2024-13-01,sindre.lunde,moett,\n"
                                     "2024-02-05,nobody.here,moett,\n"
                                     "2024-02-26,maja.berntsen,kanskje,\n"
                                     "2024-01-16,maja.berntsen,moett,\n"
                                     "2024-01-15,sindre.lunde,fravaer,\n"
                                     "2024-03-18,tobias.aas,sent,fine\n")
                              .string();
  const auto result = world.run({"attendance", "import", bad});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr(bad + ":3: error: '2024-13-01' is not a date"));
  EXPECT_THAT(result.err, HasSubstr(bad + ":4: error: plan mandagsseminar-2024 has nobody with "
                                          "the id 'nobody.here'"));
  EXPECT_THAT(result.err, HasSubstr(bad + ":5: error: 'kanskje' is not a status"));
  EXPECT_THAT(result.err, HasSubstr(bad + ":6: error: plan mandagsseminar-2024 has no meeting"));
  EXPECT_THAT(result.err, HasSubstr(bad + ":7: error: sindre.lunde on 2024-01-15 is registered "
                                          "twice (also on line 2)"));
  EXPECT_THAT(result.err, HasSubstr(bad + ": 5 error(s); nothing was imported"));
  EXPECT_TRUE(data_lines(world.export_csv()).empty());

  const std::string header = world.dir.write("header.csv", "dato,person\n").string();
  const auto no_header = world.run({"attendance", "import", header});
  EXPECT_EQ(no_header.exit_code, 1);
  EXPECT_THAT(no_header.err, HasSubstr(header + ":1: error: unknown column 'dato'"));
  EXPECT_THAT(no_header.err, HasSubstr("no 'status' column"));

  const std::string quotes =
      world.dir
          .write("quotes.csv", "date,person,status,note\n2024-01-15,sindre.lunde,moett,\"open\n")
          .string();
  const auto unclosed = world.run({"attendance", "import", quotes});
  EXPECT_EQ(unclosed.exit_code, 1);
  EXPECT_THAT(unclosed.err, HasSubstr(quotes + ":2: error:"));
  EXPECT_TRUE(data_lines(world.export_csv()).empty());

  // 9 MiB of valid-looking rows: refused whole before any row is read.
  std::string huge = "date,person,status,note\n";
  while (huge.size() < 9u * 1024 * 1024)
    huge += "2024-01-15,sindre.lunde,moett," + std::string(200, 'x') + "\n";
  const std::string big = world.dir.write("huge.csv", huge).string();
  const auto too_big = world.run({"attendance", "import", big});
  EXPECT_EQ(too_big.exit_code, 1);
  EXPECT_THAT(too_big.err, HasSubstr("too large"));
  EXPECT_TRUE(data_lines(world.export_csv()).empty());
}

/// Every registration of one round: all 132 own dates with `status`.
std::string round_csv(const std::string& status) {
  std::string csv = "date,person,status\n";
  for (const auto& [person, team] : kRoster) {
    for (const char* date : kTeamDates.at(team))
      csv += std::string(date) + "," + person + "," + status + "\n";
  }
  return csv;
}

/// The statuses in an export, with how many rows have each; and whether a (date, person)
/// appears twice.
std::map<std::string, int> statuses(const std::string& exported, bool& duplicated) {
  std::map<std::string, int> count;
  std::set<std::string> keys;
  duplicated = false;
  for (const auto& line : data_lines(exported)) {
    std::vector<std::string> fields;
    std::istringstream in(line);
    for (std::string field; std::getline(in, field, ',');) fields.push_back(field);
    const std::string key = fields.at(0) + "," + fields.at(1);
    duplicated = duplicated || !keys.insert(key).second;
    ++count[fields.at(9)];  // status_code
  }
  return count;
}

TEST(AttendanceCliIntegration, ImportsKilledWithSigkillLoseNothingAndDuplicateNothing) {
  AttendanceWorld world;
  const std::array<const char*, 4> kRoundStatus = {"moett", "fravaer", "gyldig", "sent"};
  const std::array<const char*, 4> kCodes = {"attended", "absent", "excused", "late"};
  constexpr int kRounds = 8;
  constexpr int kRows = 132;
  int landed = 0;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::string file =
        world.dir.write("round.csv", round_csv(kRoundStatus[round % 4])).string();
    const pid_t pid = spawn_quietly(
        {plancal_binary().string(), "attendance", "import", "--config", world.config, file});
    if (kill_after(pid, std::chrono::milliseconds(40 + 45 * round))) ++landed;

    // After the kill: the previous round's registers whole, or this round's whole.
    bool duplicated = false;
    const auto after_kill = statuses(world.export_csv(), duplicated);
    EXPECT_FALSE(duplicated);
    const std::map<std::string, int> before =
        round == 0 ? std::map<std::string, int>{}
                   : std::map<std::string, int>{{kCodes[(round - 1) % 4], kRows}};
    const std::map<std::string, int> now{{kCodes[round % 4], kRows}};
    EXPECT_TRUE(after_kill == before || after_kill == now)
        << "a killed import left part of a file imported";

    // Run to the end: this round's registers, each once.
    const auto finished = world.run({"attendance", "import", file});
    ASSERT_EQ(finished.exit_code, 0) << finished.err;
    EXPECT_EQ(statuses(world.export_csv(), duplicated), now);
    EXPECT_FALSE(duplicated);
  }
  // Each round changed every registration once: the audit trail has one row per change.
  const std::string trail = world.export_csv({"--person", "sindre.lunde"});
  // Lines: the 11 registers and their header, an empty line and the audit trail's header,
  // then an empty line and the (empty) make-up moves' header.
  const auto audit_rows = std::count(trail.begin(), trail.end(), '\n') - 11 - 3 - 2;
  EXPECT_EQ(audit_rows, 11 * kRounds) << trail;
  std::printf("[ info ] %d of %d imports were killed while running\n", landed, kRounds);
}

}  // namespace
}  // namespace plancal::testing
