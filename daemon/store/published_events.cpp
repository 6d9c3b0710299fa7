// PublishedEvents: reading what was published, and publish(): change detection and the one
// transaction that applies a plan's expansion.

#include "store/published_events.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "store/occurrence_codec.h"
#include "store/query.h"

namespace plancal {

namespace {

/// What the store recorded for one event of the plan before this publish.
struct Recorded {
  std::string content_hash;
  int sequence = 0;
  bool removed = false;
  std::string occurrence_json;
  std::int64_t last_modified = 0;

  /// The next revision: one sequence up, stamped `now` but never earlier than the last one,
  /// so a clock set back (or `publish --now` in the past) cannot make LAST-MODIFIED go back.
  [[nodiscard]] int next_sequence() const { return sequence + 1; }
  [[nodiscard]] std::int64_t next_stamp(std::int64_t now) const {
    return std::max(now, last_modified);
  }
};

StoredEvent read_event(const sqlite::Statement& row, Occurrence occurrence) {
  StoredEvent event;
  event.occurrence = std::move(occurrence);
  event.content_hash = row.text(1);
  event.revision.sequence = static_cast<int>(row.int64(2));
  event.revision.dtstamp = row.int64(3);
  event.revision.last_modified = row.int64(4);
  event.removed = row.text(5) == "removed";
  event.removed_at = row.optional_int64(6).value_or(0);
  event.revision.cancelled = event.removed;
  return event;
}

/// The sort key for events(): local start as text, which orders like the time itself.
std::string start_key(const Occurrence& o) {
  return format_date(o.start.date) + "T" + format_time(o.start.time);
}

/// Writes within the publish transaction, with the plan's id and the time of this publish.
class PublishWriter {
 public:
  PublishWriter(sqlite::Database& db, const Plan& plan, std::int64_t now)
      : db_(db), plan_(plan), now_(now) {}

  Status record_plan() {
    auto upsert = sqlite::Statement::prepare(
        db_,
        "INSERT INTO plans (plan_id, title, calendar_name, timezone, source_file, published_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (plan_id) DO UPDATE SET "
        "title = excluded.title, calendar_name = excluded.calendar_name, "
        "timezone = excluded.timezone, source_file = excluded.source_file, "
        "published_at = excluded.published_at");
    if (!upsert) return upsert.error();
    const auto& name = plan_.calendar_name.empty() ? plan_.title : plan_.calendar_name;
    upsert->bind(1, plan_.id).bind(2, plan_.title).bind(3, name).bind(4, plan_.timezone);
    upsert->bind(5, plan_.source_file).bind(6, now_);
    return upsert->run();
  }

  Result<std::map<std::string, Recorded>> recorded_events() {
    std::map<std::string, Recorded> recorded;
    auto query = sqlite::Statement::prepare(
        db_,
        "SELECT uid, content_hash, sequence, status, occurrence_json, last_modified FROM events "
        "WHERE plan_id = ?1");
    if (!query) return query.error();
    query->bind(1, plan_.id);
    for (;;) {
      auto row = query->step();
      if (!row) return row.error();
      if (!*row) break;
      recorded[query->text(0)] =
          Recorded{query->text(1), static_cast<int>(query->int64(2)), query->text(3) == "removed",
                   query->text(4), query->int64(5)};
    }
    return recorded;
  }

  Status insert(const Occurrence& o, const std::string& hash, const std::string& json) {
    auto prepared = cached(
        insert_,
        "INSERT INTO events (uid, plan_id, audience, content_hash, sequence, dtstamp, "
        "last_modified, status, removed_at, start_local, occurrence_json, first_published_at) "
        "VALUES (?1, ?2, ?3, ?4, 0, ?5, ?5, 'active', NULL, ?6, ?7, ?5)");
    if (!prepared) return prepared.error();
    sqlite::Statement& statement = **prepared;
    statement.bind(1, o.uid).bind(2, plan_.id).bind(3, o.audience).bind(4, hash);
    statement.bind(5, now_).bind(6, start_key(o)).bind(7, json);
    if (auto done = statement.run(); !done) {
      return Error{"cannot record event " + o.uid + ": " + done.error().message};
    }
    return Ok{};
  }

