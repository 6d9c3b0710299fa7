#pragma once
/// The test doubles every unit test shares, in one place: the network, the sleeper and the
/// sync engine's two collaborators stand in here, in memory, so that the code above them
/// runs as it does in production, only faster and scripted.
///
/// - RecordingSleeper: an http::Sleeper that records the waits instead of sleeping.
/// - ScriptedHttp: an http::HttpClient answering from a queue of scripted answers, or from a
///   handler for every request; keeps every request for assertions.
/// - MemorySyncState: the engine's state store (sync::StateStore) in memory.
/// - FakeCalendar: a calendar server in memory behind sync::RemoteCalendar. It keeps the
///   rules real servers keep (writes conditional on the version, one resource per UID, a
///   change log behind incremental listings, Graph's plancalHash stamps and strict
///   transactionIds, the SEQUENCE each write sends) and lets a test script what real servers
///   do to plancal: other people's edits and deletions, a race just before a write lands, a
///   refused event, a refused login, a failing server, a lost answer, a forgotten cursor, a
///   kill in mid-write.
/// - PlanEvents: what the plan wants, built by hand.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "expand/occurrence.h"
#include "http/client.h"
#include "http/retry.h"
#include "sync/remote_calendar.h"
#include "sync/state_store.h"

namespace plancal::testing {

// --- HTTP ---

/// Records the waits instead of sleeping.
class RecordingSleeper final : public http::Sleeper {
 public:
  void sleep_for(std::chrono::milliseconds duration) override { slept.push_back(duration); }
  std::vector<std::chrono::milliseconds> slept;
};

/// Answers each request with the next scripted answer (then()), or when none is queued with
/// the handler given at construction; without either, an Error that names the request.
/// Safe to call from several threads.
class ScriptedHttp final : public http::HttpClient {
 public:
  using Handler = std::function<Result<http::HttpResponse>(const http::HttpRequest&)>;

  ScriptedHttp() = default;
  explicit ScriptedHttp(Handler every_request) : fallback_(std::move(every_request)) {}

  void then(int status, std::string body = {}, http::Headers headers = {}) {
    http::HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.headers = std::move(headers);
    then([response](const http::HttpRequest&) { return response; });
  }
  void then(Handler handler) {
    const std::lock_guard lock(mutex_);
    script_.push_back(std::move(handler));
  }

  Result<http::HttpResponse> send(const http::HttpRequest& request) override {
    Handler handler;
    {
      const std::lock_guard lock(mutex_);
      sent.push_back(request);
      if (!script_.empty()) {
        handler = std::move(script_.front());
        script_.pop_front();
      } else {
        handler = fallback_;
      }
    }
    if (!handler) return Error{"no scripted answer for " + request.method + " " + request.url};
    return handler(request);
  }

  std::vector<http::HttpRequest> sent;

 private:
  std::mutex mutex_;
  std::deque<Handler> script_;
  Handler fallback_;
};

inline http::HttpResponse json_response(int status, const std::string& body,
                                        http::Headers headers = {}) {
  headers.set("Content-Type", "application/json");
  return http::HttpResponse{status, std::move(headers), body};
}

// --- the sync engine's state store ---

class MemorySyncState final : public sync::StateStore {
 public:
  std::optional<TargetSyncState> target_state(const std::string& target) override {
    const std::lock_guard lock(mutex_);
    const auto it = targets.find(target);
    if (it == targets.end()) return std::nullopt;
    return it->second;
  }
  Status save_target_state(const TargetSyncState& state) override {
    const std::lock_guard lock(mutex_);
    if (refuse_writes) return Error{"disk full"};
    targets[state.target] = state;
    return Ok{};
  }
  Status reset_target(const std::string& target) override {
    const std::lock_guard lock(mutex_);
    if (refuse_writes) return Error{"disk full"};
    targets.erase(target);
    items.erase(target);
    return Ok{};
  }
  std::vector<SyncItem> sync_items(const std::string& target) override {
    const std::lock_guard lock(mutex_);
    std::vector<SyncItem> rows;
    for (const auto& [uid, row] : items[target]) rows.push_back(row);
    return rows;
  }
  Status put_sync_item(const std::string& target, const SyncItem& item) override {
    const std::lock_guard lock(mutex_);
    if (refuse_writes) return Error{"disk full"};
    items[target][item.uid] = item;
    return Ok{};
  }
  Status delete_sync_item(const std::string& target, const std::string& uid) override {
    const std::lock_guard lock(mutex_);
    if (refuse_writes) return Error{"disk full"};
    items[target].erase(uid);
    return Ok{};
  }
  Status record_sync_run(const SyncRun& run) override {
    const std::lock_guard lock(mutex_);
    runs.push_back(run);
    return Ok{};
  }

