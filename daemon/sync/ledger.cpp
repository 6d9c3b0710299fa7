#include "sync/ledger.h"

#include <spdlog/spdlog.h>

namespace plancal::sync {

RunLedger::RunLedger(const TargetIdentity& target, StateStore& state, const Clock& clock)
    : target_(target), state_(state), clock_(clock) {
  report_.target = target.key;
}

void RunLedger::put(const SyncItem& row) {
  if (auto done = state_.put_sync_item(target_.key, row); !done) {
    fail("cannot record sync state: " + done.error().message);
  }
}

void RunLedger::put(const std::vector<SyncItem>& rows) {
  if (rows.empty()) return;
  if (auto done = state_.put_sync_items(target_.key, rows); !done) {
    fail("cannot record sync state: " + done.error().message);
  }
}

void RunLedger::forget(const std::string& uid) {
  if (auto done = state_.delete_sync_item(target_.key, uid); !done) {
    fail("cannot record sync state: " + done.error().message);
  }
}

void RunLedger::count(const SyncPlan& plan) {
  report_.unchanged = plan.unchanged;
  report_.adopted = plan.adopted;
  report_.conflicts = plan.conflicts;
  report_.created = plan.created;
  report_.updated = plan.updated;
  report_.deleted = plan.deleted;
  for (const auto& note : plan.notes) spdlog::warn("target {}: {}", target_.key, note);
  for (const auto& planned : plan.writes) report_.changes.push_back(planned.change);
}

void RunLedger::settle(const SyncPlan& plan) {
  put(plan.settle);
  for (const auto& uid : plan.forget) forget(uid);
}

void RunLedger::apply(const Settlement& settled) {
  put(settled.put);
  book(settled);
}

void RunLedger::apply(const std::vector<Settlement>& settled) {
  std::vector<SyncItem> rows;
  for (const Settlement& one : settled) rows.insert(rows.end(), one.put.begin(), one.put.end());
  put(rows);
  for (const Settlement& one : settled) book(one);
}

void RunLedger::book(const Settlement& settled) {
  for (const auto& uid : settled.forget) forget(uid);
  tally(settled.tally);
  if (settled.conflict) ++report_.conflicts;
  if (!settled.note.empty()) spdlog::warn("target {}: {}", target_.key, settled.note);
  if (!settled.problem.empty()) report_.problems.push_back(settled.problem);
  raise(settled.result);
}

void RunLedger::fail(std::string problem) {
  report_.problems.push_back(std::move(problem));
  raise(SyncResult::Failed);
}

void RunLedger::stop(std::string problem) {
  report_.problems.push_back(std::move(problem));
  report_.result = SyncResult::Stopped;
}

bool RunLedger::halted() const {
  return report_.result == SyncResult::Failed || report_.result == SyncResult::Stopped;
}

/// The result only gets worse during a run: ok, then partial, then failed.
void RunLedger::raise(SyncResult result) {
  if (result == SyncResult::Failed && report_.result != SyncResult::Stopped) {
    report_.result = SyncResult::Failed;
  } else if (result == SyncResult::Partial && report_.result == SyncResult::Ok) {
    report_.result = SyncResult::Partial;
  }
}

void RunLedger::tally(Tally counter) {
  switch (counter) {
    case Tally::None:
      return;
    case Tally::Created:
      ++report_.created;
      return;
    case Tally::Updated:
      ++report_.updated;
      return;
    case Tally::Deleted:
      ++report_.deleted;
      return;
    case Tally::Restored:
      ++report_.restored;
      return;
    case Tally::Adopted:
      ++report_.adopted;
      return;
    case Tally::Failed:
      ++report_.failed;
      return;
  }
}

SyncReport RunLedger::finish(const RunEnd& end) {
  report_.requests = end.requests;
  if (report_.failed > 0) raise(SyncResult::Partial);
  if (!end.dry_run) {
    save_state(end);
    record_run(end);
  }
  return std::move(report_);
}

/// Where the next run starts: the calendar found and the cursor past this run's writes. A
/// stopped run saves nothing, so the next one plans from the same place.
void RunLedger::save_state(const RunEnd& end) {
  if (report_.result == SyncResult::Stopped || end.collection.empty()) return;
  std::string cursor;
  if (end.cursor) {
    cursor = *end.cursor;
  } else if (auto previous = state_.target_state(target_.key)) {
    cursor = previous->cursor;
  }
  const TargetSyncState state{target_.key,       target_.endpoint, end.collection,
                              std::move(cursor), target_.account,  last_attempt_};
  if (auto done = state_.save_target_state(state); !done) {
    report_.problems.push_back("cannot save the target's state: " + done.error().message);
  }
}

void RunLedger::record_run(const RunEnd& end) {
  SyncRun run;
  run.target = target_.key;
  run.started_at = end.started_at;
  run.finished_at = clock_.now_unix();
  run.result = to_string(report_.result);
  run.created = report_.created;
  run.updated = report_.updated;
  run.deleted = report_.deleted;
  run.restored = report_.restored;
  run.adopted = report_.adopted;
  run.conflicts = report_.conflicts;
  run.failed = report_.failed;
  run.requests = report_.requests;
  run.message = report_.problems.empty() ? "" : report_.problems.front();
  if (auto done = state_.record_sync_run(run); !done) {
    spdlog::error("target {}: cannot record the sync run: {}", target_.key, done.error().message);
  }
}

}  // namespace plancal::sync
