// plancal feed invite --config FILE [--people all|team:KEY|person:ID] [--rotate] [--dry-run]:
// gives every roster person with an email address who has no personal link yet a personal
// token and emails them their page link and subscribe links, exactly once (service/
// invitations.h). A rerun sends nothing new; one after a crash finishes what was left.

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/config_input.h"
#include "cli/now_option.h"
#include "cli/plan_input.h"
#include "service/invitations.h"
#include "service/reminders.h"

namespace plancal::cli {

namespace {

struct InviteCommandOptions {
  std::string config;
  std::string now;
  InviteOptions invite;
};

void print_report(const InviteReport& report, bool dry_run) {
  for (const auto& decision : report.decisions) {
    fmt::print("{}{}\n", dry_run ? "would " : "", describe(decision));
  }
  for (const auto& line : report.lines) fmt::print("{}\n", line);
  for (const auto& problem : report.problems) fmt::print(stderr, "plancal: {}\n", problem);
  if (dry_run) {
    fmt::print("dry run: nothing was planned, sent or written\n");
    return;
  }
  fmt::print("planned {} invitation(s); sent {}, retrying {}, failed {}{}\n", report.planned,
             report.sent, report.retrying, report.failed,
             report.stopped_early ? " (stopped: the mail server could not be used; run again "
                                    "later, or let the daemon retry)"
                                  : "");
}

void run_invite(const InviteCommandOptions& options) {
  spdlog::set_level(spdlog::level::warn);  // the report is the output
  const Config config = load_config_or_exit(options.config);
  const auto clock = make_clock(options.now);
  std::unique_ptr<mail::MailSender> sender;
  if (!options.invite.dry_run) {
    auto made = make_mail_sender(config);
    if (!made) fail(made.error().message + "; invitations are sent through it");
    sender = std::move(*made);
  }
  const StateDatabase database = options.invite.dry_run ? open_database_read_only_or_exit(config)
                                                        : open_database_or_exit(config);
  auto report = run_invitations(config, database, *clock, sender.get(), options.invite);
  if (!report) fail(report.error().message);
  print_report(*report, options.invite.dry_run);
  if (report->retrying + report->failed > 0 || !report->problems.empty()) {
    throw CLI::RuntimeError(1);
  }
}

}  // namespace

void add_feed_invite_command(CLI::App& feed) {
  auto options = std::make_shared<InviteCommandOptions>();
  auto* invite = feed.add_subcommand(
      "invite",
      "Email every roster person without a personal link their own page and subscribe links "
      "(exactly once)");
  invite->add_option("--config", options->config, "Daemon config file (YAML)")->required();
  invite->add_option("--people", options->invite.people, "all (default), team:KEY or person:ID");
  invite->add_flag("--rotate", options->invite.rotate,
                   "Revoke the chosen people's personal links and send them new ones");
  invite->add_flag("--dry-run", options->invite.dry_run,
                   "Show who would be invited; plan, send and write nothing");
  add_now_option(*invite, options->now);
  invite->callback([options] { run_invite(*options); });
}

}  // namespace plancal::cli
