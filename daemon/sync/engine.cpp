#include "sync/engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>

#include "sync/planner.h"

namespace plancal::sync {

namespace {

constexpr int kMaxRounds = 3;  ///< a write, its follow-up (adopt, restore), one more retry

using ObservationKind = Observation::Kind;

bool is_pending(const SyncItem& item) {
  return item.state == SyncItemState::Creating || item.state == SyncItemState::Updating ||
         item.state == SyncItemState::Deleting;
}

/// One reconcile run of one target.
class Run {
 public:
  Run(const TargetIdentity& target, std::vector<DesiredEvent> desired, RemoteCalendar& remote,
      SyncStateStore& store, const Clock& clock, const EngineOptions& options)
      : target_(target),
        desired_(std::move(desired)),
        remote_(remote),
        store_(store),
        clock_(clock),
        options_(options) {
    report_.target = target.key;
  }

  SyncReport execute() {
    const int requests_before = remote_.requests();
    started_at_ = clock_.now_unix();
    if (auto listing = start(); listing) {
      reconcile_with(*listing);
    }
    report_.requests = remote_.requests() - requests_before;
    finish();
    return std::move(report_);
  }

 private:
  void fail(std::string message) {
    report_.result = "failed";
    report_.problems.push_back(std::move(message));
  }

  /// Loads the state, prepares the target and asks it what changed.
  std::optional<RemoteListing> start() {
    auto state = store_.target_state(target_.key);
    if (state && state->endpoint != target_.endpoint) {
      spdlog::info("target {}: endpoint changed, forgetting what was synced to the old one",
                   target_.key);
      if (!options_.dry_run) {
        if (auto done = store_.reset_target(target_.key); !done) {
          fail("cannot reset the target's state: " + done.error().message);
          return std::nullopt;
        }
      }
      state.reset();
    }
    if (state) items_ = store_.sync_items(target_.key);
    std::sort(items_.begin(), items_.end(),
              [](const SyncItem& a, const SyncItem& b) { return a.uid < b.uid; });
    if (auto ready = remote_.prepare(state ? state->collection : ""); !ready) {
      fail(ready.error().message);
      return std::nullopt;
    }
    for (auto& event : desired_) event.hash = remote_.content_hash(event);
    auto listing = remote_.changes(state ? state->cursor : "");
    if (!listing) {
      fail(listing.error().message);
      return std::nullopt;
    }
    return std::move(*listing);
  }

  void reconcile_with(const RemoteListing& listing) {
    auto observed = observe(listing);
    if (!observed) return;
    PlannerInput input;
    input.desired = &desired_;
    input.items = &items_;
    input.observed = &*observed;
    input.policy = options_.on_remote_change;
    input.ref_for_new = [this](const std::string& uid) { return remote_.ref_for_new(uid); };
    input.now = clock_.now_unix();
    SyncPlan plan = plan_sync(input);
    report_.unchanged = plan.unchanged;
    report_.adopted = plan.adopted;
    report_.conflicts = plan.conflicts;
    for (const auto& note : plan.notes) spdlog::warn("target {}: {}", target_.key, note);
    for (const auto& planned : plan.writes) report_.changes.push_back(planned.change);
    if (!within_delete_rail(plan) || options_.dry_run) return;
    settle(plan);
    const bool writes = !plan.writes.empty();
    perform(std::move(plan.writes));
    if (report_.result == "failed") return;
    cursor_ = writes ? cursor_after_writes(listing) : listing.cursor;
  }

  /// The cursor to save after this run's writes. The listing's cursor predates them, and a
  /// server may leave a resource created after a sync token and deleted again out of the
  /// changes since that token (Xandikos does; RFC 6578 allows it): an event this run created
  /// and a user then deleted would never be seen. So ask once more, and move past this run's
  /// writes when they are all that changed; else keep the old cursor and look again next run.
  std::string cursor_after_writes(const RemoteListing& before) {
    if (before.cursor.empty() || !remote_.incremental()) return before.cursor;
    auto after = remote_.changes(before.cursor);
    if (!after || !only_own_writes(*after)) return before.cursor;
    return after->cursor;
  }

