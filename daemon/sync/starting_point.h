#pragma once
/// Where a run starts from what the store remembers of its target, as pure functions: whether
/// that memory is about this calendar at all, whether the calendar must be found again, where
/// the listing starts, and which create attempt numbers are taken.
///
/// A changed endpoint (URL, mailbox) is another calendar: the rows go. A changed account may
/// reach the same calendar or another one (a server root leads to the account's own calendar
/// home, and a calendar found for one account may answer 301 or 403 to another): the calendar
/// is discovered again, and the rows go only when it turns out to be another calendar.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sync/state_store.h"

namespace plancal::sync {

struct StartingPoint {
  /// The store's rows and state are about another calendar: forget them before anything else.
  bool forget = false;
  /// The account changed: discover the calendar again (collection is ""), then keep the rows
  /// only if the same calendar is found (keeps_rows).
  bool rediscover = false;
  std::string collection;  ///< the calendar to use without discovery; "" = discover it
  std::string cursor;      ///< where the listing starts; "" = a full listing
  /// The highest create attempt number the target has used, in its state or in any row (a
  /// killed run's intents may hold numbers its state never saved); new ones go above it.
  std::int64_t last_attempt = 0;
};

/// `known`: the target's state, nullopt before its first run; `rows`: every row the store
/// holds for the target.
[[nodiscard]] StartingPoint starting_point(const std::optional<TargetSyncState>& known,
                                           const TargetIdentity& target,
                                           const std::vector<SyncItem>& rows);

/// After a rediscovery: whether the rows still describe the calendar found (`found`), given
/// the one the state named (`known_collection`).
[[nodiscard]] bool keeps_rows(const std::string& known_collection, const std::string& found);

}  // namespace plancal::sync
