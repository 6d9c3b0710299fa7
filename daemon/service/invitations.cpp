#include "service/invitations.h"

#include <memory>

#include "expand/audience.h"
#include "invite/invitation_mail.h"
#include "plan/loader.h"
#include "service/mail_delivery.h"
#include "service/run_log.h"
#include "store/feed_tokens.h"
#include "store/invitations.h"
#include "store/link_key.h"
#include "store/secrets.h"
#include "web/page_routes.h"

namespace plancal {

namespace {

/// The config's plans that load; the others are reported (their rosters are left out).
struct LoadedPlans {
  std::vector<Plan> plans;
  std::vector<std::string> problems;

  [[nodiscard]] std::vector<const Plan*> pointers() const {
    std::vector<const Plan*> out;
    for (const auto& plan : plans) out.push_back(&plan);
    return out;
  }
};

LoadedPlans load_plans(const Config& config) {
  LoadedPlans loaded;
  for (const auto& path : config.plan_files) {
    PlanLoad load = load_plan_file(path);
    if (load.plan) {
      loaded.plans.push_back(std::move(*load.plan));
    } else {
      loaded.problems.push_back(path +
                                ": the plan has errors; its roster is left out (run `plancal "
                                "validate " +
                                path + "`)");
    }
  }
  return loaded;
}

std::string message_id_for(const std::string& nonce, const Config& config) {
  return "<invitation." + sha256_hex(nonce).substr(0, 32) + "@" +
         config.reminders.message_id_domain + ">";
}

/// The mail for one invitation, with the link derived from the key and the stored nonce.
mail::MailMessage message_for(const Config& config, const LoadedPlans& loaded,
                              const InvitationRecord& r, const Secret& key, std::int64_t now) {
  const std::string secret = derive_token_secret(key.reveal(), r.nonce);
  const auto plans = loaded.pointers();
  invite::InvitationContent content;
  content.person_name = r.person_name;
  content.calendar_name = cross_plan_calendar_name(plans, "person:" + r.person_id);
  content.page_url = config.feeds.public_url + web::personal_page_path(secret);
  content.feed_url = subscribe_links(config.feeds, secret).https;
  for (const Plan* plan : plans) {
    for (const auto& person : plan->roster) {
      if (person.id == r.person_id) {
        content.programmes.push_back(plan->title);
        break;
      }
    }
  }
  if (config.smtp) content.sender_name = config.smtp->from_name;
  content.new_link = r.reason == "rotate";
  const auto text = invite::compose_invitation(content);
  mail::MailMessage message;
  if (config.smtp) message.from = {config.smtp->from_name, config.smtp->from_address};
  message.to = {r.person_name, r.email};
  message.subject = text.subject;
  message.text = text.text;
  message.html = text.html;
  message.message_id = r.message_id;
  message.date = now;
  return message;
}

/// What the command prints and the daemon logs of one invitation's outcome.
void note_outcome(InviteReport& report, const InvitationRecord& r, MailOutcome outcome,
                  const std::string& what) {
  const std::string who = r.person_name + " <" + r.email + ">";
  switch (outcome) {
    case MailOutcome::Sent:
      keep_and_log(report.lines, "invitations", "sent the invitation to " + who, false);
      return;
    case MailOutcome::Failed:
      keep_and_log(report.lines, "invitations",
                   "FAILED the invitation to " + who + ": " + what +
                       "; fix the address in the roster and run `plancal feed invite` again",
                   true);
      return;
    case MailOutcome::Retrying:
      keep_and_log(report.lines, "invitations",
                   "will retry the invitation to " + who + " later: " + what, true);
      return;
  }
}

/// Sends every due invitation through the outgoing-mail loop (service/mail_delivery.h).
void send_due(const Config& config, const LoadedPlans& loaded, InvitationStore& store,
              const std::vector<InvitationRecord>& due, const Secret& key, std::int64_t now,
              mail::MailSender& sender, InviteReport& report) {
  const auto compose = [&](const InvitationRecord& r) {
    return message_for(config, loaded, r, key, now);
  };
  const auto tell = [&](const InvitationRecord& r, MailOutcome outcome, const std::string& what) {
    note_outcome(report, r, outcome, what);
  };
  auto delivered =
      deliver_due_mails(store, due, now, mail_lease_seconds(config.smtp), sender, compose, tell);
  report.sent += delivered.sent;
  report.retrying += delivered.retrying;
  report.failed += delivered.failed;
  report.stopped_early = report.stopped_early || delivered.stopped_early;
  for (auto& problem : delivered.problems) report.problems.push_back(std::move(problem));
}

Status plan_one(InvitationStore& store, const invite::Decision& decision, const Secret& key,
                const Config& config, std::int64_t now) {
  auto nonce = generate_token_secret();
  if (!nonce) return nonce.error();
  NewInvitation invitation;
  invitation.person_id = decision.person.id;
  invitation.person_name = decision.person.name;
  invitation.email = decision.person.email;
  invitation.reason = decision.action == invite::Action::Rotate ? "rotate" : "new";
  invitation.nonce = *nonce;
  invitation.token_hash = sha256_hex(derive_token_secret(key.reveal(), *nonce));
  invitation.message_id = message_id_for(*nonce, config);
  invitation.revoke_token_ids = decision.revoke;
  auto planned = store.plan(invitation, now);
  if (!planned) return planned.error();
  return Ok{};
}

}  // namespace

Result<InviteReport> run_invitations(const Config& config, StateDatabase database,
                                     const Clock& clock, mail::MailSender* sender,
                                     const InviteOptions& options) {
  const auto selection = invite::parse_selection(options.people);
  if (!selection) return selection.error();
  const LoadedPlans loaded = load_plans(config);
  InviteReport report;
  report.problems = loaded.problems;
  InvitationStore store(database);
  FeedTokens tokens(database);
  auto decisions = invite::decide(invite::roster_people(loaded.pointers()), *selection,
                                  tokens.tokens(), store.invitations(), options.rotate);
  if (!decisions) return decisions.error();
  report.decisions = std::move(*decisions);
  if (options.dry_run || sender == nullptr) return report;

  auto key = load_or_create_link_key(config.database);
  if (!key) return key.error();
  const std::int64_t now = clock.now_unix();
  for (const auto& decision : report.decisions) {
    if (decision.action != invite::Action::Invite && decision.action != invite::Action::Rotate) {
      continue;
    }
    if (auto planned = plan_one(store, decision, *key, config, now); !planned) {
      report.problems.push_back("database: " + planned.error().message);
      return report;
    }
    ++report.planned;
  }
  send_due(config, loaded, store, store.due(now), *key, now, *sender, report);
  return report;
}

InviteReport send_due_invitations(const Config& config, StateDatabase database, const Clock& clock,
                                  mail::MailSender& sender) {
  InviteReport report;
  InvitationStore store(database);
  const std::int64_t now = clock.now_unix();
  const std::vector<InvitationRecord> due = store.due(now);
  if (due.empty()) return report;
  auto key = load_or_create_link_key(config.database);
  if (!key) {
    report.problems.push_back(key.error().message);
    return report;
  }
  const LoadedPlans loaded = load_plans(config);
  send_due(config, loaded, store, due, *key, now, sender, report);
  return report;
}

std::string describe(const invite::Decision& decision) {
  const auto& p = decision.person;
  const std::string who = p.name + (p.email.empty() ? "" : " <" + p.email + ">");
  switch (decision.action) {
    case invite::Action::Invite:
      return "invite " + who;
    case invite::Action::Rotate:
      return "new link for " + who + " (revokes " + std::to_string(decision.revoke.size()) +
             " old link(s))";
    case invite::Action::Pending:
      return "finish the invitation an earlier run planned for " + who;
    case invite::Action::HasLink:
      return "skip " + who + ": already has a personal link (--rotate makes a new one)";
    case invite::Action::NoEmail:
      return "skip " + who + ": no email address on the roster";
  }
  return who;
}

}  // namespace plancal