  /// A new revision: changed content, or an event that comes back after removal. The first
  /// revision keeps the version it replaces as the first published one.
  Status revise(const Occurrence& o, const std::string& hash, const std::string& json,
                const Recorded& before) {
    auto prepared =
        cached(revise_,
               "UPDATE events SET audience = ?2, content_hash = ?3, sequence = ?4, dtstamp = ?5, "
               "last_modified = ?5, status = 'active', removed_at = NULL, start_local = ?6, "
               "occurrence_json = ?7, first_occurrence_json = coalesce(first_occurrence_json, "
               "?8) WHERE uid = ?1");
    if (!prepared) return prepared.error();
    sqlite::Statement& statement = **prepared;
    statement.bind(1, o.uid).bind(2, o.audience).bind(3, hash).bind(4, before.next_sequence());
    statement.bind(5, before.next_stamp(now_)).bind(6, start_key(o)).bind(7, json);
    statement.bind(8, before.occurrence_json);
    return statement.run();
  }

  /// Same content for subscribers, but e.g. the source line moved: refresh the stored
  /// document without touching the revision.
  Status refresh_document(const Occurrence& o, const std::string& json) {
    auto prepared =
        cached(refresh_, "UPDATE events SET occurrence_json = ?2, start_local = ?3 WHERE uid = ?1");
    if (!prepared) return prepared.error();
    sqlite::Statement& statement = **prepared;
    statement.bind(1, o.uid).bind(2, json).bind(3, start_key(o));
    return statement.run();
  }

  Status remove(const std::string& uid, const Recorded& before) {
    auto prepared = cached(
        remove_,
        "UPDATE events SET status = 'removed', removed_at = ?2, sequence = ?3, dtstamp = ?2, "
        "last_modified = ?2 WHERE uid = ?1");
    if (!prepared) return prepared.error();
    sqlite::Statement& statement = **prepared;
    statement.bind(1, uid).bind(2, before.next_stamp(now_)).bind(3, before.next_sequence());
    return statement.run();
  }

