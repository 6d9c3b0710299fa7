#pragma once
/// The one delivery loop of outgoing mail (store/mail_queue.h), for invitations, sign-up mails
/// and meeting invitations alike: for each due mail, claim it (the intent, committed before
/// the mail server is contacted), send what the kind composes of it through the SMTP client,
/// and record the outcome: sent; failed for good on a permanent refusal; or retried later with
/// backoff, the rest of the batch waiting when the server was not reached. A mail another
/// process claimed a moment ago is skipped, so each goes out once, whoever calls.
///
/// The kind keeps what is its own: which mails are due (its store), how one is composed, and
/// what its log and report say of an outcome.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mail/sender.h"
#include "store/mail_queue.h"

namespace plancal {

enum class MailOutcome { Sent, Retrying, Failed };

struct MailDeliveryReport {
  int sent = 0;
  int retrying = 0;
  int failed = 0;
  /// The mail server could not be reached, or a claim could not be written: the rest wait.
  bool stopped_early = false;
  std::vector<std::string> problems;  ///< database errors, "database: <why>"
};

/// What the loop needs of one due mail: its row in the queue and the attempts made so far
/// (the backoff grows with them).
struct QueuedMail {
  std::int64_t id = 0;
  int attempts = 0;
};

/// What the kind does for the loop, by the index of a mail in the due list.
struct MailDeliveryKind {
  std::function<mail::MailMessage(std::size_t)> compose;
  /// Told every outcome, with the failure ("temporary failure: …"; empty when sent), for the
  /// kind's log and report. Never given the message: it may hold a link.
  std::function<void(std::size_t, MailOutcome, const std::string&)> tell;
};

/// Sends `due` (in order) through `queue`'s lease protocol, each claimed for `lease_seconds`.
[[nodiscard]] MailDeliveryReport deliver_due_mails(MailQueue& queue,
                                                   const std::vector<QueuedMail>& due,
                                                   std::int64_t now, std::int64_t lease_seconds,
                                                   mail::MailSender& sender,
                                                   const MailDeliveryKind& kind);

/// The same for a kind's own due records (anything with `id` and `attempts`): `compose(mail)`
/// makes its message, `tell(mail, outcome, what)` reports it.
template <class Mail, class Compose, class Tell>
[[nodiscard]] MailDeliveryReport deliver_due_mails(MailQueue& queue, const std::vector<Mail>& due,
                                                   std::int64_t now, std::int64_t lease_seconds,
                                                   mail::MailSender& sender, const Compose& compose,
                                                   const Tell& tell) {
  std::vector<QueuedMail> queued;
  queued.reserve(due.size());
  for (const Mail& item : due) queued.push_back({item.id, item.attempts});
  const MailDeliveryKind kind{[&](std::size_t i) { return compose(due[i]); },
                              [&](std::size_t i, MailOutcome outcome, const std::string& what) {
                                tell(due[i], outcome, what);
                              }};
  return deliver_due_mails(queue, queued, now, lease_seconds, sender, kind);
}

}  // namespace plancal
