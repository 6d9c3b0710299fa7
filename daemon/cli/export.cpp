// plancal export PLAN [--audience ...] [-o FILE]: one RFC 5545 .ics file.

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "cli/audience_options.h"
#include "cli/commands.h"
#include "cli/plan_input.h"
#include "ical/plan_calendar.h"

namespace plancal::cli {

namespace {

struct ExportOptions {
  std::string plan;
  SelectionOptions selection;
  std::string output;  ///< empty: stdout
};

/// DTSTAMP for a one-off export: now, or SOURCE_DATE_EPOCH for reproducible output.
std::int64_t export_timestamp() {
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch != '\0') {
    char* end = nullptr;
    const long long value = std::strtoll(epoch, &end, 10);
    if (end != nullptr && *end == '\0' && value >= 0) return value;
  }
  return static_cast<std::int64_t>(std::time(nullptr));
}

std::string calendar_name(const Plan& plan, const std::string& audience) {
  const std::string& base = plan.calendar_name.empty() ? plan.title : plan.calendar_name;
  return audience == "all" ? base : fmt::format("{} ({})", base, audience);
}

void run_export(const ExportOptions& options) {
  const Plan plan = load_plan_or_exit(options.plan);
  const auto keep = selection_filter(plan, options.selection);
  const std::int64_t now = export_timestamp();
  CalendarOptions calendar;
  calendar.name = calendar_name(plan, options.selection.audience);
  calendar.timezone = plan.timezone;
  // Written as it is made: neither the calendar nor the occurrences behind it are ever held
  // whole, so an export of any size fits in memory.
  const auto write = [&](const std::function<void(std::string_view)>& sink) {
    return render_plan_calendar_to(calendar, plan, keep, EventRevision{0, now, now, false}, sink);
  };

  if (options.output.empty() || options.output == "-") {
    (void)write([](std::string_view piece) { std::fwrite(piece.data(), 1, piece.size(), stdout); });
    if (std::fflush(stdout) != 0) fail("cannot write the calendar to standard output");
    return;
  }
  const std::string temporary = options.output + ".tmp";
  std::size_t events = 0;
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) {
      fail(fmt::format("cannot write {}: check that the folder exists and is writable",
                       options.output));
    }
    events = write([&out](std::string_view piece) {
      out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
    });
    if (!out.flush()) {
      std::filesystem::remove(temporary);
      fail(fmt::format("cannot write {}: disk full or not writable", options.output));
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, options.output, error);
  if (error) fail(fmt::format("cannot write {}: {}", options.output, error.message()));
  fmt::print(stderr, "wrote {} event(s) to {}\n", events, options.output);
}

}  // namespace

void add_export_command(CLI::App& app) {
  auto options = std::make_shared<ExportOptions>();
  auto* command =
      app.add_subcommand("export", "Write a plan's events as one iCalendar (.ics) file");
  command->add_option("plan", options->plan, "Plan file (YAML)")->required();
  add_selection_options(*command, options->selection, false);
  command->add_option("-o,--output", options->output, "Output file (default: standard output)");
  command->callback([options] { run_export(*options); });
}

}  // namespace plancal::cli
