#pragma once
/// Invitations: every roster person with an email address and no personal link yet gets one
/// (a personal token across every plan) and an email with their page link and subscribe links,
/// exactly once as users see it (store/invitations.h).
///
/// One run (`plancal feed invite`):
///  1. decide (invite/planner.h) from the rosters of the config's plans, the tokens and the
///     invitations already planned; with --dry-run, only this, opening nothing for writing;
///  2. plan: each new invitation and its token in one transaction (the link derived from the
///     link key and a stored nonce, so a resend carries the same link);
///  3. send every due invitation, this run's and any an earlier run left planned or sending,
///     as reminders are sent: intent committed first, temporary failures retried with backoff
///     (here and by the daemon's loop), a permanent refusal marked failed.

#include <cstdint>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "base/secret.h"
#include "config/config.h"
#include "invite/planner.h"
#include "mail/sender.h"
#include "store/database.h"

namespace plancal {

struct InviteOptions {
  std::string people = "all";  ///< all, team:KEY, person:ID
  bool rotate = false;
  bool dry_run = false;
};

struct InviteReport {
  std::vector<invite::Decision> decisions;  ///< per selected person
  int planned = 0;                          ///< invitations planned by this run
  int sent = 0;
  int retrying = 0;
  int failed = 0;
  bool stopped_early = false;         ///< the mail server could not be reached; the rest wait
  std::vector<std::string> problems;  ///< plans that did not load, database errors
  std::vector<std::string> lines;     ///< one line per invitation sent, retried or failed
};

/// Decides, plans and sends (or, with dry_run, only decides). `sender` may be null for a dry
/// run. Errors: an unknown --people selection, a database or link-key failure before anything
/// was planned.
[[nodiscard]] Result<InviteReport> run_invitations(const Config& config, StateDatabase database,
                                                   const Clock& clock, mail::MailSender* sender,
                                                   const InviteOptions& options);

/// Sends the invitations that are due (a retry after a temporary failure); for the daemon's
/// loop. Does nothing, touching no file, when no invitation was ever planned.
[[nodiscard]] InviteReport send_due_invitations(const Config& config, StateDatabase database,
                                                const Clock& clock, mail::MailSender& sender);

/// A one-line description of a decision, for the command's output.
[[nodiscard]] std::string describe(const invite::Decision& decision);

}  // namespace plancal
