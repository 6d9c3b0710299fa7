#pragma once
/// The one place that turns a config target into the remote calendars it stands for.
///
/// A CalDAV target is one calendar. A Microsoft 365 target is one mailbox, or with
/// `per_person` one mailbox per roster person with an email address (the email is the
/// mailbox's user principal name, the audience that person); all mailboxes of a target share
/// one HTTP connection pool and one access token, and each is reconciled on its own, so one
/// person's throttled or missing mailbox never holds up the others.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "config/targets.h"
#include "ical/preparation_alarm.h"
#include "plan/model.h"
#include "sync/remote_calendar.h"
#include "sync/state_store.h"

namespace plancal {

/// One remote calendar a config target stands for.
struct TargetInstance {
  sync::TargetIdentity identity;
  std::string audience;  ///< whose events: "all", "team:A", "person:kari", ...
  std::unique_ptr<sync::RemoteCalendar> remote;
};

/// The remote calendars of `target`, whose plan is `plan`. In a dry run no calendar is
/// created anywhere. `preparation_alarm` (reminders.alarm, nullopt when disabled) goes into
/// pushed meetings as it goes into the feeds: a VALARM on CalDAV, the reminder on Graph.
/// Every Graph target shares the process's per-mailbox limiter. A Graph target's calendars
/// build each occurrence's event once for all its mailboxes, so the occurrences they are given
/// must outlive them (graph/event_cache.h). Fails when a password or
/// client secret cannot be read (the message names the file, never the secret) or the HTTP
/// client cannot start.
[[nodiscard]] Result<std::vector<TargetInstance>> target_instances(
    const TargetConfig& target, const Plan& plan, bool dry_run,
    const std::optional<PreparationAlarm>& preparation_alarm);

}  // namespace plancal
