#include "service/registration_mail_delivery.h"

#include <spdlog/spdlog.h>

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

}  // namespace plancal
