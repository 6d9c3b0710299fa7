#include "sync/engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>

#include "sync/observation.h"
#include "sync/planner.h"
#include "sync/starting_point.h"
#include "sync/writer.h"

namespace plancal::sync {

namespace {

/// One reconcile run of one target, step by step (engine.h).
class Run {
 public:
  Run(const TargetIdentity& target, std::vector<DesiredEvent> desired, RemoteCalendar& remote,
      StateStore& state, const Clock& clock, const EngineOptions& options, SyncObserver* observer)
      : desired_(std::move(desired)),
        remote_(remote),
        state_(state),
        options_(options),
        observer_(observer),
        ledger_(target, state, clock) {}

  SyncReport execute() {
    RunEnd end;
    end.started_at = ledger_.now();
    end.dry_run = options_.dry_run;
    const int requests_before = remote_.requests();
    end.cursor = sync();
    end.requests = remote_.requests() - requests_before;
    end.collection = remote_.collection();
    return ledger_.finish(end);
  }

 private:
  /// The steps; returns the cursor to save, or nullopt to keep the previous one.
  std::optional<std::string> sync() {
    std::optional<RemoteListing> listing = list();
    if (!listing) return std::nullopt;
    std::optional<Observations> observed = observe(*listing);
    if (!observed) return std::nullopt;
    SyncPlan plan = plan_sync(planner_input(*observed));
    ledger_.count(plan);
    if (auto problem = stopped_by_delete_rail(plan, items_.size(), options_.max_delete_share,
                                              options_.allow_mass_delete)) {
      ledger_.stop(std::move(*problem));
      return std::nullopt;
    }
    if (options_.dry_run) return std::nullopt;
    ledger_.settle(plan);
    const bool writes = !plan.writes.empty();
    Writer(remote_, ledger_, options_.on_remote_change, observer_).run(std::move(plan.writes));
    if (ledger_.halted()) return std::nullopt;
    return writes ? cursor_after_writes(*listing) : listing->cursor;
  }

  /// Loads what the store knows, prepares the target and asks it what changed.
  std::optional<RemoteListing> list() {
    const std::string& key = ledger_.target().key;
    const std::optional<TargetSyncState> known = state_.target_state(key);
    std::vector<SyncItem> rows = state_.sync_items(key);
    const StartingPoint start = starting_point(known, ledger_.target(), rows);
    ledger_.start_attempts(start.last_attempt);
    if (start.forget && !forget_old_state("endpoint changed")) return std::nullopt;
    // Rows without a saved state are a killed first run's intents: they hold the create
    // attempts it announced, so a retry reuses them and a create that landed unseen is not
    // made twice.
    if (!start.forget) items_ = std::move(rows);
    std::sort(items_.begin(), items_.end(),
              [](const SyncItem& a, const SyncItem& b) { return a.uid < b.uid; });
    if (auto ready = remote_.prepare(start.collection); !ready) {
      ledger_.fail(ready.error().message);
      return std::nullopt;
    }
    std::string cursor = start.cursor;
    if (start.rediscover && !keeps_rows(known->collection, remote_.collection())) {
      if (!forget_old_state("account changed and found another calendar")) return std::nullopt;
      items_.clear();
      cursor.clear();
    }
    for (auto& event : desired_) event.hash = remote_.content_hash(event);
    auto listing = remote_.changes(cursor);
    if (!listing) {
      ledger_.fail(listing.error().message);
      return std::nullopt;
    }
    return std::move(*listing);
  }

  bool forget_old_state(const char* why) {
    const std::string& key = ledger_.target().key;
    spdlog::info("target {}: {}, forgetting what was synced to the old calendar", key, why);
    if (options_.dry_run) return true;
    if (auto done = state_.reset_target(key); !done) {
      ledger_.fail("cannot reset the target's state: " + done.error().message);
      return false;
    }
    return true;
  }

  /// The listing read against the store's rows, with what had to be fetched to judge it.
  std::optional<Observations> observe(const RemoteListing& listing) {
    ListingReading reading = read_listing(listing, items_, desired_, ref_for_new());
    if (!look(remote_, reading.to_fetch, reading.observed, ledger_)) return std::nullopt;
    return std::move(reading.observed);
  }

  PlannerInput planner_input(const Observations& observed) {
    PlannerInput input;
    input.desired = &desired_;
    input.items = &items_;
    input.observed = &observed;
    input.policy = options_.on_remote_change;
    input.ref_for_new = ref_for_new();
    input.now = ledger_.now();
    return input;
  }

  RefForNew ref_for_new() {
    return [this](const std::string& uid) { return remote_.ref_for_new(uid); };
  }

  /// The cursor to save after this run's writes. The listing's cursor predates them, and a
  /// server may leave a resource created after a sync token and deleted again out of the
  /// changes since that token (Xandikos does; RFC 6578 allows it): an event this run created
  /// and a user then deleted would never be seen. So ask once more, and move past this run's
  /// writes when they are all that changed; else keep the old cursor and look again next run.
  std::string cursor_after_writes(const RemoteListing& before) {
    if (before.cursor.empty() || !remote_.incremental()) return before.cursor;
    auto after = remote_.changes(before.cursor);
    if (!after || !only_own_writes(*after, state_.sync_items(ledger_.target().key))) {
      return before.cursor;
    }
    return after->cursor;
  }

  std::vector<DesiredEvent> desired_;
  RemoteCalendar& remote_;
  StateStore& state_;
  const EngineOptions& options_;
  SyncObserver* observer_;
  RunLedger ledger_;
  std::vector<SyncItem> items_;  ///< the store's rows at the start, by uid
};

}  // namespace

SyncReport reconcile(const TargetIdentity& target, std::vector<DesiredEvent> desired,
                     RemoteCalendar& remote, StateStore& state, const Clock& clock,
                     const EngineOptions& options, SyncObserver* observer) {
  SyncReport report =
      Run(target, std::move(desired), remote, state, clock, options, observer).execute();
  if (observer != nullptr) observer->finished(report);
  return report;
}

}  // namespace plancal::sync
