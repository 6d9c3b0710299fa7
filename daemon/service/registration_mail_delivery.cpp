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

void keep(RegistrationMailReport& report, const Status& status) {
  if (!status) report.problems.push_back("database: " + status.error().message);
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

/// Sends `due` through the lease protocol both sign-up mail stores share: claims each mail,
/// sends what `compose` makes of it, and records the outcome (sent; failed for good; or
/// retried later, the rest of the batch waiting when the server was not reached). `label`
/// names a mail in the log ("mail 7 for registration 3").
template <typename Store, typename Mail, typename Compose, typename Label>
void deliver_due(const Config& config, Store& store, const std::vector<Mail>& due, std::int64_t now,
                 mail::MailSender& sender, const Compose& compose, const Label& label,
                 RegistrationMailReport& report) {
  for (const Mail& item : due) {
    auto claimed = store.mark_sending(item.id, now, now + mail_lease_seconds(config.smtp));
    if (!claimed) {
      report.problems.push_back("database: " + claimed.error().message);
      return;  // without the intent row, sending could not be exactly once
    }
    if (!*claimed) continue;  // another thread or process has it
    const auto sent = sender.send(compose(item));
    if (sent) {
      keep(report, store.mark_sent(item.id, now));
      ++report.sent;
      spdlog::info("sign-up: {} sent", label(item));
      continue;
    }
    const std::string what = std::string(mail::failure_kind_name(sent.error().kind)) +
                             " failure: " + sent.error().message;
    if (sent.error().kind == mail::FailureKind::Permanent) {
      keep(report, store.mark_failed(item.id, what));
      ++report.failed;
      spdlog::warn("sign-up: {} FAILED: {}", label(item), what);
      continue;
    }
    keep(report, store.mark_retry(item.id, now + mail::retry_delay_seconds(item.attempts), what));
    ++report.retrying;
    spdlog::warn("sign-up: {} will be retried: {}", label(item), what);
    if (mail::failure_ends_batch(sent.error())) return;
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
  const auto label = [](const RegistrationMail& mail) {
    return fmt::format("mail {} for registration {}", mail.id, mail.registration.id);
  };
  deliver_due(config, store, *due, now, sender, compose, label, report);
  return report;
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
  const auto label = [](const MeetingMail& stored) {
    return fmt::format("meeting invitation {} ({} SEQUENCE {}) for registration {}", stored.id,
                       stored.method, stored.sequence, stored.registration_id);
  };
  deliver_due(config, store, *due, now, sender, compose, label, report);
  return report;
}

}  // namespace plancal
