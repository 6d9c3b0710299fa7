#include "sync/observation.h"

#include <algorithm>
#include <set>

namespace plancal::sync {

namespace {

using Kind = Observation::Kind;

bool is_pending(const SyncItem& item) {
  return item.state == SyncItemState::Creating || item.state == SyncItemState::Updating ||
         item.state == SyncItemState::Deleting;
}

/// The listing indexed by ref and by uid (a Graph listing names uids, a CalDAV one does not).
class ListingIndex {
 public:
  explicit ListingIndex(const RemoteListing& listing)
      : removed_(listing.removed.begin(), listing.removed.end()) {
    for (const auto& event : listing.changed) {
      by_ref_[event.ref] = &event;
      if (!event.uid.empty()) by_uid_[event.uid] = &event;
    }
  }

  [[nodiscard]] const RemoteEvent* find(const std::string& ref, const std::string& uid) const {
    if (auto it = by_ref_.find(ref); !ref.empty() && it != by_ref_.end()) return it->second;
    if (auto it = by_uid_.find(uid); it != by_uid_.end()) return it->second;
    return nullptr;
  }

  [[nodiscard]] bool removed(const std::string& ref) const { return removed_.contains(ref); }

 private:
  std::map<std::string, const RemoteEvent*> by_ref_;
  std::map<std::string, const RemoteEvent*> by_uid_;
  std::set<std::string> removed_;
};

/// Collects the reading: a resource that names its uid is judged now, one that does not is
/// fetched first.
class Reader {
 public:
  explicit Reader(const RemoteListing& listing) : listing_(listing), index_(listing) {}

  void read_item(const SyncItem& item) {
    const RemoteEvent* seen = index_.find(item.ref, item.uid);
    if (listing_.complete || index_.removed(item.ref)) {
      if (seen == nullptr) {
        out_.observed[item.uid] = Observation{Kind::Gone, {}};
      } else if (!is_pending(item) && !seen->version.empty() && seen->version == item.version) {
        out_.observed[item.uid] = Observation{Kind::Unchanged, {}};
      } else {
        look_closer(*seen, item.uid);
      }
    } else if (seen != nullptr && (seen->version.empty() || seen->version != item.version)) {
      look_closer(*seen, item.uid);
    } else if (is_pending(item) && !item.ref.empty()) {
      out_.to_fetch[item.ref] = item.uid;
    }
  }

  /// After a complete listing: a plan event with no row that the target holds anyway
  /// (written by a run killed before it could record it).
  void read_unowned(const DesiredEvent& event, const RefForNew& ref_for_new) {
    if (const RemoteEvent* seen = index_.find(ref_for_new(event.uid), event.uid)) {
      look_closer(*seen, event.uid);
    }
  }

  ListingReading take() { return std::move(out_); }

 private:
  void look_closer(const RemoteEvent& seen, const std::string& uid) {
    if (seen.uid.empty()) {
      out_.to_fetch[seen.ref] = uid;
    } else {
      out_.observed[uid] = Observation{Kind::Present, seen};
    }
  }

  const RemoteListing& listing_;
  ListingIndex index_;
  ListingReading out_;
};

bool owns(const std::vector<SyncItem>& items, const std::string& uid) {
  const auto it =
      std::lower_bound(items.begin(), items.end(), uid,
                       [](const SyncItem& item, const std::string& key) { return item.uid < key; });
  return it != items.end() && it->uid == uid;
}

}  // namespace

ListingReading read_listing(const RemoteListing& listing, const std::vector<SyncItem>& items,
                            const std::vector<DesiredEvent>& desired,
                            const RefForNew& ref_for_new) {
  Reader reader(listing);
  for (const auto& item : items) reader.read_item(item);
  if (listing.complete) {
    for (const auto& event : desired) {
      if (!owns(items, event.uid)) reader.read_unowned(event, ref_for_new);
    }
  }
  return reader.take();
}

void add_fetched(const FetchList& asked, const std::vector<RemoteEvent>& fetched,
                 Observations& observed) {
  for (const auto& [ref, uid] : asked) observed[uid] = Observation{Kind::Gone, {}};
  for (const auto& event : fetched) {
    const auto it = asked.find(event.ref);
    if (it == asked.end()) continue;
    if (!event.uid.empty() && event.uid != it->second) continue;  // someone else's resource
    observed[it->second] = Observation{Kind::Present, event};
  }
}

bool only_own_writes(const RemoteListing& listing, const std::vector<SyncItem>& items) {
  std::map<std::string, std::string> versions;  // ref -> version recorded
  for (const auto& item : items) versions[item.ref] = item.version;
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

}  // namespace plancal::sync
