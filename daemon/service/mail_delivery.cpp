#include "service/mail_delivery.h"

#include "service/run_log.h"

namespace plancal {

namespace {

struct UnsentMail {
  MailOutcome outcome = MailOutcome::Retrying;
  std::string what;         ///< "temporary failure: …"
  bool ends_batch = false;  ///< the server was not reached: the rest of the batch waits
};

/// Records a mail the server did not accept: failed for good, or retried with backoff.
UnsentMail record_unsent(MailQueue& queue, const QueuedMail& queued, const mail::SendError& error,
                         std::int64_t now, MailDeliveryReport& report) {
  UnsentMail unsent;
  unsent.what = std::string(mail::failure_kind_name(error.kind)) + " failure: " + error.message;
  if (error.kind == mail::FailureKind::Permanent) {
    keep_database_problem(report.problems, queue.mark_failed(queued.id, unsent.what));
    ++report.failed;
    unsent.outcome = MailOutcome::Failed;
    return unsent;
  }
  const std::int64_t next = now + mail::retry_delay_seconds(queued.attempts);
  keep_database_problem(report.problems, queue.mark_retry(queued.id, next, unsent.what));
  ++report.retrying;
  unsent.ends_batch = mail::failure_ends_batch(error);
  return unsent;
}

}  // namespace

MailDeliveryReport deliver_due_mails(MailQueue& queue, const std::vector<QueuedMail>& due,
                                     std::int64_t now, std::int64_t lease_seconds,
                                     mail::MailSender& sender, const MailDeliveryKind& kind) {
  MailDeliveryReport report;
  for (std::size_t i = 0; i < due.size(); ++i) {
    auto claimed = queue.mark_sending(due[i].id, now, now + lease_seconds);
    if (!claimed) {
      report.problems.push_back("database: " + claimed.error().message);
      report.stopped_early = true;  // without the intent row, sending could not be exactly once
      return report;
    }
    if (!*claimed) continue;  // another thread or process has it
    const auto sent = sender.send(kind.compose(i));
    if (sent) {
      keep_database_problem(report.problems, queue.mark_sent(due[i].id, now));
      ++report.sent;
      kind.tell(i, MailOutcome::Sent, "");
      continue;
    }
    const UnsentMail unsent = record_unsent(queue, due[i], sent.error(), now, report);
    kind.tell(i, unsent.outcome, unsent.what);
    if (unsent.ends_batch) {
      report.stopped_early = true;
      return report;
    }
  }
  return report;
}

}  // namespace plancal
