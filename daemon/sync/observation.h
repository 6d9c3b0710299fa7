#pragma once
/// Reading a target's listing against what the store remembers: for each plancal event, was
/// it left alone, is it gone, or must it be fetched to be judged? Pure functions; the engine
/// does the fetching (engine.cpp) and the planner decides on the observations (planner.h).

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sync/remote_calendar.h"
#include "sync/state_store.h"

namespace plancal::sync {

/// What the engine saw of one plancal event in the target during this run.
struct Observation {
  enum class Kind {
    Unchanged,  ///< the resource is as the store remembers it (same version)
    Gone,       ///< no such resource
    Present,    ///< the resource exists; `event` is its current state (fetched)
  };
  Kind kind = Kind::Unchanged;
  RemoteEvent event;
};

/// Observations by uid. A uid with none: nothing new was seen of it (an incremental listing
/// that did not mention it), which the planner reads as Unchanged.
using Observations = std::map<std::string, Observation>;

/// Refs to fetch before their events can be judged, each with the uid it is fetched for.
using FetchList = std::map<std::string, std::string>;

/// Where a new event with this uid goes in the target (RemoteCalendar::ref_for_new).
using RefForNew = std::function<std::string(const std::string& uid)>;

struct ListingReading {
  Observations observed;
  FetchList to_fetch;
};

/// Reads `listing` against the store's `items` (sorted by uid): a resource at the version
/// the store remembers is Unchanged; one missing from a complete listing, or listed as
/// removed, is Gone; a new version, a write a killed run announced, or (after a complete
/// listing) a resource at the ref a `desired` event without a row would get, is fetched.
[[nodiscard]] ListingReading read_listing(const RemoteListing& listing,
                                          const std::vector<SyncItem>& items,
                                          const std::vector<DesiredEvent>& desired,
                                          const RefForNew& ref_for_new);

/// Adds what a fetch of `asked` found: a ref that came back holding its uid (or no uid) is
/// Present, anything else Gone (a ref now holding another uid is someone else's resource).
void add_fetched(const FetchList& asked, const std::vector<RemoteEvent>& fetched,
                 Observations& observed);

/// Whether every change in `listing` is one the store's `items` already record: plancal's
/// resources at the versions written. Others' resources do not count (plancal ignores them).
/// Used after a run's writes to decide whether the cursor may move past them.
[[nodiscard]] bool only_own_writes(const RemoteListing& listing,
                                   const std::vector<SyncItem>& items);

}  // namespace plancal::sync