  /// The row of `uid` in `target`, if any.
  [[nodiscard]] std::optional<SyncItem> row(const std::string& target, const std::string& uid) {
    const std::lock_guard lock(mutex_);
    const auto& rows = items[target];
    const auto it = rows.find(uid);
    if (it == rows.end()) return std::nullopt;
    return it->second;
  }

  bool refuse_writes = false;  ///< every write fails, as on a full disk
  std::map<std::string, std::map<std::string, SyncItem>> items;  ///< target -> uid -> row
  std::map<std::string, TargetSyncState> targets;
  std::vector<SyncRun> runs;

 private:
  std::mutex mutex_;
};

// --- what the plan wants ---

/// Events by uid with a summary; the summary is the content FakeCalendar hashes, so changing
/// it is a plan edit. Occurrences live in a std::map, so the DesiredEvents' pointers stay
/// valid while the PlanEvents lives.
class PlanEvents {
 public:
  PlanEvents& add(const std::string& uid, const std::string& summary) {
    Occurrence& occurrence = events_[uid];
    occurrence.uid = uid;
    occurrence.summary = summary;
    return *this;
  }
  PlanEvents& drop(const std::string& uid) {
    events_.erase(uid);
    return *this;
  }
  [[nodiscard]] std::vector<sync::DesiredEvent> desired() const {
    std::vector<sync::DesiredEvent> out;
    for (const auto& [uid, occurrence] : events_) {
      out.push_back(sync::DesiredEvent{uid, "", &occurrence, {}});
    }
    return out;
  }

 private:
  std::map<std::string, Occurrence> events_;
};

// --- a calendar server ---

/// Thrown by FakeCalendar::apply to stand in for a kill -9 in mid-write.
struct Killed {};

class FakeCalendar final : public sync::RemoteCalendar {
 public:
  /// How the server speaks, as the two adapters present it to the engine.
  enum class Flavor {
    /// CalDAV: refs chosen by plancal (/cal/UID.ics), listings by sync token that name refs
    /// and versions only, content hashes once fetched, a UID held by one resource only.
    Caldav,
    /// Graph: refs assigned by the server, every listing complete and naming uids, no
    /// content hashes at all.
    Graph,
  };

  struct Resource {
    std::string uid;
    std::string version;
    std::string content;  ///< the content hash of what it holds
    std::string stamp{};  ///< the hash plancal's last write stamped on it (Graph's plancalHash)
    int sequence = 0;     ///< its SEQUENCE
  };

  explicit FakeCalendar(Flavor flavor = Flavor::Caldav) : flavor_(flavor) {}

  // --- RemoteCalendar ---

  Status prepare(const std::string& known_collection) override {
    if (known_collection.empty()) {
      ++requests_;  // discovery
      ++discoveries;
      collection_ = discovered;
    } else {
      collection_ = known_collection;
    }
    return Ok{};
  }
  [[nodiscard]] std::string collection() const override { return collection_; }

  Result<sync::RemoteListing> changes(const std::string& cursor) override {
    ++requests_;
    if (listing_error) return Error{*listing_error};
    const bool from_start = cursor.empty() || flavor_ == Flavor::Graph || forget_cursors;
    sync::RemoteListing listing;
    listing.complete = from_start;
    listing.cursor = flavor_ == Flavor::Graph ? "full" : "seq:" + std::to_string(log_.size());
    if (from_start) {
      for (const auto& [ref, resource] : resources) listing.changed.push_back(listed(ref));
      return listing;
    }
    std::set<std::string> touched;
    for (std::size_t i = std::stoul(cursor.substr(4)); i < log_.size(); ++i) {
      touched.insert(log_[i]);
    }
    for (const auto& ref : touched) {
      if (resources.contains(ref)) {
        listing.changed.push_back(listed(ref));
      } else {
        listing.removed.push_back(ref);
      }
    }
    return listing;
  }

  [[nodiscard]] bool incremental() const override { return flavor_ == Flavor::Caldav; }

  Result<std::vector<sync::RemoteEvent>> fetch(const std::vector<std::string>& refs) override {
    ++requests_;
    std::vector<sync::RemoteEvent> found;
    for (const auto& ref : refs) {
      const auto it = resources.find(ref);
      if (it == resources.end()) continue;
      sync::RemoteEvent event{ref, it->second.version, it->second.uid, {}};
      if (flavor_ == Flavor::Caldav) {
        event.content_hash = it->second.content;
        event.sequence = it->second.sequence;
      } else if (!it->second.stamp.empty()) {
        event.stamped_hash = it->second.stamp;
      }
      found.push_back(std::move(event));
    }
    return found;
  }

