#include "web/attendance_view.h"

#include <algorithm>

#include "attendance/programme.h"
#include "ical/timezone.h"

namespace plancal::web {

std::vector<KeptPlan> kept_plans(const PageSource& source) {
  std::vector<KeptPlan> kept;
  for (const auto& plan : source.plans()) {
    KeptPlan entry{plan, {}, {}};
    for (const auto& event : source.events(plan->id)) {
      if (!event.removed) entry.occurrences.push_back(event.current);
    }
    for (const auto& o : entry.occurrences) {
      if (is_registered_meeting(*plan, o)) entry.meetings.push_back(&o);
    }
    std::sort(entry.meetings.begin(), entry.meetings.end(),
              [](const Occurrence* a, const Occurrence* b) { return a->start < b->start; });
    // Moving the entry moves its vectors' buffers: the pointers into `occurrences` hold.
    if (!entry.meetings.empty()) kept.push_back(std::move(entry));
  }
  return kept;
}

/// `unix` as wall-clock time in `timezone`.
LocalDateTime local_time(const std::string& timezone, std::int64_t unix) {
  return local_time_at(timezone, unix);
}

std::string register_path(const Plan& plan, Date date) {
  return "/oppmote/" + plan.id + "/" + format_date(date);
}

std::string report_path(const Plan& plan, int year, std::string_view extension) {
  return std::string(kReportPrefix) + "/" + plan.id + "/" + std::to_string(year) + "." +
         std::string(extension);
}

}  // namespace plancal::web
