#include "expand/checks.h"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "expand/audience.h"
#include "expand/holidays.h"

namespace plancal {

namespace {

bool blocks_time(const Occurrence& o) {
  return o.kind == OccurrenceKind::Meeting && !o.all_day && o.status != OccurrenceStatus::Cancelled;
}

void check_holiday(const Occurrence& occurrence, Diagnostics& diagnostics) {
  if (!blocks_time(occurrence)) return;
  const auto holiday = norwegian_holiday(occurrence.start.date);
  if (!holiday) return;
  diagnostics.warning(occurrence.where,
                      fmt::format("'{}': {} is {}, a public holiday", occurrence.summary,
                                  format_date(occurrence.start.date), *holiday),
                      "move the meeting to a working day, or mark it `cancelled: true`");
}

std::string describe_location(const SourceLocation& where) {
  if (where.line <= 0) return where.file.empty() ? std::string("unknown line") : where.file;
  return fmt::format("line {}", where.line);
}

void report_overlap(const Occurrence& earlier, const Occurrence& later, Diagnostics& diagnostics) {
  diagnostics.error(later.where,
                    fmt::format("'{}' ({}) overlaps '{}' ({}, {}) for the same audience on {}",
                                later.summary, later.uid, earlier.summary, earlier.uid,
                                describe_location(earlier.where), format_date(later.start.date)),
                    "move one of them to another time, or mark one `cancelled: true`");
}

/// A sweep over the meetings in start order: each is compared only with the meetings that
/// are still running when it starts, so a year of meetings costs little more than a sort.
void check_overlaps(const Plan& plan, const std::vector<Occurrence>& occurrences,
                    Diagnostics& diagnostics) {
  std::vector<const Occurrence*> meetings;
  for (const auto& o : occurrences) {
    if (blocks_time(o)) meetings.push_back(&o);
  }
  std::stable_sort(meetings.begin(), meetings.end(), [](const Occurrence* a, const Occurrence* b) {
    return std::tie(a->start, a->uid) < std::tie(b->start, b->uid);
  });
  std::vector<const Occurrence*> running;
  for (const Occurrence* current : meetings) {
    std::erase_if(running, [&](const Occurrence* o) { return o->end <= current->start; });
    for (const Occurrence* other : running) {
      if (audiences_overlap(plan, other->audience, current->audience)) {
        report_overlap(*other, *current, diagnostics);
      }
    }
    running.push_back(current);
  }
}

}  // namespace

Diagnostics check_occurrences(const Plan& plan, const std::vector<Occurrence>& occurrences) {
  Diagnostics diagnostics;
  for (const auto& occurrence : occurrences) check_holiday(occurrence, diagnostics);
  check_overlaps(plan, occurrences, diagnostics);
  return diagnostics;
}

}  // namespace plancal
