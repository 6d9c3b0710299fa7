#pragma once
/// The publish step: the config's plan files -> the state store.
///
/// Each plan is loaded, checked and expanded on its own; the plans without errors are then
/// published together in ONE transaction, so a crash leaves the store as it was before or
/// as it is after, never with some plans new and others old. A plan with errors is reported
/// and skipped: the store keeps what was last
/// published for it, because an invalid edit must never withdraw a programme from everyone's
/// calendar. Plans that are no longer in the config are left as they are, for the same reason.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/diagnostic.h"
#include "config/config.h"
#include "expand/occurrence.h"
#include "store/published_events.h"

namespace plancal {

struct PlanPublishResult {
  std::string plan_file;
  std::string plan_id;      ///< empty when the plan could not be loaded
  bool published = false;   ///< false: the previous state of the plan was kept
  PublishSummary summary;   ///< what changed, when published
  Diagnostics diagnostics;  ///< the plan's errors and warnings
  std::string error;        ///< why it was not published, when not a plan diagnostic
  /// The plan as loaded, when it loaded and expanded without errors: whoever serves the plans
  /// after publishing them (FeedService) takes it instead of reading the file again.
  std::shared_ptr<const Plan> plan;
};

struct PublishReport {
  std::vector<PlanPublishResult> plans;  ///< in the config's order
  [[nodiscard]] bool all_published() const;
};

/// A plan file that loaded, expanded and passed every check.
struct ExpandedPlan {
  Plan plan;
  std::vector<Occurrence> occurrences;
};

/// Loads, expands and checks one plan file; nullopt when it has errors (in `diagnostics`,
/// with its warnings).
[[nodiscard]] std::optional<ExpandedPlan> load_expanded_plan(const std::string& path,
                                                             Diagnostics& diagnostics);

/// Loads, checks, expands and publishes every plan of the config. Reports rather than logs,
/// so the CLI can print and the daemon can log (log_publish_report) the same result.
[[nodiscard]] PublishReport publish_all(const Config& config, PublishedEvents& published,
                                        const Clock& clock);

/// Logs every plan's diagnostics and outcome through spdlog (for the daemon).
void log_publish_report(const PublishReport& report);

}  // namespace plancal
