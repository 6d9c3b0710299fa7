#pragma once
/// A leader's register for one date ("oppmøteliste"): every person they may see who is
/// scheduled that day for a meeting attendance is kept for, with what has been registered,
/// and the people registered though they were not scheduled (extra staff, someone making
/// up a missed meeting). The rows a page lists and the CLI prints; the reminder asks
/// whether it is complete.

#include <vector>

#include "attendance/access.h"
#include "attendance/expanded_plan.h"
#include "attendance/records.h"
#include "base/civil.h"

namespace plancal {

struct RegisterLine {
  const Plan* plan = nullptr;
  const Occurrence* occurrence = nullptr;
  const Person* person = nullptr;
  const AttendanceRecord* record = nullptr;  ///< nullptr: nothing registered yet
  bool scheduled = true;                     ///< false: registered though not scheduled
};

struct Register {
  Date date;
  /// By occurrence (start, uid); within one, scheduled people first (the viewer first,
  /// then by name), then the added ones by name.
  std::vector<RegisterLine> lines;

  /// Scheduled people with nothing registered yet.
  [[nodiscard]] int unregistered() const;
  /// True when every scheduled person has a registration (an empty register is complete).
  [[nodiscard]] bool complete() const { return unregistered() == 0; }
};

/// The register of `viewer` for `date` over every plan; `records` may hold any plan's and
/// date's registrations (the ones that matter are picked out).
[[nodiscard]] Register register_for(const AccessPolicy& access, const Viewer& viewer,
                                    const std::vector<ScheduledPlan>& plans,
                                    const std::vector<AttendanceRecord>& records, Date date);

/// Whether `person` is scheduled for `occurrence` (moves applied).
[[nodiscard]] bool is_scheduled(const Person& person, const Occurrence& occurrence);

}  // namespace plancal
