#pragma once
/// Microsoft 365 targets as sync instances: a mailbox target is one instance, a per-person
/// target one instance per roster person with an email address (the email is the mailbox's
/// user principal name, the audience that person). All instances of a target share one
/// HTTP connection pool and one access token; each mailbox is reconciled on its own, so one
/// person's throttled or missing mailbox never holds up the others.

#include <vector>

#include "base/result.h"
#include "config/targets.h"
#include "http/retry.h"
#include "plan/model.h"
#include "service/sync.h"

namespace plancal {

/// The instances of a target with a `graph:` section. Fails when the client secret cannot
/// be read (the message names the file, never the secret).
[[nodiscard]] Result<std::vector<TargetInstance>> graph_instances(const TargetConfig& target,
                                                                  const Plan& plan,
                                                                  const SyncRequest& request);

}  // namespace plancal