  Status log(const PublishSummary& summary) {
    auto statement = sqlite::Statement::prepare(
        db_,
        "INSERT INTO publish_log (at, plan_id, added, changed, removed, unchanged) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!statement) return statement.error();
    statement->bind(1, now_).bind(2, plan_.id).bind(3, summary.added).bind(4, summary.changed);
    statement->bind(5, summary.removed).bind(6, summary.unchanged);
    return statement->run();
  }

 private:
  /// Prepares on first use and rewinds on later ones: a large plan runs the same few
  /// statements thousands of times.
  Result<sqlite::Statement*> cached(std::optional<sqlite::Statement>& slot, std::string_view sql) {
    if (slot) {
      slot->reset();
      return &*slot;
    }
    auto prepared = sqlite::Statement::prepare(db_, sql);
    if (!prepared) return prepared.error();
    slot.emplace(std::move(*prepared));
    return &*slot;
  }

  sqlite::Database& db_;
  const Plan& plan_;
  std::int64_t now_;
  std::optional<sqlite::Statement> insert_, revise_, refresh_, remove_;
};

/// Applies one occurrence and counts what it did.
Status apply_occurrence(PublishWriter& writer, const std::map<std::string, Recorded>& recorded,
                        const Occurrence& o, PublishSummary& summary) {
  const auto [json, hash] = encode_with_hash(o);
  const auto found = recorded.find(o.uid);
  if (found == recorded.end()) {
    ++summary.added;
    return writer.insert(o, hash, json);
  }
  const Recorded& before = found->second;
  if (before.removed) {
    ++summary.added;
    return writer.revise(o, hash, json, before);
  }
  if (before.content_hash != hash) {
    ++summary.changed;
    return writer.revise(o, hash, json, before);
  }
  ++summary.unchanged;
  return before.occurrence_json == json ? Status(Ok{}) : writer.refresh_document(o, json);
}

Status check_belongs(const Plan& plan, const Occurrence& o, std::set<std::string>& seen) {
  if (o.plan_id != plan.id) {
    return Error{"occurrence " + o.uid + " belongs to plan '" + o.plan_id + "', not '" + plan.id +
                 "'"};
  }
  if (!seen.insert(o.uid).second) return Error{"two occurrences have the UID " + o.uid};
  return Ok{};
}

Result<PublishSummary> apply_plan(PublishWriter& writer, const Plan& plan,
                                  const std::vector<Occurrence>& occurrences) {
  if (auto done = writer.record_plan(); !done) return done.error();
  auto recorded = writer.recorded_events();
  if (!recorded) return recorded.error();
  PublishSummary summary;
  std::set<std::string> seen;
  for (const auto& o : occurrences) {
    if (auto fits = check_belongs(plan, o, seen); !fits) return fits.error();
    if (auto done = apply_occurrence(writer, *recorded, o, summary); !done) return done.error();
  }
  for (const auto& [uid, before] : *recorded) {
    if (before.removed || seen.count(uid) != 0) continue;
    ++summary.removed;
    if (auto done = writer.remove(uid, before); !done) return done.error();
  }
  if (auto done = writer.log(summary); !done) return done.error();
  return summary;
}

}  // namespace

Result<PublishSummary> PublishedEvents::publish(const Plan& plan,
                                                const std::vector<Occurrence>& occurrences,
                                                std::int64_t now) {
  auto summaries = publish(std::vector<PlanExpansion>{{&plan, &occurrences}}, now);
  if (!summaries) return summaries.error();
  return summaries->front();
}

Result<std::vector<PublishSummary>> PublishedEvents::publish(
    const std::vector<PlanExpansion>& plans, std::int64_t now) {
  auto session = database_.session();
  auto transaction = sqlite::Transaction::begin(session.db());
  if (!transaction) return Error{"cannot start publishing: " + transaction.error().message};
  std::vector<PublishSummary> summaries;
  for (const auto& [plan, occurrences] : plans) {
    PublishWriter writer(session.db(), *plan, now);
    auto summary = apply_plan(writer, *plan, *occurrences);
    if (!summary) {
      return Error{"publishing " + plan->id +
                   " failed, nothing changed: " + summary.error().message};
    }
    summaries.push_back(*summary);
  }
  if (auto done = transaction->commit(); !done) {
    return Error{"publishing failed, nothing changed: " + done.error().message};
  }
  return summaries;
}

std::vector<StoredEvent> PublishedEvents::events(const std::string& plan_id) {
  auto session = database_.session();
  std::vector<StoredEvent> events;
  auto query = sqlite::Statement::prepare(
      session.db(),
      "SELECT occurrence_json, content_hash, sequence, dtstamp, last_modified, status, "
      "removed_at, first_occurrence_json FROM events WHERE plan_id = ?1 "
      "ORDER BY start_local, uid");
  if (!query) {
    log_store_error("reading events", query.error());
    return events;
  }
  query->bind(1, plan_id);
  for (;;) {
    auto row = query->step();
    if (!row) log_store_error("reading events of " + plan_id, row.error());
    if (!row || !*row) break;
    auto occurrence = decode_occurrence(query->text(0));
    if (!occurrence) {
      session.db().note_fault(occurrence.error());
      log_store_error("reading an event of " + plan_id, occurrence.error());
      continue;
    }
    StoredEvent event = read_event(*query, std::move(*occurrence));
    if (!query->is_null(7)) {
      auto first = decode_occurrence(query->text(7));
      if (!first) {
        session.db().note_fault(first.error());
        log_store_error("reading the first version of an event of " + plan_id, first.error());
        continue;
      }
      event.first_published = std::move(*first);
    }
    events.push_back(std::move(event));
  }
  return events;
}

std::vector<std::string> PublishedEvents::plan_ids() {
  auto session = database_.session();
  return query_all<std::string>(
      session.db(), "SELECT plan_id FROM plans ORDER BY plan_id", no_parameters,
      [](const sqlite::Statement& row) { return row.text(0); }, "reading plans");
}

std::optional<PublishedPlan> PublishedEvents::plan_info(const std::string& plan_id) {
  auto session = database_.session();
  auto plans = query_all<PublishedPlan>(
      session.db(),
      "SELECT title, calendar_name, timezone, published_at FROM plans WHERE plan_id = ?1",
      [&](sqlite::Statement& s) { s.bind(1, plan_id); },
      [&](const sqlite::Statement& row) {
        return PublishedPlan{plan_id, row.text(0), row.text(1), row.text(2), row.int64(3)};
      },
      "reading plan");
  if (plans.empty()) return std::nullopt;
  return plans.front();
}

std::int64_t PublishedEvents::last_publish_id() {
  auto session = database_.session();
  auto ids = query_all<std::int64_t>(
      session.db(), "SELECT coalesce(max(id), 0) FROM publish_log", no_parameters,
      [](const sqlite::Statement& row) { return row.int64(0); }, "reading the publish log");
  return ids.empty() ? 0 : ids.front();
}

}  // namespace plancal
