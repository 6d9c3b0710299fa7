#include "service/sync.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

#include "attendance/makeup.h"
#include "base/parallel.h"
#include "base/plural.h"
#include "expand/audience.h"
#include "expand/expander.h"
#include "service/publish.h"
#include "service/sync_targets.h"
#include "store/makeup_moves.h"
#include "sync/store_adapter.h"

namespace plancal {

namespace {

constexpr std::size_t kMaxTargetsAtOnce = 16;
/// Graph mailboxes share their target's $batch requests (graph/batch_pipe.h) and each keeps
/// at most four items in flight: more of them at once keep those batches full and Graph busy
/// without sending Graph more requests.
constexpr std::size_t kMaxGraphMailboxesAtOnce = 64;

using PlansById = std::map<std::string, ExpandedPlan>;

/// Every plan of the config that loads and expands without errors, by plan id.
PlansById load_valid_plans(const Config& config) {
  PlansById plans;
  for (const auto& file : config.plan_files) {
    Diagnostics diagnostics;
    if (auto expanded = load_expanded_plan(file, diagnostics)) {
      std::string id = expanded->plan.id;
      plans.emplace(std::move(id), std::move(*expanded));
    }
  }
  return plans;
}

/// Adds each plan's make-up copies, as publishing does, so a person's pushed calendar gains
/// the date a leader moved them to. An error when the moves cannot be read: syncing without
/// them would delete those dates from the calendars.
std::optional<std::string> add_makeup_copies(PlansById& plans, StateDatabase database) {
  auto moves = MakeupMoves(std::move(database)).list();
  if (!moves) {
    return "the make-up moves could not be read (" + moves.error().message +
           "); nothing was synced: check the database and sync again";
  }
  for (auto& [id, expanded] : plans)
    append_makeup_copies(expanded.plan, expanded.occurrences, *moves);
  return std::nullopt;
}

/// The active events the audience sees, with the revisions the store published them with.
std::vector<sync::DesiredEvent> desired_events(
    const ExpandedPlan& expanded, const std::string& audience,
    const std::map<std::string, EventRevision>& published, std::int64_t now) {
  std::vector<sync::DesiredEvent> desired;
  auto parsed = parse_audience(audience, expanded.plan);
  if (!parsed) return desired;
  const AudienceView view(expanded.plan, *parsed);
  for (const auto& occurrence : expanded.occurrences) {
    if (!view.sees(occurrence.audience)) continue;
    sync::DesiredEvent event;
    event.uid = occurrence.uid;
    event.occurrence = &occurrence;
    const auto it = published.find(occurrence.uid);
    event.revision = it != published.end() ? it->second : EventRevision{0, now, now, false};
    event.revision.cancelled = false;
    desired.push_back(std::move(event));
  }
  return desired;
}

std::map<std::string, EventRevision> published_revisions(PublishedEvents& published,
                                                         const std::string& plan_id) {
  std::map<std::string, EventRevision> revisions;
  for (const auto& event : published.events(plan_id)) {
    if (!event.removed) revisions.emplace(event.occurrence.uid, event.revision);
  }
  return revisions;
}

/// Checks that the target can be synced from `plans`; the reason when it cannot.
std::optional<std::string> why_not_syncable(const TargetConfig& target, const PlansById& plans) {
  const auto it = plans.find(target.plan_id);
  if (it == plans.end()) {
    return "target " + target.name + ": plan '" + target.plan_id +
           "' is not a valid plan of this config (it has errors, or no plan file has that id): "
           "the calendar keeps what it has; run `plancal validate` on the plan";
  }
  if (auto audience = parse_audience(target.audience, it->second.plan); !audience) {
    return "target " + target.name + ": " + audience.error().message;
  }
  return std::nullopt;
}

struct Job {
  TargetInstance instance;
  const TargetConfig* target = nullptr;
  std::vector<sync::DesiredEvent> desired;
};

void run_jobs(std::vector<Job>& jobs, SyncStateStore& sync_state, const Clock& clock,
              const SyncRequest& request, sync::SyncObserver* observer,
              std::vector<sync::SyncReport>& reports) {
  reports.resize(jobs.size());
  if (observer != nullptr) observer->starting(jobs.size());
  sync::StoreSyncState state(sync_state);
  const bool only_graph = std::all_of(jobs.begin(), jobs.end(),
                                      [](const Job& job) { return job.target->graph.has_value(); });
  const std::size_t at_once = only_graph ? kMaxGraphMailboxesAtOnce : kMaxTargetsAtOnce;
  parallel_for(jobs.size(), at_once, [&](std::size_t i) {
    Job& job = jobs[i];
    sync::EngineOptions options;
    options.on_remote_change = job.target->on_remote_change;
    options.max_delete_share = job.target->max_delete_share;
    options.allow_mass_delete = request.allow_mass_delete;
    options.dry_run = request.dry_run;
    reports[i] = sync::reconcile(job.instance.identity, std::move(job.desired),
                                 *job.instance.remote, state, clock, options, observer);
  });
}

}  // namespace

bool SyncSummary::ok() const {
  return errors.empty() && std::all_of(reports.begin(), reports.end(),
                                       [](const sync::SyncReport& report) { return report.ok(); });
}

SyncSummary sync_all(const Config& config, PublishedEvents& published, SyncStateStore& sync_state,
                     const Clock& clock, const SyncRequest& request, sync::SyncObserver* observer) {
  SyncSummary summary;
  if (!request.only_target.empty() && config.find_target(request.only_target) == nullptr) {
    summary.errors.push_back("the config has no target named \"" + request.only_target + "\"");
    return summary;
  }
  PlansById plans = load_valid_plans(config);
  if (auto problem = add_makeup_copies(plans, published.database())) {
    summary.errors.push_back(*problem);
    return summary;
  }
  std::vector<Job> jobs;
  for (const auto& target : config.targets) {
    if (!request.only_target.empty() && target.name != request.only_target) continue;
    if (auto reason = why_not_syncable(target, plans)) {
      summary.errors.push_back(*reason);
      continue;
    }
    const ExpandedPlan& expanded = plans.at(target.plan_id);
    auto instances =
        target_instances(target, expanded.plan, request.dry_run, config.feeds.preparation_alarm);
    if (!instances) {
      summary.errors.push_back(instances.error().message);
      continue;
    }
    const auto revisions = published_revisions(published, target.plan_id);
    for (auto& instance : *instances) {
      auto desired = desired_events(expanded, instance.audience, revisions, clock.now_unix());
      jobs.push_back(Job{std::move(instance), &target, std::move(desired)});
    }
  }
  run_jobs(jobs, sync_state, clock, request, observer, summary.reports);
  return summary;
}

void log_sync_summary(const SyncSummary& summary) {
  for (const auto& error : summary.errors) spdlog::error("sync: {}", error);
  for (const auto& report : summary.reports) {
    const auto level = report.ok() ? spdlog::level::info : spdlog::level::warn;
    spdlog::log(level,
                "sync {}: {} (created {}, updated {}, deleted {}, restored {}, adopted {}, "
                "unchanged {}, conflicts {}, failed {}; {})",
                report.target, sync::to_string(report.result), report.created, report.updated,
                report.deleted, report.restored, report.adopted, report.unchanged, report.conflicts,
                report.failed, counted(report.requests, "request", "requests"));
    for (const auto& problem : report.problems) spdlog::warn("sync {}: {}", report.target, problem);
  }
}

}  // namespace plancal
