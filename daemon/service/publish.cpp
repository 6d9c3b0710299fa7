#include "service/publish.h"

#include <spdlog/spdlog.h>

#include <set>

#include "attendance/makeup.h"
#include "expand/checks.h"
#include "expand/expander.h"
#include "plan/loader.h"
#include "service/meeting_invitations.h"
#include "store/makeup_moves.h"

namespace plancal {

namespace {

void log_diagnostics(const Diagnostics& diagnostics) {
  for (const auto& diagnostic : diagnostics.all()) {
    if (diagnostic.severity == Severity::Error) {
      spdlog::error("{}", format_diagnostic(diagnostic));
    } else {
      spdlog::warn("{}", format_diagnostic(diagnostic));
    }
  }
}

/// Loads and expands one plan; nullopt (with the reasons in `result`) when it has errors.
std::optional<std::pair<Plan, std::vector<Occurrence>>> prepare_plan(const std::string& path,
                                                                     PlanPublishResult& result) {
  auto expanded = load_expanded_plan(path, result.diagnostics);
  if (!expanded) return std::nullopt;
  result.plan_id = expanded->plan.id;
  return std::make_pair(std::move(expanded->plan), std::move(expanded->occurrences));
}

/// A plan that loaded and expanded without errors, waiting for the shared transaction.
struct Prepared {
  std::size_t report_index = 0;
  Plan plan;
  std::vector<Occurrence> occurrences;
};

/// Loads one plan file into `result`; the plan when it can be published.
std::optional<Prepared> prepare_one(const std::string& path, PlanPublishResult& result,
                                    std::set<std::string>& plan_ids) {
  result.plan_file = path;
  auto prepared = prepare_plan(path, result);
  if (!prepared) {
    result.error = "the plan has errors";
    return std::nullopt;
  }
  auto& [plan, occurrences] = *prepared;
  if (!plan_ids.insert(plan.id).second) {
    result.error = "another plan file in the config has the same plan id '" + plan.id + "'";
    return std::nullopt;
  }
  return Prepared{0, std::move(plan), std::move(occurrences)};
}

/// Adds each plan's make-up copies (attendance/makeup.h): the dates leaders moved people to
/// reach those people's calendars with the plan. When the moves cannot be read nothing is
/// published, since publishing without them would take those dates out of the calendars.
void add_makeup_copies(std::vector<Prepared>& prepared, StateDatabase database,
                       PublishReport& report) {
  if (prepared.empty()) return;
  auto moves = MakeupMoves(std::move(database)).list();
  if (!moves) {
    for (const auto& p : prepared) {
      report.plans[p.report_index].error = "the make-up moves could not be read (" +
                                           moves.error().message +
                                           "); check the database and publish again";
    }
    prepared.clear();
    return;
  }
  for (auto& p : prepared) append_makeup_copies(p.plan, p.occurrences, *moves);
}

/// Publishes every prepared plan in one transaction and records the outcome in `report`.
void publish_prepared(std::vector<Prepared>& prepared, PublishedEvents& published, std::int64_t now,
                      PublishReport& report) {
  if (prepared.empty()) return;
  std::vector<PublishedEvents::PlanExpansion> batch;
  for (const auto& p : prepared) batch.push_back({&p.plan, &p.occurrences});
  auto summaries = published.publish(batch, now);
  for (std::size_t i = 0; i < prepared.size(); ++i) {
    auto& result = report.plans[prepared[i].report_index];
    if (!summaries) {
      result.error = summaries.error().message;
      continue;
    }
    result.published = true;
    result.summary = (*summaries)[i];
  }
}

/// The meeting invitations of placed registrations follow what was just published: updates
/// and CANCELs are planned here and sent by the daemon's mail job. Only published plans
/// count, so a plan with errors changes nobody's invitations.
void plan_invitations_after(const Config& config, const std::vector<Prepared>& prepared,
                            const PublishReport& report, PublishedEvents& published,
                            std::int64_t now) {
  if (!config.smtp || prepared.empty()) return;
  std::vector<signup::PlanMeetings> plans;
  for (const auto& p : prepared) {
    if (report.plans[p.report_index].published) plans.push_back({&p.plan, &p.occurrences});
  }
  if (plans.empty()) return;
  auto planned = plan_meeting_invitations(config, published.database(), plans, now);
  if (!planned) {
    spdlog::error("meeting invitations were not planned: {}", planned.error().message);
  } else if (*planned > 0) {
    spdlog::info("meeting invitations: {} planned after the publish", *planned);
  }
}

void log_result(const PlanPublishResult& result) {
  log_diagnostics(result.diagnostics);
  if (!result.published) {
    spdlog::error("{}: not published ({}); the previous state is kept", result.plan_file,
                  result.error);
    return;
  }
  const auto& s = result.summary;
  spdlog::info("{}: published {}: {} added, {} changed, {} removed, {} unchanged", result.plan_file,
               result.plan_id, s.added, s.changed, s.removed, s.unchanged);
}

}  // namespace

std::optional<ExpandedPlan> load_expanded_plan(const std::string& path, Diagnostics& diagnostics) {
  PlanLoad load = load_plan_file(path);
  diagnostics.append(load.diagnostics);
  if (!load.plan) return std::nullopt;
  std::vector<Occurrence> occurrences = expand_plan(*load.plan);
  diagnostics.append(check_occurrences(*load.plan, occurrences));
  if (diagnostics.has_errors()) return std::nullopt;
  return ExpandedPlan{std::move(*load.plan), std::move(occurrences)};
}

bool PublishReport::all_published() const {
  for (const auto& plan : plans) {
    if (!plan.published) return false;
  }
  return true;
}

PublishReport publish_all(const Config& config, PublishedEvents& published, const Clock& clock) {
  PublishReport report;
  const std::int64_t now = clock.now_unix();
  std::set<std::string> plan_ids;
  std::vector<Prepared> prepared;
  for (const auto& path : config.plan_files) {
    report.plans.emplace_back();
    if (auto plan = prepare_one(path, report.plans.back(), plan_ids)) {
      plan->report_index = report.plans.size() - 1;
      prepared.push_back(std::move(*plan));
    }
  }
  add_makeup_copies(prepared, published.database(), report);
  publish_prepared(prepared, published, now, report);
  plan_invitations_after(config, prepared, report, published, now);
  for (auto& p : prepared) {
    report.plans[p.report_index].plan = std::make_shared<const Plan>(std::move(p.plan));
  }
  return report;
}

void log_publish_report(const PublishReport& report) {
  for (const auto& plan : report.plans) log_result(plan);
}

}  // namespace plancal
