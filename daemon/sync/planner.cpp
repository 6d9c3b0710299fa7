#include "sync/planner.h"

#include <algorithm>
#include <set>

namespace plancal::sync {

namespace {

using Kind = Observation::Kind;

/// The plan-side view of one event while planning.
class Planner {
 public:
  explicit Planner(const PlannerInput& input) : input_(input) {}

  SyncPlan run() {
    std::set<std::string> wanted;
    for (const auto& desired : *input_.desired) {
      wanted.insert(desired.uid);
      const SyncItem* item = find_item(desired.uid);
      const Observation* seen = find_observation(desired.uid);
      if (item == nullptr) {
        plan_new(desired, seen);
      } else {
        plan_owned(desired, *item, seen);
      }
    }
    for (const auto& item : *input_.items) {
      if (!wanted.contains(item.uid)) plan_removed(item, find_observation(item.uid));
    }
    return std::move(plan_);
  }

 private:
  const SyncItem* find_item(const std::string& uid) const {
    const auto& items = *input_.items;
    const auto it = std::lower_bound(
        items.begin(), items.end(), uid,
        [](const SyncItem& item, const std::string& key) { return item.uid < key; });
    return it != items.end() && it->uid == uid ? &*it : nullptr;
  }

  const Observation* find_observation(const std::string& uid) const {
    const auto it = input_.observed->find(uid);
    return it == input_.observed->end() ? nullptr : &it->second;
  }

  /// The row of an event that holds what the plan says; `before` the row it replaces (nullptr
  /// when none), whose create attempt it keeps.
  SyncItem synced_row(const DesiredEvent& desired, const RemoteEvent& event,
                      const SyncItem* before) const {
    SyncItem row;
    row.uid = desired.uid;
    row.ref = event.ref;
    row.version = event.version;
    row.sent_hash = desired.hash;
    row.remote_hash = event.content_hash.value_or("");
    row.state = SyncItemState::Synced;
    row.updated_at = input_.now;
    row.sequence = event.sequence.value_or(desired.revision.sequence);
    if (before != nullptr) row.attempt = before->attempt;
    return row;
  }

  PlannedOperation& write(OperationKind kind, const DesiredEvent* desired, RemoteEvent current,
                          const std::string& uid, std::string reason, const SyncItem* before,
                          bool restores = false) {
    PlannedOperation planned;
    current.uid = uid;
    planned.operation = Operation{kind, desired, std::move(current)};
    planned.change =
        PlannedChange{kind, uid, desired ? desired->occurrence->summary : "", std::move(reason)};
    if (before != nullptr) planned.before = *before;
    planned.restores = restores;
    plan_.writes.push_back(std::move(planned));
    return plan_.writes.back();
  }

  /// A create. `retry`: the create `before` announced, tried again as the same attempt (it may
  /// have landed unseen, and an adapter makes a retry idempotent); else a new attempt.
  void create(const DesiredEvent& desired, std::string reason, const SyncItem* before,
              bool restores = false, bool retry = false) {
    RemoteEvent target;
    target.ref =
        before != nullptr && !before->ref.empty() ? before->ref : input_.ref_for_new(desired.uid);
    PlannedOperation& planned = write(OperationKind::Create, &desired, std::move(target),
                                      desired.uid, std::move(reason), before, restores);
    planned.operation.attempt = retry ? before->attempt : 0;
    planned.new_attempt = !retry;
    if (before != nullptr) planned.operation.min_sequence = before->sequence + 1;
  }

  void update(const DesiredEvent& desired, RemoteEvent current, std::string reason,
              const SyncItem* before, bool restores = false) {
    const int min_sequence = sequence_above(before, current);
    write(OperationKind::Update, &desired, std::move(current), desired.uid, std::move(reason),
          before, restores)
        .operation.min_sequence = min_sequence;
  }

