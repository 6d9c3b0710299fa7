// plancal expand PLAN [--audience ...] [--from DATE] [--to DATE] [--format table|json]

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>

#include "cli/audience_options.h"
#include "cli/commands.h"
#include "cli/plan_input.h"
#include "ical/timezone.h"

namespace plancal::cli {

namespace {

struct ExpandOptions {
  std::string plan;
  SelectionOptions selection;
  std::string format = "table";
};

std::string status_name(OccurrenceStatus status) {
  return status == OccurrenceStatus::Cancelled ? "cancelled" : "confirmed";
}

/// All-day events are plain dates; timed events carry their UTC offset, so a reader never has
/// to know the plan's zone rules.
std::string iso_time(const Occurrence& occurrence, LocalDateTime when) {
  if (occurrence.all_day) return format_date(when.date);
  auto text = iso8601_with_offset(occurrence.timezone, when);
  if (!text) fail(text.error().message);
  return *text;
}

void print_json(const std::vector<Occurrence>& occurrences) {
  auto array = nlohmann::json::array();
  for (const auto& o : occurrences) {
    array.push_back({{"uid", o.uid},
                     {"plan", o.plan_id},
                     {"component", o.component_key},
                     {"meeting", o.meeting_key},
                     {"occurrence", o.occurrence_key},
                     {"audience", o.audience},
                     {"summary", o.summary},
                     {"start", iso_time(o, o.start)},
                     {"end", iso_time(o, o.end)},
                     {"all_day", o.all_day},
                     {"location", o.location},
                     {"status", status_name(o.status)}});
  }
  fmt::print("{}\n", array.dump(2));
}

std::string time_column(const Occurrence& o) {
  if (o.all_day) return "hele dagen";
  return fmt::format("{}–{}", format_time(o.start.time), format_time(o.end.time));
}

void print_table(const std::vector<Occurrence>& occurrences) {
  fmt::print("{:<10}  {:<8}  {:<11}  {:<24}  {}\n", "Dato", "Dag", "Tid", "Målgruppe", "Hva");
  for (const auto& o : occurrences) {
    const std::string cancelled = o.status == OccurrenceStatus::Cancelled ? " (AVLYST)" : "";
    fmt::print("{:<10}  {:<8}  {:<11}  {:<24}  {}{}\n", format_date(o.start.date),
               weekday_name_nb(weekday_of(o.start.date)), time_column(o), o.audience, o.summary,
               cancelled);
  }
  fmt::print("{} occurrence(s)\n", occurrences.size());
}

void run_expand(const ExpandOptions& options) {
  const Plan plan = load_plan_or_exit(options.plan);
  const auto occurrences = select_occurrences(plan, options.selection);
  if (options.format == "json") {
    print_json(occurrences);
  } else {
    print_table(occurrences);
  }
}

}  // namespace

void add_expand_command(CLI::App& app) {
  auto options = std::make_shared<ExpandOptions>();
  auto* command = app.add_subcommand("expand", "List the dated occurrences a plan produces");
  command->add_option("plan", options->plan, "Plan file (YAML)")->required();
  add_selection_options(*command, options->selection, true);
  command->add_option("--format", options->format, "Output format")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  command->callback([options] { run_expand(*options); });
}

}  // namespace plancal::cli
