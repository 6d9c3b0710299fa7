// plancal sync --config FILE [--target NAME] [--dry-run] [--allow-mass-delete]: publishes the
// config's plans, then makes every push target (or one) match them, and prints per target
// what it did — or, with --dry-run, what it would do, changing nothing anywhere. On a
// terminal, a progress line on stderr says how far it has come while it runs.

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "base/clock.h"
#include "base/plural.h"
#include "cli/commands.h"
#include "cli/config_input.h"
#include "cli/progress.h"
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

/// "sync: 3/16 targets, 240/1000 writes, 45 writes/s, about 20 s left", from the engine's
/// progress calls. Targets run in parallel: every call takes the lock.
class SyncProgress final : public sync::SyncObserver {
 public:
  explicit SyncProgress(ProgressLine& line) : line_(line) {}

  void starting(std::size_t targets) override {
    const std::lock_guard lock(mutex_);
    targets_ = targets;
    if (targets_ > 0) draw(true);
  }
  void planned(const std::string& target, std::size_t writes) override {
    const std::lock_guard lock(mutex_);
    running_[target].planned += writes;
    planned_ += writes;
    draw(false);
  }
  void written(const std::string& target, std::size_t writes) override {
    const std::lock_guard lock(mutex_);
    running_[target].written += writes;
    written_ += writes;
    draw(false);
  }
  void finished(const sync::SyncReport& report) override {
    const std::lock_guard lock(mutex_);
    running_.erase(report.target);
    ++finished_;
    draw(finished_ == targets_);
  }

 private:
  struct Writes {
    std::size_t planned = 0, written = 0;
  };

  /// Finished targets plus the written share of the running ones, over all targets.
  [[nodiscard]] double done_fraction() const {
    if (targets_ == 0) return 0;
    double done = static_cast<double>(finished_);
    for (const auto& [target, writes] : running_) {
      if (writes.planned > 0) {
        done += static_cast<double>(writes.written) / static_cast<double>(writes.planned);
      }
    }
    return done / static_cast<double>(targets_);
  }

  void draw(bool force) {
    const auto elapsed = line_.elapsed();
    const double seconds = std::max(std::chrono::duration<double>(elapsed).count(), 1e-3);
    std::string text = fmt::format("sync: {}/{} targets", finished_, targets_);
    if (planned_ > 0) {
      text += fmt::format(", {}/{} writes, {}", written_, planned_,
                          format_rate(static_cast<double>(written_) / seconds, "writes"));
    } else if (finished_ > 0) {
      text += ", " + format_rate(static_cast<double>(finished_) / seconds, "targets");
    }
    if (const std::string left = format_time_left(done_fraction(), elapsed); !left.empty()) {
      text += ", " + left;
    }
    line_.show(text, force);
  }

  ProgressLine& line_;
  std::mutex mutex_;
  std::size_t targets_ = 0, finished_ = 0, planned_ = 0, written_ = 0;
  std::map<std::string, Writes> running_;
};

void print_report(const sync::SyncReport& report, bool dry_run) {
  if (dry_run && report.result != sync::SyncResult::Failed) {
    print_dry_run(report);
  } else {
    fmt::print(
        "{}: {}: {} created, {} updated, {} deleted, {} restored, {} adopted, {} unchanged, "
        "{}, {} failed ({})\n",
        report.target, sync::to_string(report.result), report.created, report.updated,
        report.deleted, report.restored, report.adopted, report.unchanged,
        counted(report.conflicts, "conflict", "conflicts"), report.failed,
        counted(report.requests, "request", "requests"));
  }
  for (const auto& problem : report.problems) {
    fmt::print(stderr, "{}: error: {}\n", report.target, problem);
  }
}

/// Publishes first so the targets get what the plan files say now; a plan with errors keeps
/// its published state and its targets are left alone.
void publish_first(const Config& config, PublishedEvents& published, const Clock& clock) {
  const PublishReport report = publish_all(config, published, clock);
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

/// A dry run reads the database without publishing (and before the first publish there is
/// none to read): say what a real run would do first.
void say_what_a_first_run_does(const Config& config) {
  if (!std::filesystem::exists(config.database)) {
    fmt::print("{} does not exist yet: a real run would create it and publish the plans, then:\n",
               config.database);
  } else {
    fmt::print("nothing has been published to {} yet: a real run would publish the plans, then:\n",
               config.database);
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
  const StateDatabase database =
      options.dry_run ? open_database_read_only_or_exit(config) : open_database_or_exit(config);
  PublishedEvents published(database);
  SyncStateStore sync_state(database);
  const SystemClock system_clock;
  const FixedClock fixed_clock(options.now.value_or(0));
  const Clock& clock = options.now ? static_cast<const Clock&>(fixed_clock) : system_clock;

  if (!options.dry_run) publish_first(config, published, clock);
  if (options.dry_run && published.plan_ids().empty()) say_what_a_first_run_does(config);
  SyncRequest request;
  request.only_target = options.target;
  request.dry_run = options.dry_run;
  request.allow_mass_delete = options.allow_mass_delete;
  ProgressLine line(stderr, stderr_is_terminal());
  SyncProgress progress(line);
  const SyncSummary summary =
      sync_all(config, published, sync_state, clock, request, line.enabled() ? &progress : nullptr);
  line.finish();
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
