// plancal sync --config FILE [--target NAME] [--dry-run] [--allow-mass-delete]: publishes the
// config's plans, then makes every push target (or one) match them, and prints per target
// what it did — or, with --dry-run, what it would do, changing nothing anywhere.

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>

#include "base/clock.h"
#include "base/plural.h"
#include "cli/commands.h"
#include "cli/config_input.h"
#include "service/publish.h"
#include "service/sync.h"

namespace plancal::cli {

namespace {

struct SyncOptions {
  std::string config;
  std::string target;
  bool dry_run = false;
  bool allow_mass_delete = false;
  std::optional<std::int64_t> now;
};

const char* verb(sync::OperationKind kind) {
  switch (kind) {
    case sync::OperationKind::Create:
      return "create";
    case sync::OperationKind::Update:
      return "update";
    case sync::OperationKind::Delete:
      return "delete";
  }
  return "?";
}

void print_dry_run(const sync::SyncReport& report) {
  fmt::print("{}: would create {}, update {}, delete {}; {} unchanged\n", report.target,
             std::count_if(report.changes.begin(), report.changes.end(),
                           [](const auto& c) { return c.kind == sync::OperationKind::Create; }),
             std::count_if(report.changes.begin(), report.changes.end(),
                           [](const auto& c) { return c.kind == sync::OperationKind::Update; }),
             std::count_if(report.changes.begin(), report.changes.end(),
                           [](const auto& c) { return c.kind == sync::OperationKind::Delete; }),
             report.unchanged);
  for (const auto& change : report.changes) {
    fmt::print("  {:<6}  {}  {}  ({})\n", verb(change.kind), change.uid, change.summary,
               change.reason);
  }
}

void print_report(const sync::SyncReport& report, bool dry_run) {
  if (dry_run && report.result != "failed") {
    print_dry_run(report);
  } else {
    fmt::print(
        "{}: {}: {} created, {} updated, {} deleted, {} restored, {} adopted, {} unchanged, "
        "{}, {} failed ({})\n",
        report.target, report.result, report.created, report.updated, report.deleted,
        report.restored, report.adopted, report.unchanged,
        counted(report.conflicts, "conflict", "conflicts"), report.failed,
        counted(report.requests, "request", "requests"));
  }
  for (const auto& problem : report.problems) {
    fmt::print(stderr, "{}: error: {}\n", report.target, problem);
  }
}

/// Publishes first so the targets get what the plan files say now; a plan with errors keeps
/// its published state and its targets are left alone.
void publish_first(const Config& config, Store& store, const Clock& clock) {
  const PublishReport report = publish_all(config, store, clock);
  for (const auto& result : report.plans) {
    for (const auto& diagnostic : result.diagnostics.all()) {
      fmt::print(stderr, "{}\n", format_diagnostic(diagnostic));
    }
    if (!result.published) {
      fmt::print(stderr, "{}: not published ({}); its targets keep what they have\n",
                 result.plan_file, result.error);
    }
  }
}

void run_sync(const SyncOptions& options) {
  const Config config = load_config_or_exit(options.config);
  if (config.targets.empty()) {
    fmt::print(stderr,
               "{}: error: the config has no targets to sync\n  hint: add a \"targets:\" "
               "list (see config/plancal.yaml)\n",
               options.config);
    throw CLI::RuntimeError(1);
  }
  Store store = open_store_or_exit(config);
  const SystemClock system_clock;
  const FixedClock fixed_clock(options.now.value_or(0));
  const Clock& clock = options.now ? static_cast<const Clock&>(fixed_clock) : system_clock;

  if (!options.dry_run) publish_first(config, store, clock);
  SyncRequest request;
  request.only_target = options.target;
  request.dry_run = options.dry_run;
  request.allow_mass_delete = options.allow_mass_delete;
  const SyncSummary summary = sync_all(config, store, clock, request);
  for (const auto& error : summary.errors) fmt::print(stderr, "error: {}\n", error);
  for (const auto& report : summary.reports) print_report(report, options.dry_run);
  if (!summary.ok()) throw CLI::RuntimeError(1);
}

}  // namespace

void add_sync_command(CLI::App& app) {
  auto options = std::make_shared<SyncOptions>();
  auto* command = app.add_subcommand(
      "sync",
      "Make every push target (CalDAV calendar, Microsoft 365 mailbox) match the plans, once");
  command->add_option("--config", options->config, "Daemon config file (YAML)")->required();
  command->add_option("--target", options->target, "Sync only the target with this name");
  command->add_flag("--dry-run", options->dry_run,
                    "Print what would be created, updated and deleted; change nothing");
  command->add_flag("--allow-mass-delete", options->allow_mass_delete,
                    "Go on even when the sync deletes more than the target's max_delete_share");
  command->add_option("--now", options->now, "Run as if it were this Unix time");
  command->callback([options] { run_sync(*options); });
}

}  // namespace plancal::cli
