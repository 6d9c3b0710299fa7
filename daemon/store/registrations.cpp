#include "store/registrations.h"

#include "store/query.h"

namespace plancal {

namespace {

constexpr std::string_view kRegistrationColumns =
    "id, plan_id, series_key, organisation, contact_name, email, participants, preferences, "
    "state, placed_row, confirm_nonce, change_nonce, created_at, expires_at, confirmed_at, "
    "updated_at";

RegistrationState registration_state_from(std::string_view text) {
  if (text == "confirmed") return RegistrationState::Confirmed;
  if (text == "placed") return RegistrationState::Placed;
  if (text == "waiting") return RegistrationState::Waiting;
  if (text == "withdrawn") return RegistrationState::Withdrawn;
  return RegistrationState::Unconfirmed;
}

/// Row keys are plan keys (no commas), kept as one comma-separated column.
std::string join_keys(const std::vector<std::string>& keys) {
  std::string joined;
  for (const auto& key : keys) {
    if (!joined.empty()) joined += ',';
    joined += key;
  }
  return joined;
}

std::vector<std::string> split_keys(const std::string& joined) {
  std::vector<std::string> keys;
  std::size_t start = 0;
  while (start < joined.size()) {
    const std::size_t comma = joined.find(',', start);
    const std::size_t end = comma == std::string::npos ? joined.size() : comma;
    keys.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return keys;
}

std::optional<std::string> optional_text(const sqlite::Statement& row, int column) {
  if (row.is_null(column)) return std::nullopt;
  return row.text(column);
}

RegistrationRecord read_registration(const sqlite::Statement& row) {
  RegistrationRecord r;
  r.id = row.int64(0);
  r.plan_id = row.text(1);
  r.series_key = row.text(2);
  r.organisation = row.text(3);
  r.contact_name = row.text(4);
  r.email = row.text(5);
  r.participants = static_cast<int>(row.int64(6));
  r.preferences = split_keys(row.text(7));
  r.state = registration_state_from(row.text(8));
  r.placed_row = optional_text(row, 9);
  r.confirm_nonce = row.text(10);
  r.change_nonce = row.text(11);
  r.created_at = row.int64(12);
  r.expires_at = row.int64(13);
  r.confirmed_at = row.optional_int64(14);
  r.updated_at = row.int64(15);
  return r;
}

/// The registrations matching `where`, in the order they were made; an error when a read fails.
template <class Bind>
Result<std::vector<RegistrationRecord>> select_registrations(sqlite::Database& db,
                                                             std::string_view where, Bind&& bind) {
  const auto faults_before = db.faults().count;
  auto rows = query_all<RegistrationRecord>(
      db,
      "SELECT " + std::string(kRegistrationColumns) + " FROM registrations WHERE " +
          std::string(where) + " ORDER BY id",
      std::forward<Bind>(bind), read_registration, "reading registrations");
  if (db.faults().count != faults_before) return Error{"reading registrations failed"};
  return rows;
}

Result<std::optional<RegistrationRecord>> select_one(sqlite::Database& db, std::string_view where,
                                                     const std::string& value,
                                                     std::int64_t now = 0) {
  auto rows =
      select_registrations(db, where, [&](sqlite::Statement& s) { s.bind(1, value).bind(2, now); });
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<RegistrationRecord>{};
  return std::optional<RegistrationRecord>{rows->front()};
}

Status add_history(sqlite::Database& db, std::int64_t id, std::int64_t at, RegistrationState state,
                   const std::optional<std::string>& row, const std::string& note) {
  return execute(db,
                 "INSERT INTO registration_history (registration_id, at, state, placed_row, note) "
                 "VALUES (?1, ?2, ?3, ?4, ?5)",
                 [&](sqlite::Statement& s) {
                   s.bind(1, id).bind(2, at).bind(3, to_string(state)).bind(5, note);
                   if (row) {
                     s.bind(4, *row);
                   } else {
                     s.bind_null(4);
                   }
                 });
}

Status plan_mail(sqlite::Database& db, std::int64_t id, const char* kind,
                 const std::string& message_id, std::int64_t now) {
  return execute(
      db,
      "INSERT INTO registration_mails (registration_id, kind, message_id, state, "
      "created_at) VALUES (?1, ?2, ?3, 'planned', ?4)",
      [&](sqlite::Statement& s) { s.bind(1, id).bind(2, kind).bind(3, message_id).bind(4, now); });
}

Status plan_placement_mail(sqlite::Database& db, const RegistrationPlacement& placement,
                           std::int64_t now) {
  return execute(
      db,
      "INSERT INTO registration_mails (registration_id, kind, message_id, state, "
      "created_at, note) VALUES (?1, 'placement', ?2, 'planned', ?3, ?4)",
      [&](sqlite::Statement& s) {
        s.bind(1, placement.id).bind(2, placement.message_id).bind(3, now).bind(4, placement.note);
      });
}

Status set_state(sqlite::Database& db, std::int64_t id, RegistrationState state,
                 const std::optional<std::string>& row, std::int64_t now) {
  return execute(
      db, "UPDATE registrations SET state = ?2, placed_row = ?3, updated_at = ?4 WHERE id = ?1",
      [&](sqlite::Statement& s) {
        s.bind(1, id).bind(2, to_string(state)).bind(4, now);
        if (row) {
          s.bind(3, *row);
        } else {
          s.bind_null(3);
        }
      });
}

}  // namespace

const char* to_string(RegistrationState state) {
  switch (state) {
    case RegistrationState::Unconfirmed:
      return "unconfirmed";
    case RegistrationState::Confirmed:
      return "confirmed";
    case RegistrationState::Placed:
      return "placed";
    case RegistrationState::Waiting:
      return "waiting";
    case RegistrationState::Withdrawn:
      return "withdrawn";
  }
  return "unconfirmed";
}

Result<RegistrationRecord> RegistrationStore::add(const NewRegistration& r, std::int64_t now) {
  auto session = database_.session();
  auto& db = session.db();
  auto transaction = sqlite::Transaction::begin(db);
  if (!transaction) return transaction.error();
  const std::int64_t expires_at = now + kUnconfirmedLifetimeSeconds;
  auto inserted = execute(
      db,
      "INSERT INTO registrations (plan_id, series_key, organisation, contact_name, email, "
      "participants, preferences, state, confirm_nonce, confirm_hash, change_nonce, change_hash, "
      "created_at, expires_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'unconfirmed', ?8, "
      "?9, ?10, ?11, ?12, ?13, ?12)",
      [&](sqlite::Statement& s) {
        s.bind(1, r.plan_id)
            .bind(2, r.series_key)
            .bind(3, r.organisation)
            .bind(4, r.contact_name)
            .bind(5, r.email)
            .bind(6, r.participants)
            .bind(7, join_keys(r.preferences))
            .bind(8, r.confirm_nonce)
            .bind(9, r.confirm_hash)
            .bind(10, r.change_nonce)
            .bind(11, r.change_hash)
            .bind(12, now)
            .bind(13, expires_at);
      });
  if (!inserted) return inserted.error();
  const std::int64_t id = db.last_insert_rowid();
  if (auto done = add_history(db, id, now, RegistrationState::Unconfirmed, std::nullopt,
                              "påmeldt, venter på bekreftelse");
      !done) {
    return done.error();
  }
  if (auto done = plan_mail(db, id, "confirm", r.confirm_message_id, now); !done) {
    return done.error();
  }
  if (auto committed = transaction->commit(); !committed) return committed.error();
  RegistrationRecord record;
  record.id = id;
  record.plan_id = r.plan_id;
  record.series_key = r.series_key;
  record.organisation = r.organisation;
  record.contact_name = r.contact_name;
  record.email = r.email;
  record.participants = r.participants;
  record.preferences = r.preferences;
  record.confirm_nonce = r.confirm_nonce;
  record.change_nonce = r.change_nonce;
  record.created_at = now;
  record.expires_at = expires_at;
  record.updated_at = now;
  return record;
}

Result<std::optional<RegistrationRecord>> RegistrationStore::find_by_confirm_hash(
    const std::string& confirm_hash, std::int64_t now) {
  auto session = database_.session();
  return select_one(session.db(),
                    "confirm_hash = ?1 AND (state != 'unconfirmed' OR expires_at > ?2)",
                    confirm_hash, now);
}

Result<std::optional<RegistrationRecord>> RegistrationStore::find_by_change_hash(
    const std::string& change_hash) {
  auto session = database_.session();
  return select_one(session.db(), "change_hash = ?1 AND ?2 = ?2", change_hash);
}

Result<std::optional<RegistrationRecord>> RegistrationStore::confirm(
    const std::string& confirm_hash, const std::string& receipt_message_id, std::int64_t now) {
  auto session = database_.session();
  auto& db = session.db();
  auto transaction = sqlite::Transaction::begin(db);
  if (!transaction) return transaction.error();
  auto found = select_one(db, "confirm_hash = ?1 AND (state != 'unconfirmed' OR expires_at > ?2)",
                          confirm_hash, now);
  if (!found || !*found) return found;
  RegistrationRecord record = **found;
  if (record.state != RegistrationState::Unconfirmed) return found;
  auto updated = execute(db,
                         "UPDATE registrations SET state = 'confirmed', confirmed_at = ?2, "
                         "updated_at = ?2 WHERE id = ?1",
                         [&](sqlite::Statement& s) { s.bind(1, record.id).bind(2, now); });
  if (!updated) return updated.error();
  if (auto done = add_history(db, record.id, now, RegistrationState::Confirmed, std::nullopt,
                              "e-postadressen bekreftet");
      !done) {
    return done.error();
  }
  if (auto done = plan_mail(db, record.id, "receipt", receipt_message_id, now); !done) {
    return done.error();
  }
  if (auto committed = transaction->commit(); !committed) return committed.error();
  record.state = RegistrationState::Confirmed;
  record.confirmed_at = now;
  record.updated_at = now;
  return std::optional<RegistrationRecord>{record};
}

Result<std::optional<RegistrationRecord>> RegistrationStore::withdraw(
    const std::string& change_hash, std::int64_t now) {
  auto session = database_.session();
  auto& db = session.db();
  auto transaction = sqlite::Transaction::begin(db);
  if (!transaction) return transaction.error();
  auto found = select_one(db, "change_hash = ?1 AND ?2 = ?2", change_hash);
  if (!found || !*found) return found;
  RegistrationRecord record = **found;
  if (record.state == RegistrationState::Withdrawn) return found;
  if (auto done = set_state(db, record.id, RegistrationState::Withdrawn, std::nullopt, now);
      !done) {
    return done.error();
  }
  if (auto done =
          add_history(db, record.id, now, RegistrationState::Withdrawn, std::nullopt, "trukket");
      !done) {
    return done.error();
  }
  if (auto committed = transaction->commit(); !committed) return committed.error();
  record.state = RegistrationState::Withdrawn;
  record.placed_row.reset();
  record.updated_at = now;
  return std::optional<RegistrationRecord>{record};
}

namespace {

/// Writes the placements that change a registration's state or row, inside the caller's
/// transaction; a registration withdrawn (or expired) meanwhile is left as it is. Returns
/// those written.
Result<std::vector<RegistrationPlacement>> write_changed_placements(
    sqlite::Database& db, const std::vector<RegistrationPlacement>& placements, std::int64_t now) {
  std::vector<RegistrationPlacement> written;
  for (const auto& placement : placements) {
    const auto state = placement.row ? RegistrationState::Placed : RegistrationState::Waiting;
    auto before =
        select_registrations(db, "id = ?1", [&](sqlite::Statement& s) { s.bind(1, placement.id); });
    if (!before) return before.error();
    if (before->empty() || before->front().state == RegistrationState::Withdrawn) continue;
    if (before->front().state == state && before->front().placed_row == placement.row) continue;
    if (!placement.message_id.empty()) {
      if (auto done = plan_placement_mail(db, placement, now); !done) return done.error();
    }
    if (auto done = set_state(db, placement.id, state, placement.row, now); !done) {
      return done.error();
    }
    if (auto done = add_history(db, placement.id, now, state, placement.row, placement.note);
        !done) {
      return done.error();
    }
    written.push_back(placement);
  }
  return written;
}

}  // namespace

Result<std::vector<RegistrationPlacement>> RegistrationStore::apply_placements(
    const std::vector<RegistrationPlacement>& placements, std::int64_t now) {
  auto session = database_.session();
  auto& db = session.db();
  auto transaction = sqlite::Transaction::begin(db);
  if (!transaction) return transaction.error();
  auto written = write_changed_placements(db, placements, now);
  if (!written) return written.error();
  if (auto done = transaction->commit(); !done) return done.error();
  return written;
}

Result<std::vector<RegistrationPlacement>> RegistrationStore::reallocate(
    const std::string& plan_id, const std::string& series_key, const PlacementDecision& decide,
    std::int64_t now) {
  auto session = database_.session();
  auto& db = session.db();
  auto transaction = sqlite::Transaction::begin(db);
  if (!transaction) return transaction.error();
  auto registrations =
      select_registrations(db, "plan_id = ?1 AND series_key = ?2",
                           [&](sqlite::Statement& s) { s.bind(1, plan_id).bind(2, series_key); });
  if (!registrations) return registrations.error();
  auto written = write_changed_placements(db, decide(*registrations), now);
  if (!written) return written.error();
  if (auto done = transaction->commit(); !done) return done.error();
  return written;
}

Result<int> RegistrationStore::expire_unconfirmed(std::int64_t now) {
  auto session = database_.session();
  auto done = execute(session.db(),
                      "DELETE FROM registrations WHERE state = 'unconfirmed' AND expires_at <= ?1",
                      [&](sqlite::Statement& s) { s.bind(1, now); });
  if (!done) return done.error();
  return session.db().changes();
}

Result<std::vector<RegistrationRecord>> RegistrationStore::registrations(
    const std::string& plan_id) {
  auto session = database_.session();
  return select_registrations(session.db(), "(?1 = '' OR plan_id = ?1)",
                              [&](sqlite::Statement& s) { s.bind(1, plan_id); });
}

Result<std::vector<RegistrationEvent>> RegistrationStore::history(std::int64_t registration_id) {
  auto session = database_.session();
  auto& db = session.db();
  const auto faults_before = db.faults().count;
  auto events = query_all<RegistrationEvent>(
      db,
      "SELECT at, state, placed_row, note FROM registration_history WHERE registration_id = ?1 "
      "ORDER BY id",
      [&](sqlite::Statement& s) { s.bind(1, registration_id); },
      [](const sqlite::Statement& row) {
        return RegistrationEvent{row.int64(0), registration_state_from(row.text(1)),
                                 optional_text(row, 2), row.text(3)};
      },
      "reading registration history");
  if (db.faults().count != faults_before) return Error{"reading registration history failed"};
  return events;
}

}  // namespace plancal
