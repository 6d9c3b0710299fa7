// plancal rotate --weekday MO --from DATE --teams A,B,C --meetings N [--blackout FROM..TO]...
// Proposes a rotation as plan YAML that `plancal validate` accepts, ready to fill in.

#include <fmt/format.h>

#include <cstdio>
#include <regex>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/plan_input.h"
#include "expand/rotation_generator.h"

namespace plancal::cli {

namespace {

struct RotateOptions {
  std::string weekday;
  std::string from;
  std::vector<std::string> teams;
  int meetings = 0;
  std::vector<std::string> blackouts;  ///< "FROM..TO"
  std::string plan_id = "rotasjon";    ///< checked against the plan id pattern
  std::string title = "Møte";
  std::string start = "09:00";
  std::string end = "12:00";
  bool include_holidays = false;
};

/// A YAML double-quoted scalar, so any title survives the round trip through the loader.
std::string yaml_quoted(const std::string& text) {
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

Date parse_date_or_fail(const std::string& option, const std::string& text) {
  const auto date = parse_date(text);
  if (!date)
    fail(fmt::format("{} '{}' is not a date; write YYYY-MM-DD, e.g. 2024-01-08", option, text));
  return *date;
}

Blackout parse_blackout(const std::string& text) {
  const auto dots = text.find("..");
  if (dots == std::string::npos) {
    fail(fmt::format("--blackout '{}' must be FROM..TO, e.g. 2024-06-17..2024-08-11", text));
  }
  Blackout blackout;
  blackout.from = parse_date_or_fail("--blackout", text.substr(0, dots));
  blackout.to = parse_date_or_fail("--blackout", text.substr(dots + 2));
  if (blackout.to < blackout.from) fail(fmt::format("--blackout '{}' ends before it starts", text));
  return blackout;
}

RotationRule make_rule(const RotateOptions& options) {
  RotationRule rule;
  const auto weekday = parse_weekday(options.weekday);
  if (!weekday)
    fail(fmt::format("--weekday '{}' is not one of MO TU WE TH FR SA SU", options.weekday));
  rule.weekday = *weekday;
  rule.from = parse_date_or_fail("--from", options.from);
  const std::regex key_pattern("^[A-Za-z0-9][A-Za-z0-9_-]*$");
  for (const auto& team : options.teams) {
    if (!std::regex_match(team, key_pattern)) {
      fail(fmt::format("team key '{}' may use only letters, digits, '-' and '_'", team));
    }
  }
  rule.teams = options.teams;
  rule.meetings = options.meetings;
  for (const auto& text : options.blackouts) rule.blackouts.push_back(parse_blackout(text));
  rule.skip_holidays = !options.include_holidays;
  return rule;
}

void print_plan_yaml(const RotateOptions& options, const RotationRule& rule,
                     const std::vector<ProposedMeeting>& meetings) {
  fmt::print(
      "# Proposed by plancal rotate: {} meeting(s) on {}, team order shifting each meeting.\n",
      rule.meetings, weekday_name_nb(rule.weekday));
  fmt::print("# {}; fill in topics and speakers, then run plancal validate.\n",
             rule.skip_holidays ? "Norwegian public holidays and blackouts are skipped"
                                : "Blackouts are skipped");
  fmt::print("plan: {}\ntitle: {}\nteams:\n", options.plan_id, yaml_quoted(options.title));
  for (const auto& team : rule.teams) fmt::print("  - {{ key: {0}, name: \"Team {0}\" }}\n", team);
  fmt::print("rotations:\n  - key: {}\n    title: {}\n    weekday: {}\n", options.plan_id,
             yaml_quoted(options.title), weekday_code(rule.weekday));
  fmt::print("    teams: [{}]\n", fmt::join(rule.teams, ", "));
  fmt::print("    time: {{ start: \"{}\", end: \"{}\" }}\n    meetings:\n", options.start,
             options.end);
  for (const auto& meeting : meetings) {
    fmt::print("      - number: {}\n        topic: \"TBA\"\n        dates:\n", meeting.number);
    for (const auto& date : meeting.dates) {
      fmt::print("          {}: {}\n", date.team, format_date(date.date));
    }
  }
}

void run_rotate(const RotateOptions& options) {
  if (!parse_time_of_day(options.start) || !parse_time_of_day(options.end)) {
    fail("--start and --end must be times such as 09:00");
  }
  if (!std::regex_match(options.plan_id, std::regex("^[a-z0-9][a-z0-9-]*$"))) {
    fail(fmt::format("--plan-id '{}' may use only lower-case letters, digits and '-'",
                     options.plan_id));
  }
  const RotationRule rule = make_rule(options);
  print_plan_yaml(options, rule, propose_rotation(rule));
}

}  // namespace

void add_rotate_command(CLI::App& app) {
  auto options = std::make_shared<RotateOptions>();
  auto* command = app.add_subcommand(
      "rotate", "Propose dates for a rotation (one date per team per meeting) as plan YAML");
  command->add_option("--weekday", options->weekday, "Weekday: MO TU WE TH FR SA SU")->required();
  command->add_option("--from", options->from, "First possible date (YYYY-MM-DD)")->required();
  command->add_option("--teams", options->teams, "Team keys, e.g. A,B,C")
      ->required()
      ->delimiter(',');
  command->add_option("--meetings", options->meetings, "Number of meetings")
      ->required()
      ->check(CLI::Range(1, 366));
  command->add_option("--blackout", options->blackouts,
                      "Range without meetings: FROM..TO (repeatable)");
  command->add_option("--plan-id", options->plan_id, "Plan id in the output")
      ->capture_default_str();
  command->add_option("--title", options->title, "Meeting title in the output")
      ->capture_default_str();
  command->add_option("--start", options->start, "Start time")->capture_default_str();
  command->add_option("--end", options->end, "End time")->capture_default_str();
  command->add_flag("--include-holidays", options->include_holidays,
                    "Allow meetings on Norwegian public holidays");
  command->callback([options] { run_rotate(*options); });
}

}  // namespace plancal::cli
