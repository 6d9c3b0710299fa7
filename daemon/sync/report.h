#pragma once
/// SyncReport: what one reconcile run of one target did (or, in a dry run, would do), for
/// the command line, the daemon's log and `plancal status`.

#include <string>
#include <vector>

#include "sync/remote_calendar.h"

namespace plancal::sync {

/// How a run ended. Partial and Failed runs are tried again at the next sync; a Stopped run
/// waits for a person (the mass-delete rail).
enum class SyncResult {
  Ok,       ///< the target holds what the plan says
  Partial,  ///< some events could not be written (listed in `problems`); the others were
  Failed,   ///< the target could not be synced (no answer, refused login, store error)
  Stopped,  ///< stopped before writing: the mass-delete rail
};

/// "ok", "partial", "failed", "stopped": the word the CLI prints and the store records.
[[nodiscard]] const char* to_string(SyncResult result);

/// One change the run made (or, in a dry run, would make).
struct PlannedChange {
  OperationKind kind = OperationKind::Create;
  std::string uid;
  std::string summary;  ///< the event's summary, for people reading a dry run
  std::string reason;   ///< "new", "changed in the plan", "removed from the plan", ...
};

struct SyncReport {
  std::string target;
  SyncResult result = SyncResult::Ok;
  int created = 0, updated = 0, deleted = 0, restored = 0, adopted = 0, unchanged = 0;
  int conflicts = 0;  ///< remote edits/deletions of plancal events seen in this run
  int failed = 0;     ///< events that could not be written (reported in `problems`)
  int requests = 0;   ///< HTTP requests this run made
  std::vector<PlannedChange> changes;
  std::vector<std::string> problems;  ///< one line each, free of secrets
  [[nodiscard]] bool ok() const { return result == SyncResult::Ok; }
};

}  // namespace plancal::sync
