#include "service/registration_mail_delivery.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "store/meeting_invitations.h"
#include "store/registration_mails.h"
#include "store/secrets.h"
#include "web/signup_mail.h"
#include "web/signup_page.h"

namespace plancal {

namespace {

const Plan* plan_named(const std::vector<const Plan*>& plans, const std::string& id) {
  for (const Plan* plan : plans) {
    if (plan->id == id) return plan;
  }
  return nullptr;
}

std::string link_for(const Config& config, const RegistrationMail& mail, const Secret& key) {
  const RegistrationRecord& r = mail.registration;
  if (mail.kind == RegistrationMailKind::Confirm) {
    return config.feeds.public_url +
           web::confirm_link_path(derive_token_secret(key.reveal(), r.confirm_nonce));
  }
  return config.feeds.public_url +
         web::change_link_path(derive_token_secret(key.reveal(), r.change_nonce));
}

mail::MailMessage meeting_message(const Config& config, const MeetingMail& stored,
                                  std::int64_t now) {
  mail::MailMessage message;
  if (config.smtp) message.from = {config.smtp->from_name, config.smtp->from_address};
  message.to = {stored.recipient_name, stored.recipient};
  message.subject = stored.subject;
  message.text = stored.text;
  message.html = stored.html;
  message.calendar = stored.calendar;
  message.calendar_method = stored.method;
  message.message_id = stored.message_id;
  message.date = now;
  return message;
}

/// Logs an outcome of a sign-up mail named by `label` ("mail 7 for registration 3").
void log_signup_outcome(const std::string& label, MailOutcome outcome, const std::string& what) {
  switch (outcome) {
    case MailOutcome::Sent:
      spdlog::info("sign-up: {} sent", label);
      return;
    case MailOutcome::Failed:
      spdlog::warn("sign-up: {} FAILED: {}", label, what);
      return;
    case MailOutcome::Retrying:
      spdlog::warn("sign-up: {} will be retried: {}", label, what);
      return;
  }
}

}  // namespace

RegistrationMailReport send_due_registration_mails(const Config& config, StateDatabase database,
                                                   const std::vector<const Plan*>& plans,
                                                   const Secret& link_key, const Clock& clock,
                                                   mail::MailSender& sender) {
  RegistrationMailReport report;
  RegistrationMailStore store(std::move(database));
  const std::int64_t now = clock.now_unix();
  auto due = store.due(now);
  if (!due) {
    report.problems.push_back("database: " + due.error().message);
    return report;
  }
  const auto compose = [&](const RegistrationMail& mail) {
    web::SignupMailContext context;
    context.plan = plan_named(plans, mail.registration.plan_id);
    context.link = link_for(config, mail, link_key);
    if (mail.kind == RegistrationMailKind::Placement) {
      context.row_feed_link =
          config.feeds.public_url + web::row_feed_path(web::row_feed_secret(
                                        link_key.reveal(), mail.registration.change_nonce));
    }
    if (config.smtp) context.from = {config.smtp->from_name, config.smtp->from_address};
    context.now = now;
    return web::compose_signup_mail(mail, context);
  };
  const auto tell = [](const RegistrationMail& mail, MailOutcome outcome, const std::string& what) {
    log_signup_outcome(fmt::format("mail {} for registration {}", mail.id, mail.registration.id),
                       outcome, what);
  };
  return deliver_due_mails(store, *due, now, mail_lease_seconds(config.smtp), sender, compose,
                           tell);
}

RegistrationMailReport send_due_meeting_invitations(const Config& config, StateDatabase database,
                                                    const Clock& clock, mail::MailSender& sender) {
  RegistrationMailReport report;
  MeetingInvitationStore store(std::move(database));
  const std::int64_t now = clock.now_unix();
  auto due = store.due(now);
  if (!due) {
    report.problems.push_back("database: " + due.error().message);
    return report;
  }
  const auto compose = [&](const MeetingMail& stored) {
    return meeting_message(config, stored, now);
  };
  const auto tell = [](const MeetingMail& stored, MailOutcome outcome, const std::string& what) {
    log_signup_outcome(
        fmt::format("meeting invitation {} ({} SEQUENCE {}) for registration {}", stored.id,
                    stored.method, stored.sequence, stored.registration_id),
        outcome, what);
  };
  return deliver_due_mails(store, *due, now, mail_lease_seconds(config.smtp), sender, compose,
                           tell);
}

}  // namespace plancal
