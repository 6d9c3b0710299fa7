#pragma once
/// RemoteChangePolicy: the one choice a target's owner makes about edits made in the remote
/// calendar. The sync planner acts on it; the config only reads it from the YAML.

namespace plancal {

/// What happens when someone edits or deletes a plancal event in the remote calendar.
enum class RemoteChangePolicy {
  Restore,  ///< the plan wins: the event is put back as the plan says (default)
  Keep,     ///< the remote edit or deletion stays until the plan itself changes the event
};

}  // namespace plancal
