// plancal status --config FILE: what the daemon has done, read from its state store: the
// last publish of every plan of the config, the last sync run of every target (with its
// conflicts) and the reminders still to be sent.

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
#include "plan/loader.h"

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

std::size_t active_events(Store& store, const std::string& plan_id) {
  std::size_t active = 0;
  for (const auto& event : store.events(plan_id)) active += event.removed ? 0 : 1;
  return active;
}

/// The plan id of each plan file that loads; files that do not are shown by path.
void print_plans(const Config& config, Store& store) {
  fmt::print("plans:\n");
  for (const auto& file : config.plan_files) {
    const PlanLoad load = load_plan_file(file);
    if (!load.plan) {
      fmt::print("  {}: has errors (plancal validate {}); its last valid version is in force\n",
                 file, file);
      continue;
    }
    const auto info = store.plan_info(load.plan->id);
    if (!info) {
      fmt::print("  {}: never published\n", load.plan->id);
      continue;
    }
    fmt::print("  {}: last published {} ({} active events)\n", info->plan_id,
               utc_time(info->published_at), active_events(store, info->plan_id));
  }
}

void print_targets(const Config& config, Store& store) {
  std::map<std::string, SyncRun> runs;
  for (auto& run : store.last_sync_runs()) runs.emplace(run.target, std::move(run));
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
void print_reminders(const Config& config, Store& store) {
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

void run_status(const StatusOptions& options) {
  const Config config = load_config_or_exit(options.config);
  Store store = open_store_or_exit(config);
  fmt::print("database: {}\n", config.database);
  print_plans(config, store);
  print_targets(config, store);
  print_reminders(config, store);
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