  [[nodiscard]] std::string content_hash(const sync::DesiredEvent& event) const override {
    return "hash(" + event.occurrence->summary + ")";
  }

  [[nodiscard]] std::string ref_for_new(const std::string& uid) const override {
    return flavor_ == Flavor::Caldav ? collection_ + uid + ".ics" : "";
  }

  std::vector<sync::WriteResult> apply(const std::vector<sync::Operation>& ops) override {
    requests_ += flavor_ == Flavor::Caldav ? static_cast<int>(ops.size()) : 1;
    std::vector<sync::WriteResult> results;
    for (const auto& op : ops) {
      results.push_back(write(op));
      if (writes_before_kill && --*writes_before_kill == 0) {
        writes_before_kill.reset();
        throw Killed{};
      }
    }
    return results;
  }

  [[nodiscard]] std::size_t batch_size() const override { return batch; }
  [[nodiscard]] int requests() const override { return requests_; }

  // --- what other people (and other programs) do to the calendar ---

  /// Someone edits the event: new content, new version (and, as a scheduling-aware client
  /// does, a new SEQUENCE when given). plancal's stamp stays, as Outlook leaves it.
  void edit(const std::string& uid, const std::string& content,
            std::optional<int> sequence = std::nullopt) {
    const std::string ref = ref_of(uid);
    resources.at(ref).content = content;
    resources.at(ref).version = next_version();
    if (sequence) resources.at(ref).sequence = *sequence;
    log_.push_back(ref);
  }
  /// The server gives the event a new version without changing what it says.
  void touch(const std::string& uid) {
    const std::string ref = ref_of(uid);
    resources.at(ref).version = next_version();
    log_.push_back(ref);
  }
  void remove(const std::string& uid) {
    const std::string ref = ref_of(uid);
    resources.erase(ref);
    log_.push_back(ref);
  }
  /// Puts a resource in the calendar at `ref` ("" = where plancal would put `uid`).
  void put(const std::string& uid, const std::string& content, std::string ref = "") {
    if (ref.empty()) ref = flavor_ == Flavor::Caldav ? ref_for_new(uid) : "id-" + uid;
    resources[ref] = Resource{uid, next_version(), content};
    log_.push_back(ref);
  }

  // --- what the test scripts ---

  std::size_t batch = 2;                     ///< operations per apply()
  std::string discovered = "/cal/";          ///< the calendar discovery finds
  std::set<std::string> refuse;              ///< uids whose writes are refused (Rejected)
  std::set<std::string> fail;                ///< uids whose writes find no answer (Failed)
  std::set<std::string> lose_answers;        ///< uids whose writes land, answered Failed
  bool refuse_login = false;                 ///< every write: Unauthorized
  bool forget_cursors = false;               ///< the server no longer knows any cursor
  std::optional<std::string> listing_error;  ///< changes() fails with this message
  std::optional<int> writes_before_kill;     ///< apply() throws Killed after this many
  std::function<void(const sync::Operation&)> just_before;  ///< runs before each write lands

  // --- what the test reads ---

  std::map<std::string, Resource> resources;  ///< by ref
  std::vector<std::string> writes;            ///< "create UID", "update UID", "delete UID"
  /// uid -> the attempt of each create sent for it (Operation::attempt), in order.
  std::map<std::string, std::vector<std::int64_t>> attempts;
  int discoveries = 0;  ///< prepare() calls that had to find the calendar

  /// The content of the one resource holding `uid`; "" when none; fails on a duplicate.
  [[nodiscard]] std::string content_of(const std::string& uid) const {
    std::string content;
    int holders = 0;
    for (const auto& [ref, resource] : resources) {
      if (resource.uid != uid) continue;
      content = resource.content;
      ++holders;
    }
    return holders == 1 ? content : holders == 0 ? "" : "DUPLICATE";
  }

 private:
  [[nodiscard]] std::string next_version() { return "\"v" + std::to_string(++versions_) + "\""; }

  [[nodiscard]] std::string ref_of(const std::string& uid) const {
    for (const auto& [ref, resource] : resources) {
      if (resource.uid == uid) return ref;
    }
    throw std::logic_error("the calendar holds no " + uid);
  }