  /// Whether every change in `listing` is one the store already knows about: resources of
  /// plancal at the version recorded. Others' resources do not count (the engine ignores them).
  bool only_own_writes(const RemoteListing& listing) {
    std::map<std::string, std::string> versions;  // ref -> version recorded
    for (const auto& item : store_.sync_items(target_.key)) versions[item.ref] = item.version;
    std::set<std::string> listed;
    for (const auto& event : listing.changed) {
      const auto it = versions.find(event.ref);
      if (it == versions.end()) continue;
      if (it->second.empty() || it->second != event.version) return false;
      listed.insert(event.ref);
    }
    for (const auto& ref : listing.removed) {
      if (const auto it = versions.find(ref); it != versions.end() && !it->second.empty()) {
        return false;
      }
    }
    if (!listing.complete) return true;
    return std::all_of(versions.begin(), versions.end(), [&](const auto& entry) {
      return entry.second.empty() || listed.contains(entry.first);
    });
  }

  /// Refs to look at more closely, with the uid each is looked at for.
  using FetchList = std::map<std::string, std::string>;

  std::optional<std::map<std::string, Observation>> observe(const RemoteListing& listing) {
    std::map<std::string, const RemoteEvent*> by_ref;
    std::map<std::string, const RemoteEvent*> by_uid;
    for (const auto& event : listing.changed) {
      by_ref[event.ref] = &event;
      if (!event.uid.empty()) by_uid[event.uid] = &event;
    }
    const std::set<std::string> removed(listing.removed.begin(), listing.removed.end());
    auto lookup = [&](const std::string& ref, const std::string& uid) -> const RemoteEvent* {
      if (auto it = by_ref.find(ref); !ref.empty() && it != by_ref.end()) return it->second;
      if (auto it = by_uid.find(uid); it != by_uid.end()) return it->second;
      return nullptr;
    };
    std::map<std::string, Observation> observed;
    FetchList to_fetch;
    auto look_closer = [&](const RemoteEvent& seen, const std::string& uid) {
      if (seen.uid.empty()) {
        to_fetch[seen.ref] = uid;
      } else {
        observed[uid] = Observation{ObservationKind::Present, seen};
      }
    };
    for (const auto& item : items_) {
      const RemoteEvent* seen = lookup(item.ref, item.uid);
      if (listing.complete || removed.contains(item.ref)) {
        if (seen == nullptr) {
          observed[item.uid] = Observation{ObservationKind::Gone, {}};
        } else if (!is_pending(item) && !seen->version.empty() && seen->version == item.version) {
          observed[item.uid] = Observation{ObservationKind::Unchanged, {}};
        } else {
          look_closer(*seen, item.uid);
        }
      } else if (seen != nullptr && (seen->version.empty() || seen->version != item.version)) {
        look_closer(*seen, item.uid);
      } else if (is_pending(item) && !item.ref.empty()) {
        to_fetch[item.ref] = item.uid;
      }
    }
    if (listing.complete) find_adoptable(lookup, look_closer);
    if (!fetch_into(to_fetch, observed)) return std::nullopt;
    return observed;
  }

  /// After a full listing: plan events with no row that the target holds anyway (written by a
  /// run killed before it could record them).
  template <class Lookup, class LookCloser>
  void find_adoptable(Lookup& lookup, LookCloser& look_closer) {
    for (const auto& event : desired_) {
      const bool owned =
          std::binary_search(items_.begin(), items_.end(), event.uid,
                             [](const auto& a, const auto& b) { return uid_of(a) < uid_of(b); });
      if (owned) continue;
      if (const RemoteEvent* seen = lookup(remote_.ref_for_new(event.uid), event.uid)) {
        look_closer(*seen, event.uid);
      }
    }
  }

  static const std::string& uid_of(const SyncItem& item) { return item.uid; }
  static const std::string& uid_of(const std::string& uid) { return uid; }

