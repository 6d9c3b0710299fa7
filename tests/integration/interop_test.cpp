// Interoperability: every example plan is exported as iCalendar by the plancal binary and read
// back by an independent implementation (Debian's python3-icalendar with
// python3-recurring-ical-events, tests/integration/read_ics.py). The events that reader sees
// must be exactly what `plancal expand --format json` says: the same UIDs, the same local start
// and end with the right UTC offset (+01:00 in winter, +02:00 in summer) and the same
// summaries. The reader runs under two TZ values and must print the same thing, which proves
// the file carries its own zone (TZID + VTIMEZONE) instead of floating or UTC-shifted times.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cctype>
#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "test_support.h"

namespace plancal {
namespace {

using nlohmann::json;
using plancal::testing::example_plan;
using plancal::testing::kDebianPython;
using plancal::testing::ProcessResult;
using plancal::testing::run_plancal;
using plancal::testing::run_process;
using plancal::testing::source_dir;
using plancal::testing::TempDir;

struct Example {
  const char* file;
  const char* plan_id;
  std::size_t occurrences;
};

const Example kExamples[] = {
    {"mandagsseminar-2024.yaml", "mandagsseminar-2024", 33},
    {"dybdemoter-2021.yaml", "dybdemoter-2021", 12},
    {"refleksjon-mestring.yaml", "refleksjon-mestring", 7},
    {"kompetanseplan-arshjul.yaml", "kompetanseplan-arshjul", 18},
    {"kollegaveiledning.yaml", "kollegaveiledning", 42},
};

// Keeps test names readable (and stable: gtest would otherwise print the struct's bytes).
void PrintTo(const Example& example, std::ostream* out) { *out << example.file; }

struct Event {
  std::string summary;
  std::string start;
  std::string end;
  std::string status;
};

std::string describe(const ProcessResult& r) {
  return "exit " + std::to_string(r.exit_code) + "\nstdout:\n" + r.out.substr(0, 4000) +
         "\nstderr:\n" + r.err.substr(0, 4000);
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

ProcessResult read_ics(const std::filesystem::path& ics, const std::vector<std::string>& env) {
  const auto script = source_dir() / "tests" / "integration" / "read_ics.py";
  return run_process({kDebianPython, script.string(), ics.string()}, env);
}

class InteropIntegration : public ::testing::TestWithParam<Example> {};

TEST_P(InteropIntegration, PythonIcalendarSeesWhatPlancalExpands) {
  const Example& example = GetParam();
  const auto plan = example_plan(example.file).string();
  TempDir tmp;
  const auto ics = tmp.path() / "export.ics";

  // 1. plancal export PLAN -o FILE
  const ProcessResult exported = run_plancal({"export", plan, "-o", ics.string()});
  ASSERT_EQ(exported.exit_code, 0) << describe(exported);
  ASSERT_TRUE(std::filesystem::exists(ics)) << describe(exported);

  // 2. plancal expand PLAN --format json, in the test's zone and in another one.
  const ProcessResult expanded = run_plancal({"expand", plan, "--format", "json"});
  ASSERT_EQ(expanded.exit_code, 0) << describe(expanded);
  const ProcessResult expanded_ny =
      run_plancal({"expand", plan, "--format", "json"}, {"TZ=America/New_York"});
  ASSERT_EQ(expanded_ny.exit_code, 0) << describe(expanded_ny);
  EXPECT_EQ(expanded_ny.out, expanded.out) << "plancal expand depends on the process's TZ";

  json ours;
  ASSERT_NO_THROW(ours = json::parse(expanded.out)) << expanded.out.substr(0, 2000);
  ASSERT_TRUE(ours.is_array());
  ASSERT_EQ(ours.size(), example.occurrences);

  std::map<std::string, Event> expected;
  for (const auto& item : ours) {
    for (const char* key :
         {"uid", "plan", "meeting", "audience", "summary", "start", "end", "location", "status"}) {
      ASSERT_TRUE(item.contains(key)) << "missing key " << key << " in " << item.dump();
    }
    EXPECT_EQ(item["plan"].get<std::string>(), example.plan_id);
    Event event{item["summary"].get<std::string>(), item["start"].get<std::string>(),
                item["end"].get<std::string>(), lower(item["status"].get<std::string>())};
    ASSERT_TRUE(expected.emplace(item["uid"].get<std::string>(), event).second)
        << "duplicate UID " << item["uid"];
  }

  // 3. The independent reader, in two process zones.
  const ProcessResult read = read_ics(ics, {"TZ=Europe/Oslo"});
  ASSERT_EQ(read.exit_code, 0) << describe(read);
  const ProcessResult read_ny = read_ics(ics, {"TZ=America/New_York"});
  ASSERT_EQ(read_ny.exit_code, 0) << describe(read_ny);
  EXPECT_EQ(read_ny.out, read.out) << "the .ics reads differently in another zone: floating times?";

  json theirs;
  ASSERT_NO_THROW(theirs = json::parse(read.out)) << read.out.substr(0, 2000);
  EXPECT_TRUE(theirs["problems"].empty()) << theirs["problems"].dump(1);
  EXPECT_EQ(theirs["timezones"], json::array({"Europe/Oslo"}))
      << "exactly one VTIMEZONE, with the plain IANA TZID";

  std::map<std::string, Event> seen;
  for (const auto& item : theirs["events"]) {
    Event event{item["summary"].get<std::string>(), item["start"].get<std::string>(),
                item["end"].get<std::string>(), lower(item["status"].get<std::string>())};
    // Timed events carry the plan's zone (TZID=Europe/Oslo), not UTC or floating times.
    if (!item["all_day"].get<bool>()) {
      EXPECT_EQ(item["tzid"].get<std::string>(), "Europe/Oslo") << item.dump();
    }
    EXPECT_TRUE(seen.emplace(item["uid"].get<std::string>(), event).second)
        << "the reader sees UID " << item["uid"] << " twice";
  }

  // 4. Same UIDs, same local times with offsets, same summaries.
  EXPECT_EQ(seen.size(), expected.size());
  for (const auto& [uid, want] : expected) {
    SCOPED_TRACE(uid);
    const auto it = seen.find(uid);
    ASSERT_NE(it, seen.end()) << "not in the .ics";
    const Event& got = it->second;
    EXPECT_EQ(got.start, want.start);
    EXPECT_EQ(got.end, want.end);
    // The renderer prefixes cancelled events' summaries with "AVLYST: ".
    const bool cancelled = want.status == "cancelled";
    EXPECT_EQ(got.summary, cancelled ? "AVLYST: " + want.summary : want.summary);
    if (cancelled) {
      EXPECT_EQ(got.status, "cancelled");
    }
  }
  for (const auto& [uid, got] : seen) {
    EXPECT_TRUE(expected.contains(uid)) << "the .ics has an event plancal did not expand: " << uid;
  }

  // 5. Daylight saving: seed 000 has meetings on both sides of 31 March 2024.
  if (std::string(example.plan_id) == "mandagsseminar-2024") {
    const std::string m4c = "mandagsseminar-2024.mandagsseminar.4.team-C.C@plancal";
    const std::string m5a = "mandagsseminar-2024.mandagsseminar.5.team-A.A@plancal";
    const std::string m6a = "mandagsseminar-2024.mandagsseminar.6.team-A.A@plancal";
    for (const auto* events : {&expected, &seen}) {
      ASSERT_TRUE(events->contains(m4c) && events->contains(m5a) && events->contains(m6a));
      EXPECT_EQ(events->at(m4c).start, "2024-03-25T09:00:00+01:00");
      EXPECT_EQ(events->at(m4c).end, "2024-03-25T12:00:00+01:00");
      EXPECT_EQ(events->at(m5a).start, "2024-04-08T09:00:00+02:00");
      EXPECT_EQ(events->at(m5a).end, "2024-04-08T12:00:00+02:00");
      EXPECT_EQ(events->at(m6a).end, "2024-09-02T13:00:00+02:00");
    }
  }
  // All-day deadlines are plain dates on both sides (seed 002).
  if (std::string(example.plan_id) == "kompetanseplan-arshjul") {
    const std::string uid =
        "kompetanseplan-arshjul.wheel.soknadsfrist-ansatte.role-ansatte+role-leder.2025@plancal";
    ASSERT_TRUE(expected.contains(uid) && seen.contains(uid));
    EXPECT_EQ(expected.at(uid).start, "2025-10-15");
    EXPECT_EQ(seen.at(uid).start, "2025-10-15");
  }
}

std::string example_name(const ::testing::TestParamInfo<Example>& info) {
  std::string name = info.param.plan_id;
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Examples, InteropIntegration, ::testing::ValuesIn(kExamples),
                         example_name);

}  // namespace
}  // namespace plancal