  [[nodiscard]] sync::RemoteEvent listed(const std::string& ref) const {
    const Resource& resource = resources.at(ref);
    sync::RemoteEvent event{
        ref, resource.version, flavor_ == Flavor::Graph ? resource.uid : std::string(), {}};
    if (flavor_ == Flavor::Graph && !resource.stamp.empty()) event.stamped_hash = resource.stamp;
    return event;
  }

  static sync::WriteResult answer(sync::Outcome outcome, std::string ref, std::string message) {
    sync::WriteResult result;
    result.outcome = outcome;
    result.event.ref = std::move(ref);
    result.message = std::move(message);
    return result;
  }

  sync::WriteResult write(const sync::Operation& op) {
    static const char* const kVerbs[] = {"create ", "update ", "delete "};
    writes.push_back(kVerbs[static_cast<int>(op.kind)] + op.current.uid);
    if (refuse_login) {
      return answer(sync::Outcome::Unauthorized, {},
                    "the server refused the login: check the target's username and password");
    }
    if (fail.contains(op.current.uid)) return answer(sync::Outcome::Failed, {}, "HTTP 503");
    if (refuse.contains(op.current.uid)) {
      return answer(sync::Outcome::Rejected, {}, "HTTP 403 (invalid calendar data)");
    }
    if (just_before) just_before(op);
    sync::WriteResult result = land(op);
    if (lose_answers.contains(op.current.uid) && result.outcome == sync::Outcome::Done) {
      return answer(sync::Outcome::Failed, {}, "no answer (the connection dropped)");
    }
    return result;
  }

  /// The write as the server makes it.
  sync::WriteResult land(const sync::Operation& op) {
    if (op.kind == sync::OperationKind::Create) return create(op);
    const auto it = resources.find(op.current.ref);
    if (it == resources.end()) return answer(sync::Outcome::NotFound, op.current.ref, "HTTP 404");
    if (!op.current.version.empty() && op.current.version != it->second.version) {
      return answer(sync::Outcome::Conflict, op.current.ref, "HTTP 412");
    }
    log_.push_back(op.current.ref);
    if (op.kind == sync::OperationKind::Delete) {
      resources.erase(it);
      return answer(sync::Outcome::Done, op.current.ref, {});
    }
    hold(it->second, op);
    it->second.version = next_version();
    return written(op.current.ref);
  }

  /// What a write puts in a resource: the content, plancal's stamp and the SEQUENCE sent.
  static void hold(Resource& resource, const sync::Operation& op) {
    resource.content = op.desired->hash;
    resource.stamp = op.desired->hash;
    resource.sequence = std::max(op.desired->revision.sequence, op.min_sequence);
  }

  sync::WriteResult create(const sync::Operation& op) {
    std::string ref = op.current.ref;
    if (flavor_ == Flavor::Caldav) {
      if (resources.contains(ref)) return answer(sync::Outcome::Exists, {}, "HTTP 412");
      for (const auto& [held_at, resource] : resources) {
        if (resource.uid == op.current.uid) {
          return answer(sync::Outcome::Exists, held_at, "HTTP 403 (no-uid-conflict)");
        }
      }
    } else {
      // Graph's transactionId, as strict as Exchange may be: a retry of a create that landed
      // gets the event it made; the id of a deleted event is refused for any later create.
      const std::string transaction =
          op.current.uid + "#" + op.desired->hash + "#" + std::to_string(op.attempt);
      if (const auto used = transactions_.find(transaction); used != transactions_.end()) {
        if (resources.contains(used->second)) return written(used->second);
        return answer(sync::Outcome::Rejected, {}, "HTTP 400 ErrorDuplicateTransactionId");
      }
      ref = "id-" + std::to_string(++ids_);
      transactions_[transaction] = ref;
    }
    attempts[op.current.uid].push_back(op.attempt);
    resources[ref] = Resource{op.current.uid, next_version(), {}};
    hold(resources[ref], op);
    log_.push_back(ref);
    return written(ref);
  }

  [[nodiscard]] sync::WriteResult written(const std::string& ref) const {
    const Resource& resource = resources.at(ref);
    sync::WriteResult result = answer(sync::Outcome::Done, ref, {});
    result.event.version = resource.version;
    result.event.uid = resource.uid;
    if (flavor_ == Flavor::Caldav) result.event.content_hash = resource.content;
    return result;
  }

  Flavor flavor_;
  std::string collection_;
  std::vector<std::string> log_;  ///< refs changed, in order: the change log behind cursors
  std::map<std::string, std::string> transactions_;  ///< Graph: transaction -> ref it made
  int requests_ = 0;
  int versions_ = 0;
  int ids_ = 0;
};

}  // namespace plancal::testing