  bool fetch_into(const FetchList& to_fetch, std::map<std::string, Observation>& observed) {
    if (to_fetch.empty()) return true;
    std::vector<std::string> refs;
    for (const auto& [ref, uid] : to_fetch) refs.push_back(ref);
    auto fetched = remote_.fetch(refs);
    if (!fetched) {
      fail(fetched.error().message);
      return false;
    }
    for (const auto& [ref, uid] : to_fetch) observed[uid] = Observation{ObservationKind::Gone, {}};
    for (auto& event : *fetched) {
      const auto it = to_fetch.find(event.ref);
      if (it == to_fetch.end()) continue;
      if (!event.uid.empty() && event.uid != it->second) continue;  // someone else's resource
      observed[it->second] = Observation{ObservationKind::Present, event};
    }
    return true;
  }

  bool within_delete_rail(const SyncPlan& plan) {
    const int deletes = plan.deletes();
    const auto owned = static_cast<int>(items_.size());
    if (deletes == 0 || options_.allow_mass_delete) return true;
    if (static_cast<double>(deletes) <= options_.max_delete_share * owned) return true;
    report_.result = "stopped";
    report_.problems.push_back(
        "the sync would delete " + std::to_string(deletes) + " of the " + std::to_string(owned) +
        " events plancal put in this calendar (more than " +
        std::to_string(static_cast<int>(options_.max_delete_share * 100)) +
        " %): nothing was changed. Check the plan and the target's audience; if the deletions "
        "are intended, run `plancal sync --allow-mass-delete`");
    return false;
  }

  void put(const SyncItem& item) {
    if (auto done = store_.put_sync_item(target_.key, item); !done) {
      fail("cannot record sync state: " + done.error().message);
    }
  }

  void forget(const std::string& uid) {
    if (auto done = store_.delete_sync_item(target_.key, uid); !done) {
      fail("cannot record sync state: " + done.error().message);
    }
  }

  void settle(const SyncPlan& plan) {
    for (const auto& item : plan.settle) put(item);
    for (const auto& uid : plan.forget) forget(uid);
  }

  SyncItem intent(const PlannedOperation& planned) const {
    const Operation& op = planned.operation;
    SyncItem row = planned.before;
    row.uid = op.current.uid;
    row.ref = op.current.ref;
    row.version = op.kind == OperationKind::Create ? "" : op.current.version;
    if (op.desired != nullptr) row.sent_hash = op.desired->hash;
    row.state = op.kind == OperationKind::Create   ? SyncItemState::Creating
                : op.kind == OperationKind::Update ? SyncItemState::Updating
                                                   : SyncItemState::Deleting;
    row.updated_at = clock_.now_unix();
    return row;
  }

  /// Writes in batches, each write announced in the store first; follow-ups (adopting an
  /// existing event, restoring a deleted one) run in the next round.
  void perform(std::vector<PlannedOperation> writes) {
    for (int round = 0; round < kMaxRounds && !writes.empty() && !stopped_; ++round) {
      std::vector<PlannedOperation> follow_ups;
      const std::size_t batch = std::max<std::size_t>(1, remote_.batch_size());
      for (std::size_t begin = 0; begin < writes.size() && !stopped_; begin += batch) {
        const std::size_t end = std::min(writes.size(), begin + batch);
        perform_batch(writes, begin, end, follow_ups);
      }
      writes = std::move(follow_ups);
    }
    for (const auto& planned : writes) {
      ++report_.failed;
      report_.problems.push_back(planned.change.uid + ": still conflicting after " +
                                 std::to_string(kMaxRounds) + " attempts; tried again next sync");
    }
  }

  void perform_batch(const std::vector<PlannedOperation>& writes, std::size_t begin,
                     std::size_t end, std::vector<PlannedOperation>& follow_ups) {
    std::vector<Operation> ops;
    for (std::size_t i = begin; i < end; ++i) {
      put(intent(writes[i]));
      ops.push_back(writes[i].operation);
    }
    if (report_.result == "failed") {
      stopped_ = true;
      return;
    }
    const std::vector<WriteResult> results = remote_.apply(ops);
    std::vector<std::pair<const PlannedOperation*, const WriteResult*>> to_settle;
    for (std::size_t i = begin; i < end; ++i) {
      const WriteResult& result = results.at(i - begin);
      if (!book(writes[i], result)) to_settle.emplace_back(&writes[i], &result);
    }
    settle_conflicts(to_settle, follow_ups);
  }

