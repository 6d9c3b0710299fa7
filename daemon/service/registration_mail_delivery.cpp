#include "service/registration_mail_delivery.h"

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

/// After a failed send: marks the message failed or to be retried. True when the rest of the
/// batch should wait (the server was not reached).
bool note_meeting_failure(MeetingInvitationStore& store, const MeetingMail& stored,
                          const mail::SendError& error, std::int64_t now,
                          RegistrationMailReport& report) {
  const std::string what =
      std::string(mail::failure_kind_name(error.kind)) + " failure: " + error.message;
  if (error.kind == mail::FailureKind::Permanent) {
    keep(report, store.mark_failed(stored.id, what));
    ++report.failed;
    spdlog::warn("sign-up: meeting invitation {} for registration {} FAILED: {}", stored.id,
                 stored.registration_id, what);
    return false;
  }
  keep(report, store.mark_retry(stored.id, now + mail::retry_delay_seconds(stored.attempts), what));
  ++report.retrying;
  spdlog::warn("sign-up: meeting invitation {} for registration {} will be retried: {}", stored.id,
               stored.registration_id, what);
  return mail::failure_ends_batch(error);
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
  for (const auto& mail : *due) {
    auto claimed = store.mark_sending(mail.id, now, now + mail_lease_seconds(config.smtp));
    if (!claimed) {
      report.problems.push_back("database: " + claimed.error().message);
      return report;  // without the intent row, sending could not be exactly once
    }
    if (!*claimed) continue;  // another thread or process has it
    web::SignupMailContext context;
    context.plan = plan_named(plans, mail.registration.plan_id);
    context.link = link_for(config, mail, link_key);
    if (config.smtp) context.from = {config.smtp->from_name, config.smtp->from_address};
    context.now = now;
    const auto sent = sender.send(web::compose_signup_mail(mail, context));
    if (sent) {
      keep(report, store.mark_sent(mail.id, now));
      ++report.sent;
      spdlog::info("sign-up: mail {} for registration {} sent", mail.id, mail.registration.id);
      continue;
    }
    const std::string what = std::string(mail::failure_kind_name(sent.error().kind)) +
                             " failure: " + sent.error().message;
    if (sent.error().kind == mail::FailureKind::Permanent) {
      keep(report, store.mark_failed(mail.id, what));
      ++report.failed;
      spdlog::warn("sign-up: mail {} for registration {} FAILED: {}", mail.id, mail.registration.id,
                   what);
      continue;
    }
    keep(report, store.mark_retry(mail.id, now + mail::retry_delay_seconds(mail.attempts), what));
    ++report.retrying;
    spdlog::warn("sign-up: mail {} for registration {} will be retried: {}", mail.id,
                 mail.registration.id, what);
    if (mail::failure_ends_batch(sent.error())) break;
  }
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
  for (const auto& stored : *due) {
    auto claimed = store.mark_sending(stored.id, now, now + mail_lease_seconds(config.smtp));
    if (!claimed) {
      report.problems.push_back("database: " + claimed.error().message);
      return report;  // without the intent row, sending could not be exactly once
    }
    if (!*claimed) continue;  // another thread or process has it
    const auto sent = sender.send(meeting_message(config, stored, now));
    if (!sent) {
      if (note_meeting_failure(store, stored, sent.error(), now, report)) break;
      continue;
    }
    keep(report, store.mark_sent(stored.id, now));
    ++report.sent;
    spdlog::info("sign-up: meeting invitation {} ({} SEQUENCE {}) for registration {} sent",
                 stored.id, stored.method, stored.sequence, stored.registration_id);
  }
  return report;
}

}  // namespace plancal
