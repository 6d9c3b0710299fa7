// plancal attendance mark --config FILE --plan ID --date YYYY-MM-DD --person ID
//   --status moett|sent|gyldig|fravaer [--note TEXT] [--by WHO]:
// one registration from a paper list; a person marked absent is told the make-up dates.

#include <fmt/format.h>

#include <memory>
#include <string>

#include "attendance/makeup.h"
#include "attendance/programme.h"
#include "attendance/records.h"
#include "attendance/status.h"
#include "base/clock.h"
#include "base/norwegian_text.h"
#include "cli/attendance_commands.h"
#include "cli/attendance_input.h"
#include "cli/config_input.h"
#include "cli/plan_input.h"
#include "expand/audience.h"
#include "store/attendance_registers.h"

namespace plancal::cli {

namespace {

struct MarkOptions {
  std::string config;
  std::string plan;
  std::string date;
  std::string person;
  std::string status;
  std::string note;
  std::string by;
  std::string now;  ///< for make-up dates: which are still ahead
};

void print_makeup(const AttendancePlan& plan, const std::vector<AttendanceRecord>& records,
                  const Person& person, LocalDateTime now) {
  for (const auto& option : makeup_options(plan.plan, plan.occurrences, records, person, now)) {
    fmt::print("{}\n", option.text);
  }
}

void run_mark(const MarkOptions& options) {
  const auto date = parse_date(options.date);
  if (!date) fail("--date " + options.date + ": write a date like 2024-03-25");
  const auto status = parse_status(options.status);
  if (!status) {
    fail(fmt::format("--status {}: use one of {}", options.status, accepted_status_words()));
  }
  if (options.note.size() > kMaxAttendanceNoteBytes) {
    fail(fmt::format("--note is {} bytes; at most {} are kept", options.note.size(),
                     kMaxAttendanceNoteBytes));
  }
  const Config config = load_config_or_exit(options.config);
  const auto plans = load_attendance_plans_or_exit(config);
  auto plan = find_attendance_plan(plans, options.plan);
  if (!plan) fail(plan.error().message);
  auto resolved = resolve_registration(**plan, *date, options.person);
  if (!resolved) fail(resolved.error().message);

  const SystemClock clock;
  AttendanceChange change;
  AttendanceRecord& r = change.record;
  r.plan_id = (*plan)->plan.id;
  r.uid = resolved->occurrence->uid;
  r.person_id = options.person;
  r.date = *date;
  r.status = *status;
  r.note = options.note;
  r.added = resolved->added;
  r.registered_by = options.by.empty() ? default_changed_by() : options.by;
  r.registered_at = clock.now_unix();
  change.source = "cli";

  AttendanceRegisters registers(open_database_or_exit(config));
  auto written = registers.write({change}, retention_keep_from(config, clock.now_unix()));
  if (!written) fail(written.error().message);
  const Occurrence& o = *resolved->occurrence;
  const Person& person = *find_person((*plan)->plan, options.person);
  fmt::print("{}: {} {} ({}){}{}\n", date_text_nb(*date), person.name, status_label_nb(*status),
             meeting_label_nb((*plan)->plan, o), resolved->added ? ", ikke satt opp" : "",
             written->unchanged > 0 ? " (uendret)" : "");
  if (counts_as_present(*status)) return;
  auto records = registers.records({(*plan)->plan.id, options.person, std::nullopt});
  if (!records) fail(records.error().message);
  const auto now = parse_local_now_or_exit(options.now)
                       .value_or(local_time_in((*plan)->plan.timezone, clock.now_unix()));
  print_makeup(**plan, *records, person, now);
}

}  // namespace

void add_attendance_mark_command(CLI::App& attendance) {
  auto options = std::make_shared<MarkOptions>();
  auto* command = attendance.add_subcommand(
      "mark", "Register one person's attendance at a meeting (from a paper list)");
  command->add_option("--config", options->config, "Daemon config file (YAML)")->required();
  command->add_option("--plan", options->plan, "Plan id")->required();
  command->add_option("--date", options->date, "The meeting's date, YYYY-MM-DD")->required();
  command->add_option("--person", options->person, "Roster person id")->required();
  command
      ->add_option("--status", options->status,
                   "moett (møtt), sent (møtt for sent), gyldig (gyldig fravær), fravaer (fravær)")
      ->required();
  command->add_option("--note", options->note, "A note kept with the registration");
  command->add_option("--by", options->by,
                      "Who registers, for the audit trail (default cli:$USER)");
  command->add_option("--now", options->now,
                      "Local time make-up dates are counted from (default: now), "
                      "e.g. 2024-03-12T12:00");
  command->callback([options] { run_mark(*options); });
}

}  // namespace plancal::cli