  /// Books a final outcome; false when the outcome needs a look at the resource first.
  bool book(const PlannedOperation& planned, const WriteResult& result) {
    const Operation& op = planned.operation;
    switch (result.outcome) {
      case Outcome::Done:
        book_done(planned, result);
        return true;
      case Outcome::NotFound:
        if (op.kind == OperationKind::Delete) {
          forget(op.current.uid);
          ++report_.deleted;
          return true;
        }
        return false;
      case Outcome::Exists:
      case Outcome::Conflict:
        return false;
      case Outcome::Rejected:
        book_rejected(planned, result);
        return true;
      case Outcome::Unauthorized:
        fail(result.message);
        stopped_ = true;
        return true;
      case Outcome::Failed:
        ++report_.failed;
        report_.result = "failed";
        report_.problems.push_back(op.current.uid + ": " + result.message);
        return true;
    }
    return true;
  }

  void book_done(const PlannedOperation& planned, const WriteResult& result) {
    const Operation& op = planned.operation;
    if (op.kind == OperationKind::Delete) {
      forget(op.current.uid);
      ++report_.deleted;
      return;
    }
    SyncItem row;
    row.uid = op.current.uid;
    row.ref = result.event.ref.empty() ? op.current.ref : result.event.ref;
    row.version = result.event.version;
    row.sent_hash = op.desired->hash;
    row.remote_hash = result.event.content_hash.value_or("");
    row.state = SyncItemState::Synced;
    row.updated_at = clock_.now_unix();
    put(row);
    if (planned.restores) {
      ++report_.restored;
    } else if (op.kind == OperationKind::Create) {
      ++report_.created;
    } else {
      ++report_.updated;
    }
  }

  void book_rejected(const PlannedOperation& planned, const WriteResult& result) {
    ++report_.failed;
    if (report_.result == "ok") report_.result = "partial";
    report_.problems.push_back(planned.operation.current.uid + ": " + result.message);
    if (planned.before.uid.empty()) {
      forget(planned.operation.current.uid);
    } else {
      put(planned.before);
    }
  }

  /// 412 on create or update, 404 on update: look at the resource and decide again.
  void settle_conflicts(
      const std::vector<std::pair<const PlannedOperation*, const WriteResult*>>& pending,
      std::vector<PlannedOperation>& follow_ups) {
    if (pending.empty()) return;
    FetchList to_fetch;
    for (const auto& [planned, result] : pending) {
      const std::string& ref =
          result->event.ref.empty() ? planned->operation.current.ref : result->event.ref;
      if (result->outcome != Outcome::NotFound && !ref.empty()) {
        to_fetch[ref] = planned->operation.current.uid;
      }
    }
    std::map<std::string, Observation> observed;
    if (!fetch_into(to_fetch, observed)) {
      stopped_ = true;
      return;
    }
    for (const auto& [planned, result] : pending) {
      const auto it = observed.find(planned->operation.current.uid);
      const Observation seen =
          it != observed.end() ? it->second : Observation{ObservationKind::Gone, {}};
      follow_up(*planned, seen, follow_ups);
    }
  }