  /// No row: a new event, or one a killed run created before it could record it.
  void plan_new(const DesiredEvent& desired, const Observation* seen) {
    if (seen == nullptr || seen->kind != Kind::Present) {
      create(desired, "new", nullptr);
      return;
    }
    ++plan_.adopted;
    if (holds_plancal_write(seen->event, desired.hash)) {
      plan_.settle.push_back(synced_row(desired, seen->event, nullptr));
    } else {
      update(desired, seen->event, "adopted, content differs", nullptr);
    }
  }

  void plan_owned(const DesiredEvent& desired, const SyncItem& item, const Observation* seen) {
    const Kind kind = seen != nullptr ? seen->kind : Kind::Unchanged;
    const bool plan_changed = desired.hash != item.sent_hash;
    if (item.state == SyncItemState::Kept) {
      plan_kept(desired, item, seen, plan_changed);
    } else if (item.state != SyncItemState::Synced) {
      plan_interrupted(desired, item, seen);
    } else if (kind == Kind::Unchanged) {
      if (plan_changed) {
        update(desired, RemoteEvent{item.ref, item.version, item.uid, {}}, "changed in the plan",
               &item);
      } else {
        ++plan_.unchanged;
      }
    } else if (kind == Kind::Gone) {
      plan_remote_deleted(desired, item, plan_changed);
    } else if (holds_what_was_written(seen->event, item)) {
      plan_benign_change(desired, item, seen->event, plan_changed);
    } else {
      plan_remote_edit(desired, item, seen->event, plan_changed);
    }
  }

  /// A write announced by a killed run: settle it against what the target holds now. A write
  /// that landed is counted as what its intent announced, since the killed run never did.
  void plan_interrupted(const DesiredEvent& desired, const SyncItem& item,
                        const Observation* seen) {
    if (seen == nullptr || seen->kind == Kind::Gone) {
      // A create that never landed is the same attempt again; anything else over a resource
      // that is gone now is a new create.
      create(desired, "interrupted write, redone", &item, false,
             item.state == SyncItemState::Creating);
    } else if (seen->kind == Kind::Present &&
               holds_plancal_write(seen->event, desired.hash, item.version)) {
      plan_.settle.push_back(synced_row(desired, seen->event, &item));
      count_landed(item.state);
    } else {
      const RemoteEvent current =
          seen->kind == Kind::Present ? seen->event : RemoteEvent{item.ref, item.version, {}, {}};
      update(desired, current, "interrupted write, redone", &item);
    }
  }

  void count_landed(SyncItemState intent) {
    if (intent == SyncItemState::Creating) {
      ++plan_.created;
    } else if (intent == SyncItemState::Updating) {
      ++plan_.updated;
    } else {
      ++plan_.unchanged;
    }
  }

  void plan_kept(const DesiredEvent& desired, const SyncItem& item, const Observation* seen,
                 bool plan_changed) {
    if (!plan_changed) {
      ++plan_.unchanged;
      return;
    }
    // A kept deletion is recorded without a version, and a later listing need not report the
    // deletion again: create the event then, rather than send an update with no condition.
    const bool present = seen != nullptr && seen->kind == Kind::Present;
    const bool gone = seen != nullptr && seen->kind == Kind::Gone;
    if (gone || (item.version.empty() && !present)) {
      create(desired, "changed in the plan (was deleted remotely)", &item);
      return;
    }
    const RemoteEvent current = present ? seen->event : RemoteEvent{item.ref, item.version, {}, {}};
    update(desired, current, "changed in the plan (was edited remotely)", &item);
  }

  void plan_remote_deleted(const DesiredEvent& desired, const SyncItem& item, bool plan_changed) {
    ++plan_.conflicts;
    plan_.notes.push_back(desired.uid + " was deleted in the calendar");
    if (overrides_remote_change(input_.policy, plan_changed)) {
      SyncItem gone = item;
      gone.ref = input_.ref_for_new(desired.uid);
      create(desired, "deleted in the calendar, restored", &gone, true);
      return;
    }
    SyncItem kept = item;
    kept.state = SyncItemState::Kept;
    kept.version.clear();
    kept.updated_at = input_.now;
    plan_.settle.push_back(kept);
  }

