#pragma once
/// The meeting invitations of placed registrations (iMIP, issue 17), planned: after an
/// allocation and after every publish, the planner (signup/invitation_planner.h) decides from
/// the plans as they are now, the registrations and what was last sent which REQUESTs and
/// CANCELs are due; each is rendered (ical/imip.h, with the Norwegian text of
/// web/signup_mail.h) and stored with its UID's new state in one transaction. Sending is
/// separate (service/registration_mail_delivery.h), so a crash between the two loses nothing.
/// Nothing is planned without an `smtp:` section: no mail could carry it.

#include <cstdint>
#include <vector>

#include "base/result.h"
#include "config/config.h"
#include "signup/invitation_planner.h"
#include "store/database.h"

namespace plancal {

/// Plans every message due; returns how many. `plans`: the loaded plans with their whole
/// expansions (registrations of other plans are left alone).
[[nodiscard]] Result<int> plan_meeting_invitations(const Config& config, StateDatabase database,
                                                   const std::vector<signup::PlanMeetings>& plans,
                                                   std::int64_t now);

/// The same from the config's plan files as they are now (those that load without errors),
/// for the daemon's mail job: a withdrawal made on the sign-up page gets its CANCELs within a
/// minute instead of at the next publish. Loads no plan when there is no registration.
[[nodiscard]] Result<int> plan_meeting_invitations_from_files(const Config& config,
                                                              StateDatabase database,
                                                              std::int64_t now);

}  // namespace plancal
