#pragma once
/// Allocating a series' date rows (signup/allocation.h) against the registrations stored.
/// The organiser runs it (`plancal registrations allocate`), and the daemon and the sign-up
/// pages run it for every series whose registration has closed: at the deadline the
/// confirmed registrations are placed, and after that each change (a late confirmation, a
/// withdrawal, a new row in the plan) places the waiting list in the places left.
///
/// A placement, once made, stays put: it was announced to the organisation, and moving it
/// would cancel meetings they have put in their calendars. Each series is decided and
/// written inside one write transaction (RegistrationStore::reallocate), so the page and the
/// daemon allocating at once never give one place twice. Only what changes is written, with
/// a placement mail planned for each (sent by the caller's mail path).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/result.h"
#include "config/config.h"
#include "plan/model.h"
#include "store/database.h"

namespace plancal {

/// One organisation's line: what it was given and why ("Datorekke 1: Tirsdager: plassert som
/// nr. 1 i køen").
struct AllocationLine {
  std::string organisation;
  std::string explanation;
  bool changed = false;  ///< its state or row changed (written, a mail planned)
};

struct SeriesAllocation {
  std::string plan_id;
  std::string series_title;
  std::vector<AllocationLine> lines;  ///< in queue order
  int changed = 0;
};

enum class AllocationScope {
  EverySeries,   ///< every series with a registration deadline (the organiser's command)
  ClosedSeries,  ///< only those whose deadline has passed (the daemon, the pages)
};

struct AllocationRequest {
  std::string plan_id;  ///< only this plan's series; empty: every plan's
  AllocationScope scope = AllocationScope::ClosedSeries;
  bool dry_run = false;  ///< decide and report; write nothing
  /// Makes a placement mail's Message-ID; unset, no placement mail is planned.
  std::function<std::string()> message_id;
  std::int64_t now = 0;
};

/// Allocates each series in scope; one result per series, in the plans' order.
[[nodiscard]] Result<std::vector<SeriesAllocation>> allocate_registrations(
    const std::vector<const Plan*>& plans, const StateDatabase& database,
    const AllocationRequest& request);

/// The daemon's and the sign-up pages' pass: allocates every series of `plans` whose
/// registration has closed, planning a placement mail for each change (with `smtp:`), and
/// logs the series that changed (counts only). Returns how many placements changed.
[[nodiscard]] Result<int> settle_closed_registrations(const Config& config,
                                                      const std::vector<const Plan*>& plans,
                                                      const StateDatabase& database,
                                                      std::int64_t now);

/// The Message-IDs of placement mails for `config`; unset without an `smtp:` section.
[[nodiscard]] std::function<std::string()> placement_message_ids(const Config& config);

}  // namespace plancal
