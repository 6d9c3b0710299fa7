#include "sync/settlement.h"

#include <algorithm>

namespace plancal::sync {

namespace {

using Kind = Observation::Kind;

const std::string& uid_of(const PlannedOperation& planned) { return planned.operation.current.uid; }

Settlement forgotten(const PlannedOperation& planned, Tally tally) {
  Settlement settled;
  settled.forget.push_back(uid_of(planned));
  settled.tally = tally;
  return settled;
}

Settlement recorded(SyncItem row, Tally tally) {
  Settlement settled;
  settled.put.push_back(std::move(row));
  settled.tally = tally;
  return settled;
}

/// The SEQUENCE `planned` sends: the plan's revision, raised above what the target holds.
int sent_sequence(const PlannedOperation& planned) {
  return std::max(planned.operation.desired->revision.sequence, planned.operation.min_sequence);
}

/// The row of an event that now holds what plancal sent (or adopted).
SyncItem synced_row(const PlannedOperation& planned, const RemoteEvent& event, std::int64_t now) {
  const Operation& op = planned.operation;
  SyncItem row;
  row.uid = uid_of(planned);
  row.ref = event.ref;
  row.version = event.version;
  row.sent_hash = op.desired->hash;
  row.remote_hash = event.content_hash.value_or("");
  row.state = SyncItemState::Synced;
  row.updated_at = now;
  row.sequence = event.sequence.value_or(sent_sequence(planned));
  row.attempt = op.kind == OperationKind::Create ? op.attempt : planned.before.attempt;
  return row;
}

Settlement done(const PlannedOperation& planned, const WriteResult& result, std::int64_t now) {
  const Operation& op = planned.operation;
  if (op.kind == OperationKind::Delete) return forgotten(planned, Tally::Deleted);
  RemoteEvent written = result.event;
  if (written.ref.empty()) written.ref = op.current.ref;
  const Tally tally = planned.restores                   ? Tally::Restored
                      : op.kind == OperationKind::Create ? Tally::Created
                                                         : Tally::Updated;
  return recorded(synced_row(planned, written, now), tally);
}

/// One event the server refused: reported, its row put back as it was, the run goes on.
Settlement refused(const PlannedOperation& planned, const WriteResult& result) {
  Settlement settled;
  if (planned.before.uid.empty()) {
    settled.forget.push_back(uid_of(planned));
  } else {
    settled.put.push_back(planned.before);
  }
  settled.tally = Tally::Failed;
  settled.problem = uid_of(planned) + ": " + result.message;
  settled.result = SyncResult::Partial;
  return settled;
}

Settlement failed(std::string problem, Tally tally) {
  Settlement settled;
  settled.tally = tally;
  settled.problem = std::move(problem);
  settled.result = SyncResult::Failed;
  return settled;
}

/// A remote edit (`seen`) or deletion (nullptr) left in place by the keep policy, until the
/// plan changes it.
SyncItem kept_row(const PlannedOperation& planned, const RemoteEvent* seen, std::int64_t now) {
  SyncItem row = planned.before.uid.empty() ? intent_row(planned, now) : planned.before;
  row.state = SyncItemState::Kept;
  row.version = seen != nullptr ? seen->version : "";
  if (seen != nullptr) row.sequence = std::max(row.sequence, seen->sequence.value_or(0));
  row.updated_at = now;
  return row;
}

/// Whether the plan itself changed the event since plancal last wrote it: removed it, edited
/// it, or never had it written (planner.h: overrides_remote_change).
bool plan_changed(const PlannedOperation& planned) {
  const Operation& op = planned.operation;
  return op.kind == OperationKind::Delete || op.desired->hash != planned.before.sent_hash;
}

Settlement conflict(const PlannedOperation& planned, const std::string& what) {
  Settlement settled;
  settled.conflict = true;
  settled.note = uid_of(planned) + " " + what;
  return settled;
}

/// The resource is gone: a delete is done; a create is tried again; an update becomes a
/// restore, or a kept deletion where the policy keeps it.
Settlement after_gone(const PlannedOperation& planned, const SettleContext& context) {
  const Operation& op = planned.operation;
  if (op.kind == OperationKind::Delete) return forgotten(planned, Tally::Deleted);
  const bool creating = op.kind == OperationKind::Create;
  Settlement settled = creating ? Settlement{} : conflict(planned, "was deleted in the calendar");
  if (!creating && !overrides_remote_change(context.policy, plan_changed(planned))) {
    settled.put.push_back(kept_row(planned, nullptr, context.now));
    return settled;
  }
  PlannedOperation next = planned;
  next.operation.kind = OperationKind::Create;
  next.operation.current.ref = context.ref_for_new(uid_of(planned));
  next.operation.attempt = 0;
  next.new_attempt = true;  // whatever an earlier create made is gone: this one is new
  next.restores = !creating;
  settled.next = std::move(next);
  return settled;
}

/// The write again, against the resource as it is now.
PlannedOperation again_over(const PlannedOperation& planned, const RemoteEvent& seen) {
  PlannedOperation next = planned;
  if (planned.operation.kind != OperationKind::Delete) {
    next.operation.kind = OperationKind::Update;
    next.new_attempt = false;
    next.operation.min_sequence =
        std::max(planned.operation.min_sequence, sequence_above(&planned.before, seen));
  }
  next.operation.current = seen;
  next.operation.current.uid = uid_of(planned);
  return next;
}

/// Whether `seen`, read again after a write did not go through as sent, holds what that
/// write says. A stamp proves only a write of content other than the row's last: a restore
/// sends the content the stamp already names, so an event edited since still carries it.
bool holds_planned(const PlannedOperation& planned, const RemoteEvent& seen) {
  const std::string& hash = planned.operation.desired->hash;
  if (seen.content_hash) return *seen.content_hash == hash;
  return planned.before.sent_hash != hash && holds_plancal_write(seen, hash);
}

Settlement after_present(const PlannedOperation& planned, const RemoteEvent& seen,
                         const SettleContext& context) {
  const Operation& op = planned.operation;
  if (op.desired != nullptr && holds_planned(planned, seen)) {
    return recorded(synced_row(planned, seen, context.now), Tally::Adopted);
  }
  if (op.kind == OperationKind::Create) {  // a killed run wrote it: bring it up to date
    Settlement settled;
    settled.tally = Tally::Adopted;
    settled.next = again_over(planned, seen);
    return settled;
  }
  if (holds_what_was_written(seen, planned.before)) {
    Settlement settled;
    settled.next = again_over(planned, seen);
    return settled;
  }
  Settlement settled = conflict(planned, "was edited in the calendar");
  if (!overrides_remote_change(context.policy, plan_changed(planned))) {
    settled.put.push_back(kept_row(planned, &seen, context.now));
    return settled;
  }
  settled.next = again_over(planned, seen);
  settled.next->restores = true;
  return settled;
}

}  // namespace

SyncItem intent_row(const PlannedOperation& planned, std::int64_t now) {
  const Operation& op = planned.operation;
  SyncItem row = planned.before;
  row.uid = op.current.uid;
  row.ref = op.current.ref;
  row.version = op.kind == OperationKind::Create ? "" : op.current.version;
  if (op.desired != nullptr) row.sent_hash = op.desired->hash;
  if (op.kind == OperationKind::Create) row.attempt = op.attempt;
  row.state = op.kind == OperationKind::Create   ? SyncItemState::Creating
              : op.kind == OperationKind::Update ? SyncItemState::Updating
                                                 : SyncItemState::Deleting;
  row.updated_at = now;
  return row;
}

bool settles_alone(const PlannedOperation& planned, const WriteResult& result) {
  switch (result.outcome) {
    case Outcome::Exists:
    case Outcome::Conflict:
      return false;
    case Outcome::NotFound:
      return planned.operation.kind == OperationKind::Delete;
    default:
      return true;
  }
}

std::string look_at(const PlannedOperation& planned, const WriteResult& result) {
  if (result.outcome == Outcome::NotFound) return {};
  return result.event.ref.empty() ? planned.operation.current.ref : result.event.ref;
}

Settlement settle_answer(const PlannedOperation& planned, const WriteResult& result,
                         std::int64_t now) {
  switch (result.outcome) {
    case Outcome::Done:
    case Outcome::NotFound:  // a delete of something already gone
      return done(planned, result, now);
    case Outcome::Rejected:
      return refused(planned, result);
    case Outcome::Unauthorized:
      return failed(result.message, Tally::None);
    case Outcome::Failed:
    case Outcome::Exists:  // not final: settles_alone() sends these to settle_after_look
    case Outcome::Conflict:
      break;
  }
  return failed(uid_of(planned) + ": " + result.message, Tally::Failed);
}

Settlement settle_after_look(const PlannedOperation& planned, const Observation& seen,
                             const SettleContext& context) {
  if (seen.kind != Kind::Present) return after_gone(planned, context);
  return after_present(planned, seen.event, context);
}

Settlement give_up(const PlannedOperation& planned, int rounds) {
  Settlement settled;
  settled.tally = Tally::Failed;
  settled.problem = uid_of(planned) + ": still conflicting after " + std::to_string(rounds) +
                    " attempts; tried again next sync";
  settled.result = SyncResult::Partial;
  return settled;
}

}  // namespace plancal::sync
