// Benchmark: the hours ledger of 10,000 people over a year of seed-000 occurrences.
//
// Seed 000's plan (config/plans/mandagsseminar-2024.yaml) with its roster replaced by N people
// spread over teams A, B and C (default 10,000), each registered at their own dates of the
// first half of 2024 (meetings 1-5, one absence in nine) and not yet after. It times
// hours_ledger() for everyone at 1 July 2024, and as the anchor, measured in the same run,
// one plain pass over the same registrations that sums each person's attended minutes by
// looking each UID up in a hash map of the year's occurrences: the least any ledger must do.
// Prints `key=value` lines and the ratio; no thresholds.
//
// usage: plancal_bench_attendance [--people N] [--repeat R]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unordered_map>
#include <vector>

#include "attendance/ledger.h"
#include "attendance/programme.h"
#include "expand/expander.h"
#include "plan/loader.h"

namespace {

using Clock = std::chrono::steady_clock;
using plancal::AttendanceRecord;
using plancal::AttendanceStatus;

double millis_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::vector<AttendanceRecord> registrations(const plancal::Plan& plan,
                                            const std::vector<plancal::Occurrence>& occurrences) {
  std::vector<AttendanceRecord> records;
  int n = 0;
  for (const auto& person : plan.roster) {
    for (const auto& o : occurrences) {
      if (o.start.date.month > 6 || !plancal::is_scheduled(person, o)) continue;
      AttendanceRecord r;
      r.plan_id = plan.id;
      r.uid = o.uid;
      r.person_id = person.id;
      r.date = o.start.date;
      r.status = ++n % 9 == 0 ? AttendanceStatus::Absent : AttendanceStatus::Attended;
      records.push_back(std::move(r));
    }
  }
  return records;
}

/// The anchor: attended minutes per person in one pass over the registrations.
long anchor_pass(const std::vector<plancal::Occurrence>& occurrences,
                 const std::vector<AttendanceRecord>& records) {
  std::unordered_map<std::string, int> minutes_by_uid;
  for (const auto& o : occurrences) minutes_by_uid.emplace(o.uid, plancal::duration_minutes(o));
  std::unordered_map<std::string, long> per_person;
  for (const auto& r : records) {
    if (plancal::counts_as_present(r.status)) per_person[r.person_id] += minutes_by_uid[r.uid];
  }
  long total = 0;
  for (const auto& [person, minutes] : per_person) total += minutes;
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  int people = 10000;
  int repeat = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--people") people = std::atoi(argv[i + 1]);
    if (flag == "--repeat") repeat = std::atoi(argv[i + 1]);
  }
  plancal::PlanLoad load =
      plancal::load_plan_file(PLANCAL_SOURCE_DIR "/config/plans/mandagsseminar-2024.yaml");
  if (!load.plan) {
    std::fprintf(stderr, "cannot load seed 000's plan\n");
    return 1;
  }
  plancal::Plan plan = std::move(*load.plan);
  plan.roster.clear();
  for (int i = 0; i < people; ++i) {
    plancal::Person person;
    person.id = "person" + std::to_string(i);
    person.name = "Person " + std::to_string(i);
    person.team = std::string(1, static_cast<char>('A' + i % 3));
    plan.roster.push_back(person);
  }
  const auto occurrences = plancal::expand_plan(plan);
  const auto records = registrations(plan, occurrences);
  std::vector<const plancal::Person*> everyone;
  for (const auto& p : plan.roster) everyone.push_back(&p);

  double best_ledger = 1e18;
  double best_anchor = 1e18;
  long attended = 0;
  long anchor_total = 0;
  for (int run = 0; run < repeat; ++run) {
    auto start = Clock::now();
    const auto lines =
        plancal::hours_ledger(plan, occurrences, records, everyone, 2024, {{2024, 7, 1}, {12, 0}});
    best_ledger = std::min(best_ledger, millis_since(start));
    attended = 0;
    for (const auto& line : lines) attended += line.attended_minutes;
    start = Clock::now();
    anchor_total = anchor_pass(occurrences, records);
    best_anchor = std::min(best_anchor, millis_since(start));
  }
  std::printf("people=%d\nregistrations=%zu\noccurrences=%zu\n", people, records.size(),
              occurrences.size());
  std::printf("ledger_ms=%.1f\nanchor_one_pass_ms=%.1f\nratio=%.1f\n", best_ledger, best_anchor,
              best_ledger / best_anchor);
  std::printf("attended_minutes_ledger=%ld\nattended_minutes_anchor=%ld\n", attended, anchor_total);
  return attended == anchor_total ? 0 : 1;
}
