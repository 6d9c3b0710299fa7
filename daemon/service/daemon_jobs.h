#pragma once
/// The work `plancal daemon` hands to its background workers: syncing every push target and
/// sending due reminders. Each job opens its own connection to the state store (SQLite
/// connections are not shared across threads) and returns the one-line summary systemd shows
/// as STATUS=.

#include <string>

#include "config/config.h"
#include "service/daemon_loop.h"

namespace plancal {

/// One sync of every target of `config` (service/sync.h), logged.
[[nodiscard]] std::string run_sync_job(const Config& config);

/// One pass of the mail job: allocates the sign-up series whose registration has closed
/// (service/registration_allocation.h), then, with an `smtp:` section, plans and sends due
/// reminders (service/reminders.h) and the sign-up and meeting mails that are due; logged.
[[nodiscard]] std::string run_reminder_job(const Config& config);

/// Both of the above, for run_daemon.
[[nodiscard]] DaemonJobs daemon_jobs();

}  // namespace plancal