  void follow_up(const PlannedOperation& planned, const Observation& seen,
                 std::vector<PlannedOperation>& follow_ups) {
    PlannedOperation next = planned;
    const Operation& op = planned.operation;
    const bool creating = op.kind == OperationKind::Create;
    if (seen.kind != ObservationKind::Present) {
      if (op.kind == OperationKind::Delete) {
        forget(op.current.uid);
        ++report_.deleted;
        return;
      }
      if (!creating) note_conflict(op.current.uid, "was deleted in the calendar");
      if (!creating && options_.on_remote_change == RemoteChangePolicy::Keep) {
        keep(planned, "");
        return;
      }
      next.operation.kind = OperationKind::Create;
      next.operation.current.ref = remote_.ref_for_new(op.current.uid);
      next.restores = !creating;
      follow_ups.push_back(std::move(next));
      return;
    }
    if (op.desired != nullptr && seen.event.content_hash == op.desired->hash) {
      adopt(planned, seen.event);  // it already says what the plan says
      return;
    }
    if (creating) {
      ++report_.adopted;  // the event exists (a killed run wrote it): bring it up to date
    } else if (!holds_what_was_written(seen.event, planned.before)) {
      note_conflict(op.current.uid, "was edited in the calendar");
      if (options_.on_remote_change == RemoteChangePolicy::Keep) {
        if (op.kind == OperationKind::Delete) {
          forget(op.current.uid);
        } else {
          keep(planned, seen.event.version);
        }
        return;
      }
      next.restores = true;
    }
    if (!creating && op.kind == OperationKind::Delete) {
      next.operation.current = seen.event;
    } else {
      next.operation.kind = OperationKind::Update;
      next.operation.current = seen.event;
    }
    next.operation.current.uid = op.current.uid;
    follow_ups.push_back(std::move(next));
  }

  void note_conflict(const std::string& uid, const std::string& what) {
    ++report_.conflicts;
    spdlog::warn("target {}: {} {}", target_.key, uid, what);
  }

  void adopt(const PlannedOperation& planned, const RemoteEvent& event) {
    SyncItem row;
    row.uid = planned.operation.current.uid;
    row.ref = event.ref;
    row.version = event.version;
    row.sent_hash = planned.operation.desired->hash;
    row.remote_hash = event.content_hash.value_or("");
    row.updated_at = clock_.now_unix();
    put(row);
    ++report_.adopted;
  }

  void keep(const PlannedOperation& planned, const std::string& version) {
    SyncItem row = planned.before.uid.empty() ? intent(planned) : planned.before;
    row.state = SyncItemState::Kept;
    row.version = version;
    row.updated_at = clock_.now_unix();
    put(row);
  }

  void finish() {
    if (report_.result == "ok" && report_.failed > 0) report_.result = "partial";
    if (options_.dry_run) return;
    if (report_.result != "stopped" && !remote_.collection().empty()) {
      auto previous = store_.target_state(target_.key);
      TargetSyncState state{target_.key, target_.endpoint, remote_.collection(),
                            cursor_ ? *cursor_ : (previous ? previous->cursor : "")};
      if (auto done = store_.save_target_state(state); !done) {
        report_.problems.push_back("cannot save the target's state: " + done.error().message);
      }
    }
    SyncRun run;
    run.target = target_.key;
    run.started_at = started_at_;
    run.finished_at = clock_.now_unix();
    run.result = report_.result;
    run.created = report_.created;
    run.updated = report_.updated;
    run.deleted = report_.deleted;
    run.restored = report_.restored;
    run.adopted = report_.adopted;
    run.conflicts = report_.conflicts;
    run.failed = report_.failed;
    run.requests = report_.requests;
    run.message = report_.problems.empty() ? "" : report_.problems.front();
    if (auto done = store_.record_sync_run(run); !done) {
      spdlog::error("target {}: cannot record the sync run: {}", target_.key, done.error().message);
    }
  }

  const TargetIdentity& target_;
  std::vector<DesiredEvent> desired_;
  RemoteCalendar& remote_;
  SyncStateStore& store_;
  const Clock& clock_;
  const EngineOptions& options_;
  std::vector<SyncItem> items_;
  SyncReport report_;
  std::optional<std::string> cursor_;
  std::int64_t started_at_ = 0;
  bool stopped_ = false;
};

}  // namespace

SyncReport reconcile(const TargetIdentity& target, std::vector<DesiredEvent> desired,
                     RemoteCalendar& remote, SyncStateStore& store, const Clock& clock,
                     const EngineOptions& options) {
  return Run(target, std::move(desired), remote, store, clock, options).execute();
}

}  // namespace plancal::sync
