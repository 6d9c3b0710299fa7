// plancal registrations allocate --config FILE [--plan ID] [--dry-run] [--now TIME]: places
// the confirmed registrations of every series with a registration deadline in its rows
// (signup/allocation.h: as many placed as the rows allow, earlier confirmations winning their
// preferences), the rest on the waiting list, and prints one Norwegian line per organisation
// ("Datorekke 1: Tirsdager: plassert som nr. 1 i køen"). --dry-run prints the same and
// writes nothing. Withdrawn and unconfirmed registrations take no part. Run again, it keeps
// every placement already made (service/registration_allocation.h) and marks the lines it
// did not change "(uendret)"; the daemon does the same by itself once a deadline has passed.
//
// With an `smtp:` section, each organisation whose place or waiting-list state changed gets
// a placement mail (planned with the allocation, in the same transaction), and each placed
// organisation's contact gets every meeting of its row as an invitation (iMIP REQUEST),
// updates of meetings that changed and CANCELs for what it no longer has
// (service/meeting_invitations.h); all are sent before the command ends, exactly once.

#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "cli/config_input.h"
#include "cli/now_option.h"
#include "cli/plan_input.h"
#include "cli/registrations_commands.h"
#include "service/meeting_invitations.h"
#include "service/publish.h"
#include "service/registration_allocation.h"
#include "service/registration_mail_delivery.h"
#include "service/reminders.h"
#include "store/link_key.h"

namespace plancal::cli {

namespace {

struct AllocateOptions {
  std::string config;
  std::string plan;
  bool dry_run = false;
  std::string now;
};

/// The config's plans that load and expand without errors, for the invitations.
struct AllocationPlans {
  std::vector<ExpandedPlan> plans;

  [[nodiscard]] std::vector<signup::PlanMeetings> meetings() const {
    std::vector<signup::PlanMeetings> out;
    for (const auto& p : plans) out.push_back({&p.plan, &p.occurrences});
    return out;
  }
  [[nodiscard]] std::vector<const Plan*> pointers() const {
    std::vector<const Plan*> out;
    for (const auto& p : plans) out.push_back(&p.plan);
    return out;
  }
};

AllocationPlans allocation_plans(const Config& config) {
  AllocationPlans loaded;
  for (const auto& file : config.plan_files) {
    Diagnostics diagnostics;
    if (auto plan = load_expanded_plan(file, diagnostics)) loaded.plans.push_back(std::move(*plan));
  }
  return loaded;
}

/// Plans the meeting invitations the allocation made due and sends every due mail of the
/// registrations (placements first). Exit status 1 when a mail failed or waits for a retry.
void plan_and_send_allocation_mails(const Config& config, StateDatabase& database,
                                    const Clock& clock) {
  const AllocationPlans plans = allocation_plans(config);
  auto planned = plan_meeting_invitations(config, database, plans.meetings(), clock.now_unix());
  if (!planned)
    fail(config.database + ": the invitations were not planned: " + planned.error().message);
  if (!config.smtp) return;
  auto sender = make_mail_sender(config);
  if (!sender) fail(sender.error().message);
  auto key = load_or_create_link_key(config.database);
  if (!key) fail(key.error().message);
  const auto placements =
      send_due_registration_mails(config, database, plans.pointers(), *key, clock, **sender);
  const auto meetings = send_due_meeting_invitations(config, database, clock, **sender);
  fmt::print(
      "mails: {} sent, {} retrying, {} failed; meeting invitations: {} planned, {} sent, {} "
      "retrying, {} failed\n",
      placements.sent, placements.retrying, placements.failed, *planned, meetings.sent,
      meetings.retrying, meetings.failed);
  for (const auto& problem : placements.problems) fmt::print(stderr, "{}\n", problem);
  for (const auto& problem : meetings.problems) fmt::print(stderr, "{}\n", problem);
  if (placements.retrying + placements.failed + meetings.retrying + meetings.failed > 0 ||
      !placements.problems.empty() || !meetings.problems.empty()) {
    fail("some mails were not delivered; they are retried by the daemon (see the log above)");
  }
}

void print_allocation(const SeriesAllocation& allocation) {
  fmt::print("{} / {}: {} confirmed registration(s)\n", allocation.plan_id, allocation.series_title,
             allocation.lines.size());
  for (const auto& line : allocation.lines) {
    fmt::print("  {}: {}{}\n", line.organisation, line.explanation,
               line.changed ? "" : " (uendret)");
  }
}

void run_allocate(const AllocateOptions& options) {
  const Config config = load_config_or_exit(options.config);
  const auto clock = make_clock(options.now);
  StateDatabase database = open_database_or_exit(config);
  std::vector<Plan> plans;
  for (const auto& file : config.plan_files) plans.push_back(load_plan_or_exit(file));
  std::vector<const Plan*> pointers;
  for (const auto& plan : plans) pointers.push_back(&plan);
  const auto allocations =
      allocate_registrations(pointers, database,
                             AllocationRequest{.plan_id = options.plan,
                                               .scope = AllocationScope::EverySeries,
                                               .dry_run = options.dry_run,
                                               .message_id = placement_message_ids(config),
                                               .now = clock->now_unix()});
  if (!allocations) {
    fail(config.database + ": the allocation was not stored: " + allocations.error().message);
  }
  if (allocations->empty()) {
    fail("no series with a registration_deadline" + (options.plan.empty()
                                                         ? std::string(" in the config's plans")
                                                         : " in plan " + options.plan));
  }
  for (const auto& allocation : *allocations) print_allocation(allocation);
  fmt::print("{}\n",
             options.dry_run ? "dry run: nothing stored, nothing sent" : "allocation stored");
  if (!options.dry_run) plan_and_send_allocation_mails(config, database, *clock);
}

}  // namespace

void add_registrations_allocate_command(CLI::App& registrations) {
  auto options = std::make_shared<AllocateOptions>();
  auto* command = registrations.add_subcommand(
      "allocate", "Place the confirmed registrations in the rows; the rest on the waiting list");
  command->add_option("--config", options->config, "Daemon config file (YAML)")->required();
  command->add_option("--plan", options->plan, "Only this plan's series");
  command->add_flag("--dry-run", options->dry_run, "Show the allocation; store and send nothing");
  add_now_option(*command, options->now);
  command->callback([options] { run_allocate(*options); });
}

}  // namespace plancal::cli
