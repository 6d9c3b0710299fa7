// plancal status --config FILE: what the daemon has done, read from its state store: the
// last publish of every plan of the config, the last sync run of every target (with its
// conflicts) and the reminders still to be sent. Exit 1, saying what to do, when the database
// is damaged (refused when opened) or a read failed part-way (the counts would be too small).

#include <fmt/format.h>

#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "base/plural.h"
#include "cli/commands.h"
#include "cli/config_input.h"
#include "cli/plan_input.h"
#include "plan/loader.h"
#include "store/published_events.h"
#include "store/reminder_store.h"
#include "store/sync_state_store.h"

namespace plancal::cli {

namespace {

struct StatusOptions {
  std::string config;
};

std::string utc_time(std::int64_t unix_time) {
  const auto seconds = static_cast<std::time_t>(unix_time);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &parts);
  return text;
}

std::size_t active_events(PublishedEvents& published, const std::string& plan_id) {
  std::size_t active = 0;
  for (const auto& event : published.events(plan_id)) active += event.removed ? 0 : 1;
  return active;
}

/// The plan id of each plan file that loads; files that do not are shown by path.
void print_plans(const Config& config, PublishedEvents& published) {
  fmt::print("plans:\n");
  for (const auto& file : config.plan_files) {
    const PlanLoad load = load_plan_file(file);
    if (!load.plan) {
      fmt::print("  {}: has errors (plancal validate {}); its last valid version is in force\n",
                 file, file);
      continue;
    }
    const auto info = published.plan_info(load.plan->id);
    if (!info) {
      fmt::print("  {}: never published\n", load.plan->id);
      continue;
    }
    fmt::print("  {}: last published {} ({} active events)\n", info->plan_id,
               utc_time(info->published_at), active_events(published, info->plan_id));
  }
}

void print_targets(const Config& config, SyncStateStore& sync_state) {
  std::map<std::string, SyncRun> runs;
  for (auto& run : sync_state.last_sync_runs()) runs.emplace(run.target, std::move(run));
  fmt::print("targets:\n");
  if (config.targets.empty()) fmt::print("  none configured\n");
  for (const auto& target : config.targets) {
    const auto found = runs.find(target.name);
    if (found == runs.end()) {
      fmt::print("  {}: never synced\n", target.name);
      continue;
    }
    const SyncRun& run = found->second;
    fmt::print("  {}: last sync {} {}: {} created, {} updated, {} deleted, {}, {} failed{}\n",
               target.name, utc_time(run.finished_at), run.result, run.created, run.updated,
               run.deleted, counted(run.conflicts, "conflict", "conflicts"), run.failed,
               run.message.empty() ? "" : " (" + run.message + ")");
  }
}

/// Reminders waiting to be sent (planned, or handed to the mail server by a run that crashed).
void print_reminders(const Config& config, ReminderStore& store) {
  std::size_t pending = 0;
  std::optional<std::int64_t> next_due;
  for (const auto& reminder : store.reminders()) {
    if (reminder.state != ReminderState::Planned && reminder.state != ReminderState::Sending) {
      continue;
    }
    ++pending;
    if (!next_due || reminder.due_at < *next_due) next_due = reminder.due_at;
  }
  fmt::print("reminders: {} pending{}{}\n", pending,
             next_due ? ", next due " + utc_time(*next_due) : std::string(),
             config.smtp ? "" : " (no smtp: section, none are sent)");
}

/// A read that failed part-way made the counts above too small: say so, and what to do.
void fail_when_a_read_failed(const Config& config, StateDatabase database) {
  const auto faults = database.faults();
  if (faults.count == 0) return;
  fail(fmt::format(
      "reading {} failed ({} time(s); last: {}), so the counts above may be too small. If "
      "this repeats, the file is damaged: stop plancal and restore it from a backup, or move "
      "it aside and run `plancal publish` to republish into a new file",
      config.database, faults.count, faults.last));
}

void run_status(const StatusOptions& options) {
  const Config config = load_config_or_exit(options.config);
  const StateDatabase database = open_database_or_exit(config);
  fmt::print("database: {}\n", config.database);
  PublishedEvents published(database);
  print_plans(config, published);
  SyncStateStore sync_state(database);
  print_targets(config, sync_state);
  ReminderStore reminders(database);
  print_reminders(config, reminders);
  std::fflush(stdout);
  fail_when_a_read_failed(config, database);
}

}  // namespace

void add_status_command(CLI::App& app) {
  auto options = std::make_shared<StatusOptions>();
  auto* command = app.add_subcommand(
      "status",
      "Show the last publish of each plan, the last sync of each target, pending reminders");
  command->add_option("--config", options->config, "Daemon config file (YAML)")->required();
  command->callback([options] { run_status(*options); });
}

}  // namespace plancal::cli
