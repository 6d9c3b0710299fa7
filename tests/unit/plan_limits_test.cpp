// Huge and deep input is bad input: every value over its limit is refused with its position,
// its length and the limit, without crashing and without gigabytes of memory; nesting past
// the loader's limit says so; no "internal error" is reachable from a plan file.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "plan/loader.h"
#include "plan/roster.h"
#include "test_support.h"

namespace plancal {
namespace {

using testing::diagnostics_text;
using testing::read_file;

using testing::has_error;

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("not in the text: " + from);
  return text.replace(at, from.size(), to);
}

/// The example plan with the weekly slot's key made `k` followed by 40,000 a's: the input
/// that crashed `plancal validate` with SIGSEGV.
std::string plan_with_long_key() {
  return replace(read_file(testing::example_plan("kollegaveiledning.yaml")),
                 "  - key: kollegaveiledning", "  - key: k" + std::string(40'000, 'a'));
}

/// The peak resident memory of this process since reset_peak_memory(), from /proc.
void reset_peak_memory() { std::ofstream("/proc/self/clear_refs") << "5"; }
long peak_memory_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

TEST(PlanLimitsTest, AFortyThousandCharacterKeyIsAnErrorAtItsPlace) {
  const PlanLoad load = load_plan_text(plan_with_long_key(), "plan.yaml", "");
  EXPECT_FALSE(load.plan);
  EXPECT_TRUE(has_error(load.diagnostics, "plan.yaml", 16, 10,
                        "\"key\" in weekly slot \"kaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…\" is "
                        "40001 characters long; at most 64 are allowed"));
  // The key is over its length, so its pattern is not reported as well; the message quotes
  // no more than the start of it.
  EXPECT_EQ(load.diagnostics.error_count(), 1u) << diagnostics_text(load.diagnostics);
  EXPECT_LT(load.diagnostics.all()[0].message.size(), 200u);
}

TEST(PlanLimitsTest, EveryValueOverItsSchemaLimitIsReportedWithLengthAndLimit) {
  const PlanLoad load = load_plan_text("plan: " + std::string(65, 'p') +
                                           "\n"
                                           "title: " +
                                           std::string(201, 'T') +
                                           "\n"
                                           "timezone: Europe/" +
                                           std::string(60, 'x') + "\n",
                                       "plan.yaml", "");
  EXPECT_TRUE(has_error(load.diagnostics, "plan.yaml", 1, 7,
                        "\"plan\" is 65 characters long; at most 64 are allowed"));
  EXPECT_TRUE(has_error(load.diagnostics, "plan.yaml", 2, 8,
                        "\"title\" is 201 characters long; at most 200 are allowed"));
  EXPECT_TRUE(has_error(load.diagnostics, "plan.yaml", 3, 11,
                        "\"timezone\" is 67 characters long; at most 64 are allowed"));
}

TEST(PlanLimitsTest, AnEightMegabyteLocationIsRefusedWithoutGigabytesOfMemory) {
  const std::string location(8u * 1024u * 1024u - 4096u, 'x');
  const std::string plan =
      replace(read_file(testing::example_plan("kollegaveiledning.yaml")), "    audience: [all]\n",
              "    audience: [all]\n    location: " + location + "\n");
  reset_peak_memory();
  const long before = peak_memory_kib();
  const PlanLoad load = load_plan_text(plan, "plan.yaml", "");
  const long peak = peak_memory_kib();
  EXPECT_FALSE(load.plan);
  EXPECT_TRUE(has_error(load.diagnostics, "plan.yaml", 26, 15,
                        "the value of \"location\" is 8384512 characters long; at most 65536 "
                        "are allowed"));
  // Before the limit, expanding it cost 1.7 GB. The text and its parsed copies are what is
  // left (ASan builds keep more).
  ASSERT_GT(before, 0);
  EXPECT_LT(peak - before, 512L * 1024L) << "peak grew by " << (peak - before) << " KiB";
}

TEST(PlanLimitsTest, ALocationOverItsOwnLimitNamesThatLimit) {
  const std::string plan =
      replace(read_file(testing::example_plan("kollegaveiledning.yaml")), "    audience: [all]\n",
              "    audience: [all]\n    location: " + std::string(10'000, 'x') + "\n");
  const PlanLoad load = load_plan_text(plan, "plan.yaml", "");
  EXPECT_TRUE(has_error(load.diagnostics, "plan.yaml", 26, 15,
                        "\"location\" in weekly slot \"kollegaveiledning\" is 10000 characters "
                        "long; at most 500 are allowed"));
}

TEST(PlanLimitsTest, AnOverlongMappingKeyIsRefusedAtIt) {
  const PlanLoad load =
      load_plan_text("plan: p\ntitle: T\n" + std::string(300, 'k') + ": 1\n", "plan.yaml", "");
  EXPECT_TRUE(has_error(load.diagnostics, "plan.yaml", 3, 1,
                        "a key is 300 characters long; at most 256 are allowed"));
}

TEST(PlanLimitsTest, CsvRosterColumnsHaveThePersonFieldsLimits) {
  const RosterLoad load = parse_roster_csv(
      "id,name,roles\n"
      "kari,Kari,leder\n" +
          std::string(40'000, 'k') + ",Ola,leder\n" + "per,Per,leder;" + std::string(65, 'r') +
          "\n",
      "people.csv");
  EXPECT_TRUE(has_error(load.diagnostics, "people.csv", 3, 1,
                        "the value in column id is 40000 characters long; at most 64 are allowed"));
  EXPECT_TRUE(has_error(load.diagnostics, "people.csv", 4, 9,
                        "a role in column roles is 65 characters long; at most 64 are allowed"));
  ASSERT_EQ(load.people.size(), 1u);
  EXPECT_EQ(load.people[0].id, "kari");
}

TEST(PlanLimitsTest, ARosterPathWithALineBreakIsRefused) {
  const PlanLoad load =
      load_plan_text("plan: p\ntitle: T\nroster: \"people\\n.csv\"\n", "plan.yaml", "");
  EXPECT_TRUE(
      has_error(load.diagnostics, "plan.yaml", 3, 9, "for \"roster\", found \"people\\n.csv\""));
}

TEST(PlanLimitsTest, TwoThousandLevelsOfNestingGiveTheLoadersOwnLimit) {
  const std::string flow =
      "plan: p\ntitle: T\nnotes: " + std::string(2000, '[') + std::string(2000, ']') + "\n";
  PlanLoad load = load_plan_text(flow, "plan.yaml", "");
  EXPECT_TRUE(has_error(load.diagnostics, "plan.yaml", 3, 72,
                        "values are nested more than 64 levels deep"));
  EXPECT_EQ(diagnostics_text(load.diagnostics).find("bad file"), std::string::npos);

  std::string block = "plan: p\ntitle: T\nnotes:\n";  // a list in a list in a list ...
  for (int level = 0; level < 2000; ++level) block += "- ";
  block += "x\n";
  load = load_plan_text(block, "plan.yaml", "");
  ASSERT_TRUE(load.diagnostics.has_errors());
  EXPECT_EQ(load.diagnostics.all()[0].where.line, 4) << diagnostics_text(load.diagnostics);
  EXPECT_NE(load.diagnostics.all()[0].message.find("values are nested more than 64 levels deep"),
            std::string::npos)
      << diagnostics_text(load.diagnostics);
}

TEST(PlanLimitsTest, AnEscapeWritingHalfACharacterIsRefused) {
  // Text that is not UTF-8 would make the JSON and iCalendar writers fail later.
  const PlanLoad load = load_plan_text("plan: p\ntitle: \"half \\uD800\"\n", "plan.yaml", "");
  EXPECT_FALSE(load.plan);
  EXPECT_TRUE(has_error(load.diagnostics, "plan.yaml", 2, 20, "invalid unicode"));
}

const std::string kWheelHead =
    "plan: p\n"                                                                           // 1
    "title: T\n"                                                                          // 2
    "roles: [{key: leder, name: Ledere}]\n"                                               // 3
    "wheel:\n"                                                                            // 4
    "  years: {from: 2024, to: 2025}\n"                                                   // 5
    "  items:\n"                                                                          // 6
    "    - {key: a, kind: deadline, title: A, responsible: [role:leder]}\n"               // 7
    "    - {key: b, kind: deadline, title: B, on: '3-1', responsible: [role:leder]}\n"    // 8
    "    - {key: c, kind: deadline, title: C, on: '', responsible: [role:leder]}\n"       // 9
    "    - {key: d, kind: deadline, title: D, on: '02-30', responsible: [role:leder]}\n"  // 10
    "    - {key: e, kind: deadline, title: E, on: '10-15', responsible: [role:ledr]}\n";  // 11

TEST(PlanLimitsTest, AWheelItemWithoutAValidDayIsALocatedErrorAndTheOthersStillCount) {
  const PlanLoad load = load_plan_text(kWheelHead, "plan.yaml", "");
  const std::string text = diagnostics_text(load.diagnostics);
  EXPECT_EQ(text.find("internal error"), std::string::npos) << text;
  EXPECT_TRUE(has_error(load.diagnostics, "plan.yaml", 7, 7,
                        "missing required key \"on\" in wheel item \"a\""));
  EXPECT_TRUE(has_error(load.diagnostics, "plan.yaml", 8, 46, "expected a day MM-DD for \"on\""));
  EXPECT_TRUE(has_error(load.diagnostics, "plan.yaml", 9, 46, "expected a day MM-DD for \"on\""));
  EXPECT_TRUE(has_error(load.diagnostics, "plan.yaml", 10, 46,
                        "\"02-30\" is not a date in 2024: February 2024 has 29 days"));
  EXPECT_TRUE(has_error(load.diagnostics, "plan.yaml", 11, 69, "unknown role \"ledr\""));
  EXPECT_EQ(load.diagnostics.error_count(), 5u) << diagnostics_text(load.diagnostics);
  for (const auto& d : load.diagnostics.all()) EXPECT_GT(d.where.line, 0) << d.message;
}

TEST(PlanLimitsTest, AGarbageFileGetsAScreenfulOfErrorsNotOnePerLine) {
  std::string text = "plan: p\ntitle: T\n";
  for (int i = 0; i < 5000; ++i) text += "unknown" + std::to_string(i) + ": 1\n";
  const PlanLoad load = load_plan_text(text, "plan.yaml", "");
  EXPECT_LE(load.diagnostics.all().size(), 101u);
  EXPECT_TRUE(has_error(load.diagnostics, "plan.yaml", 3, 1, "unknown key \"unknown0\""));
  EXPECT_TRUE(
      has_error(load.diagnostics, "plan.yaml", 0, 0, "more problems in this file are not shown"));
}

TEST(PlanLimitsTest, APlanWhoseEventsWouldRepeatLongTextsTooOftenIsRefused) {
  // Each text is within its limit, but 522 Thursdays x 5 audiences repeat 30 KB of them.
  std::string preparation;
  for (int i = 0; i < 20; ++i) preparation += "      - " + std::string(1000, 'p') + "\n";
  const std::string weekly =
      "plan: p\ntitle: T\n"
      "teams: [{key: A, name: A}, {key: B, name: B}, {key: C, name: C}, {key: D, name: D}]\n"
      "weekly:\n"
      "  - key: w\n"  // 5
      "    title: W\n"
      "    weekday: TH\n"
      "    time: {start: \"13:00\", end: \"14:00\"}\n"
      "    from: 2025-01-02\n"
      "    until: 2034-12-28\n"
      "    audience: [all, team:A, team:B, team:C, team:D]\n"
      "    notes: " +
      std::string(10'000, 'n') +
      "\n"
      "    preparation:\n" +
      preparation;
  const PlanLoad load = load_plan_text(weekly, "plan.yaml", "");
  EXPECT_FALSE(load.plan);
  EXPECT_TRUE(has_error(load.diagnostics, "plan.yaml", 5, 5,
                        "the plan's events would hold about 75 MiB of text (75 MiB of it from the "
                        "2610 events of weekly slot \"w\"); at most 64 MiB are allowed"));
}

TEST(PlanLimitsTest, EveryTextInTheEmbeddedSchemasHasAMaximumLength) {
  // A new field without maxLength would let megabytes through to events and feeds.
  for (const std::string_view schema : {plan_schema_json(), config_schema_json()}) {
    const nlohmann::json root = nlohmann::json::parse(schema);
    std::vector<std::pair<const nlohmann::json*, std::string>> todo{{&root, ""}};
    std::size_t strings = 0;
    while (!todo.empty()) {
      const auto [node, where] = todo.back();
      todo.pop_back();
      if (node->is_object()) {
        const auto type = node->find("type");
        const bool is_string =
            type != node->end() &&
            (*type == "string" ||
             (type->is_array() && std::find(type->begin(), type->end(), "string") != type->end()));
        if (is_string && !node->contains("enum")) {
          ++strings;
          EXPECT_TRUE(node->contains("maxLength")) << where;
          EXPECT_LE(node->value("maxLength", 0u), 65'536u) << where;
        }
        for (const auto& [key, value] : node->items()) todo.emplace_back(&value, where + "/" + key);
      } else if (node->is_array()) {
        for (const auto& value : *node) todo.emplace_back(&value, where + "/[]");
      }
    }
    EXPECT_GT(strings, 10u);
  }
}

}  // namespace
}  // namespace plancal