  void plan_benign_change(const DesiredEvent& desired, const SyncItem& item,
                          const RemoteEvent& event, bool plan_changed) {
    if (plan_changed) {
      update(desired, event, "changed in the plan", &item);
      return;
    }
    ++plan_.unchanged;
    SyncItem row = item;
    row.version = event.version;
    row.ref = event.ref;
    row.sequence = std::max(item.sequence, event.sequence.value_or(0));
    row.updated_at = input_.now;
    plan_.settle.push_back(row);
  }

  void plan_remote_edit(const DesiredEvent& desired, const SyncItem& item, const RemoteEvent& event,
                        bool plan_changed) {
    ++plan_.conflicts;
    plan_.notes.push_back(desired.uid + " was edited in the calendar");
    if (overrides_remote_change(input_.policy, plan_changed)) {
      update(desired, event, "edited in the calendar, restored", &item, true);
      return;
    }
    SyncItem kept = item;
    kept.state = SyncItemState::Kept;
    kept.version = event.version;
    kept.sequence = std::max(item.sequence, event.sequence.value_or(0));
    kept.updated_at = input_.now;
    plan_.settle.push_back(kept);
  }

  /// An event plancal owns that the plan no longer has.
  void plan_removed(const SyncItem& item, const Observation* seen) {
    if (seen != nullptr && seen->kind == Kind::Gone) {
      plan_.forget.push_back(item.uid);
      if (item.state == SyncItemState::Deleting) ++plan_.deleted;  // a killed run's delete
      return;
    }
    if (item.ref.empty()) {  // a create that never got a server id
      plan_.forget.push_back(item.uid);
      return;
    }
    const RemoteEvent current = seen != nullptr && seen->kind == Kind::Present
                                    ? seen->event
                                    : RemoteEvent{item.ref, item.version, item.uid, {}};
    write(OperationKind::Delete, nullptr, current, item.uid, "removed from the plan", &item);
  }

  const PlannerInput& input_;
  SyncPlan plan_;
};

}  // namespace

int SyncPlan::deletes() const {
  return static_cast<int>(std::count_if(writes.begin(), writes.end(), [](const auto& planned) {
    return planned.operation.kind == OperationKind::Delete;
  }));
}

bool overrides_remote_change(RemoteChangePolicy policy, bool plan_changed) {
  return policy == RemoteChangePolicy::Restore || plan_changed;
}

bool holds_what_was_written(const RemoteEvent& event, const SyncItem& item) {
  if (!event.content_hash) return false;
  return *event.content_hash == item.sent_hash ||
         (!item.remote_hash.empty() && *event.content_hash == item.remote_hash);
}

bool holds_plancal_write(const RemoteEvent& event, const std::string& hash,
                         const std::string& version_before) {
  if (event.content_hash) return *event.content_hash == hash;
  if (!version_before.empty() && event.version == version_before) return false;
  return event.stamped_hash == hash;
}

int sequence_above(const SyncItem* before, const RemoteEvent& current) {
  const int known = before != nullptr ? before->sequence : 0;
  return std::max(known, current.sequence.value_or(0)) + 1;
}

SyncPlan plan_sync(const PlannerInput& input) { return Planner(input).run(); }

std::optional<std::string> stopped_by_delete_rail(const SyncPlan& plan, std::size_t owned,
                                                  double max_share, bool allow_mass_delete) {
  const int deletes = plan.deletes();
  if (deletes == 0 || allow_mass_delete) return std::nullopt;
  if (static_cast<double>(deletes) <= max_share * static_cast<double>(owned)) return std::nullopt;
  return "the sync would delete " + std::to_string(deletes) + " of the " + std::to_string(owned) +
         " events plancal put in this calendar (more than " +
         std::to_string(static_cast<int>(max_share * 100)) +
         " %): nothing was changed. Check the plan and the target's audience; if the deletions "
         "are intended, run `plancal sync --allow-mass-delete`";
}

}  // namespace plancal::sync
