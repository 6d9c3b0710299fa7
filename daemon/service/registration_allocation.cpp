#include "service/registration_allocation.h"

#include <spdlog/spdlog.h>

#include <map>

#include "ical/timezone.h"
#include "plan/row_places.h"
#include "signup/allocation.h"
#include "store/registrations.h"
#include "store/secrets.h"

namespace plancal {

namespace {

std::vector<signup::RowPlaces> offered_rows(const Series& series) {
  std::vector<signup::RowPlaces> rows;
  for (const auto& row : series.rows) {
    rows.push_back({row.key, row.name.empty() ? row.key : row.name, row_places_offered(row)});
  }
  return rows;
}

bool takes_part(const RegistrationRecord& r) {
  return r.state == RegistrationState::Confirmed || r.state == RegistrationState::Placed ||
         r.state == RegistrationState::Waiting;
}

struct SeriesDecision {
  std::vector<AllocationLine> lines;
  std::vector<RegistrationPlacement> placements;
};

/// The rule applied to one series' registrations as stored (any state, any series).
SeriesDecision decide_series(const Series& series, const std::vector<RegistrationRecord>& all,
                             const std::function<std::string()>& message_id) {
  std::vector<signup::Registration> registrations;
  signup::KeptRows kept;
  std::map<std::string, const RegistrationRecord*> by_id;
  for (const auto& r : all) {
    if (r.series_key != series.key || !takes_part(r)) continue;
    const std::string id = std::to_string(r.id);
    registrations.push_back(
        {id, r.organisation, r.confirmed_at.value_or(r.created_at), r.preferences});
    if (r.state == RegistrationState::Placed && r.placed_row) kept.emplace(id, *r.placed_row);
    by_id.emplace(id, &r);
  }
  SeriesDecision decision;
  for (const auto& p : signup::allocate(offered_rows(series), registrations, kept)) {
    const RegistrationRecord& r = *by_id.at(p.registration_id);
    const auto state = p.row ? RegistrationState::Placed : RegistrationState::Waiting;
    const bool changed = r.state != state || r.placed_row != p.row;
    decision.lines.push_back({r.organisation, p.explanation, changed});
    decision.placements.push_back(
        {r.id, p.row, p.explanation, changed && message_id ? message_id() : std::string()});
  }
  return decision;
}

bool in_scope(const Plan& plan, const Series& series, const AllocationRequest& request) {
  if (!series.registration_deadline) return false;
  if (!request.plan_id.empty() && plan.id != request.plan_id) return false;
  if (request.scope == AllocationScope::EverySeries) return true;
  // A zone libical does not know was refused when the plan was loaded; wait rather than guess.
  const auto closes_at = end_of_day(plan.timezone, *series.registration_deadline);
  return closes_at && request.now >= *closes_at;
}

Result<SeriesAllocation> allocate_series(const Plan& plan, const Series& series,
                                         RegistrationStore& store,
                                         const AllocationRequest& request) {
  SeriesDecision decision;
  if (request.dry_run) {
    auto registrations = store.registrations(plan.id);
    if (!registrations) return registrations.error();
    decision = decide_series(series, *registrations, request.message_id);
  } else {
    auto written = store.reallocate(
        plan.id, series.key,
        [&](const std::vector<RegistrationRecord>& registrations) {
          decision = decide_series(series, registrations, request.message_id);
          return decision.placements;
        },
        request.now);
    if (!written) return written.error();
  }
  SeriesAllocation allocation{plan.id, series.title, std::move(decision.lines), 0};
  for (const auto& line : allocation.lines) allocation.changed += line.changed ? 1 : 0;
  return allocation;
}

}  // namespace

Result<std::vector<SeriesAllocation>> allocate_registrations(const std::vector<const Plan*>& plans,
                                                             const StateDatabase& database,
                                                             const AllocationRequest& request) {
  RegistrationStore store(database);
  std::vector<SeriesAllocation> allocations;
  for (const Plan* plan : plans) {
    for (const auto& series : plan->series) {
      if (!in_scope(*plan, series, request)) continue;
      auto allocation = allocate_series(*plan, series, store, request);
      if (!allocation) {
        return Error{plan->id + " / " + series.title + ": " + allocation.error().message};
      }
      allocations.push_back(std::move(*allocation));
    }
  }
  return allocations;
}

Result<int> settle_closed_registrations(const Config& config, const std::vector<const Plan*>& plans,
                                        const StateDatabase& database, std::int64_t now) {
  AllocationRequest request;
  request.scope = AllocationScope::ClosedSeries;
  request.message_id = placement_message_ids(config);
  request.now = now;
  auto allocations = allocate_registrations(plans, database, request);
  if (!allocations) return allocations.error();
  int changed = 0;
  for (const auto& allocation : *allocations) {
    if (allocation.changed == 0) continue;
    spdlog::info("sign-up: {} / {}: {} placement(s) changed ({} registration(s))",
                 allocation.plan_id, allocation.series_title, allocation.changed,
                 allocation.lines.size());
    changed += allocation.changed;
  }
  return changed;
}

std::function<std::string()> placement_message_ids(const Config& config) {
  if (!config.smtp) return {};
  return [domain = config.reminders.message_id_domain]() -> std::string {
    auto nonce = generate_token_secret();
    // Without randomness no mail can be named; the placement is still written, unmailed.
    if (!nonce) return {};
    return "<plassering." + nonce->substr(0, 22) + "@" + domain + ">";
  };
}

}  // namespace plancal
