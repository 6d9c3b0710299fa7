// plancal attendance makeup --config FILE --plan ID --person ID --to YYYY-MM-DD [--undo]
//   [--by WHO] [--now TIME]: moves someone registered absent from their own date of a meeting
// to another team's date of it (one of the make-up dates `attendance mark` prints), then
// publishes, so the date reaches their personal feed and pushed calendar and their leader's
// register and reminders expect them there. --undo takes the move back. The same as the
// register page's "Flytt hit" button.

#include <fmt/format.h>

#include <memory>
#include <string>

#include "attendance/makeup.h"
#include "base/clock.h"
#include "base/norwegian_text.h"
#include "cli/attendance_commands.h"
#include "cli/attendance_input.h"
#include "cli/config_input.h"
#include "cli/plan_input.h"
#include "expand/audience.h"
#include "service/publish.h"
#include "store/attendance_registers.h"
#include "store/makeup_moves.h"
#include "store/published_events.h"

namespace plancal::cli {

namespace {

struct MakeupOptions {
  std::string config;
  std::string plan;
  std::string person;
  std::string to;
  bool undo = false;
  std::string by;
  std::string now;  ///< which make-up dates are still ahead
};

/// The option dated `to`; fails listing the dates there are when none is.
MakeupOption option_on(const std::vector<MakeupOption>& options, Date to, bool undo) {
  for (const auto& option : options) {
    if (option.option->start.date == to && (!undo || option.moved_here)) return option;
  }
  std::string known;
  for (const auto& option : options) known += "\n  " + option.text;
  if (undo) fail("--to " + format_date(to) + ": the person has not been moved to that date");
  fail("--to " + format_date(to) + ": not a make-up date for the person" +
       (known.empty() ? std::string(" (they have none: make-up dates are offered after an "
                                    "absence is registered, while another team's date of "
                                    "the meeting is still ahead)")
                      : ". Make-up dates:" + known));
}

void store(const Config& config, const AttendancePlan& plan, const MakeupOptions& options,
           const MakeupOption& option, std::int64_t now) {
  MakeupMoves moves(open_database_or_exit(config));
  if (options.undo) {
    if (auto removed = moves.remove(plan.plan.id, options.person, option.missed->uid); !removed) {
      fail(removed.error().message);
    }
    return;
  }
  MakeupMove move{plan.plan.id,
                  options.person,
                  option.missed->uid,
                  option.missed->start.date,
                  option.option->uid,
                  option.option->start.date,
                  options.by.empty() ? default_changed_by() : options.by,
                  now};
  if (auto stored = moves.put(move, retention_keep_from(config, now)); !stored) {
    fail(stored.error().message);
  }
}

void run_makeup(const MakeupOptions& options) {
  const auto to = parse_date(options.to);
  if (!to) fail("--to " + options.to + ": write a date like 2024-03-25");
  const Config config = load_config_or_exit(options.config);
  const auto plans = load_attendance_plans_or_exit(config);
  auto plan = find_attendance_plan(plans, options.plan);
  if (!plan) fail(plan.error().message);
  const Person* person = find_person((*plan)->plan, options.person);
  if (person == nullptr) {
    fail("--person " + options.person + ": not on the roster of plan " + (*plan)->plan.id);
  }
  const SystemClock clock;
  const std::int64_t now_unix = clock.now_unix();
  const auto now = parse_local_now_or_exit(options.now)
                       .value_or(local_time_in((*plan)->plan.timezone, now_unix));

  AttendanceRegisters registers(open_database_or_exit(config));
  auto records = registers.records({(*plan)->plan.id, options.person, std::nullopt});
  if (!records) fail(records.error().message);
  auto moves = MakeupMoves(open_database_or_exit(config)).list((*plan)->plan.id);
  if (!moves) fail(moves.error().message);
  const MakeupOption option =
      option_on(makeup_options((*plan)->plan, (*plan)->occurrences, *records, *moves, *person, now),
                *to, options.undo);
  store(config, **plan, options, option, now_unix);
  fmt::print("{}: {}\n", person->name,
             options.undo ? "ikke lenger flyttet til " + format_date(*to)
                          : moved_text_nb((*plan)->plan, *option.option));

  PublishedEvents published(open_database_or_exit(config));
  const PublishReport report = publish_all(config, published, clock);
  for (const auto& result : report.plans) {
    if (result.plan_id != (*plan)->plan.id) continue;
    if (!result.published) {
      fail(
          fmt::format("{}: the move is stored, but the plan was not published ({}); it reaches "
                      "the calendars with the next publish",
                      result.plan_file, result.error));
    }
    const auto& s = result.summary;
    fmt::print("{}: published: {} added, {} changed, {} removed, {} unchanged\n", result.plan_id,
               s.added, s.changed, s.removed, s.unchanged);
  }
}

}  // namespace

void add_attendance_makeup_command(CLI::App& attendance) {
  auto options = std::make_shared<MakeupOptions>();
  auto* command = attendance.add_subcommand(
      "makeup", "Move someone absent to another team's date of the meeting, and publish");
  command->add_option("--config", options->config, "Daemon config file (YAML)")->required();
  command->add_option("--plan", options->plan, "Plan id")->required();
  command->add_option("--person", options->person, "Roster person id")->required();
  command->add_option("--to", options->to, "The make-up date, YYYY-MM-DD")->required();
  command->add_flag("--undo", options->undo, "Take the move to that date back");
  command->add_option("--by", options->by, "Who moves, kept with the move (default cli:$USER)");
  command->add_option("--now", options->now,
                      "Local time make-up dates are counted from (default: now), "
                      "e.g. 2024-03-12T12:00");
  command->callback([options] { run_makeup(*options); });
}

}  // namespace plancal::cli
