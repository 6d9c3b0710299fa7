#include "store/schema.h"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <cstdio>

namespace plancal {

namespace {

constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE plans (
  plan_id       TEXT PRIMARY KEY,
  title         TEXT NOT NULL,
  calendar_name TEXT NOT NULL,
  timezone      TEXT NOT NULL,
  source_file   TEXT NOT NULL DEFAULT '',
  published_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE events (
  uid                TEXT PRIMARY KEY,
  plan_id            TEXT NOT NULL REFERENCES plans(plan_id),
  audience           TEXT NOT NULL,
  content_hash       TEXT NOT NULL,
  sequence           INTEGER NOT NULL CHECK (sequence >= 0),
  dtstamp            INTEGER NOT NULL,
  last_modified      INTEGER NOT NULL,
  status             TEXT NOT NULL CHECK (status IN ('active', 'removed')),
  removed_at         INTEGER,
  start_local        TEXT NOT NULL,
  occurrence_json    TEXT NOT NULL,
  first_published_at INTEGER NOT NULL
) STRICT;
CREATE INDEX events_by_plan ON events (plan_id, start_local, uid);

CREATE TABLE feed_tokens (
  id             INTEGER PRIMARY KEY,
  token_hash     TEXT NOT NULL UNIQUE,
  plan_id        TEXT NOT NULL REFERENCES plans(plan_id),
  audience       TEXT NOT NULL,
  label          TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  revoked_at     INTEGER,
  last_access_at INTEGER
) STRICT;

CREATE TABLE publish_log (
  id        INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  plan_id   TEXT NOT NULL,
  added     INTEGER NOT NULL,
  changed   INTEGER NOT NULL,
  removed   INTEGER NOT NULL,
  unchanged INTEGER NOT NULL
) STRICT;
)sql";

constexpr std::string_view kVersion2 = R"sql(
CREATE TABLE sync_targets (
  target     TEXT PRIMARY KEY,
  endpoint   TEXT NOT NULL,
  collection TEXT NOT NULL DEFAULT '',
  cursor     TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE sync_items (
  target      TEXT NOT NULL,
  uid         TEXT NOT NULL,
  ref         TEXT NOT NULL,
  version     TEXT NOT NULL DEFAULT '',
  sent_hash   TEXT NOT NULL DEFAULT '',
  remote_hash TEXT NOT NULL DEFAULT '',
  state       TEXT NOT NULL
              CHECK (state IN ('synced', 'creating', 'updating', 'deleting', 'kept')),
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (target, uid)
) STRICT;

CREATE TABLE sync_runs (
  id          INTEGER PRIMARY KEY,
  target      TEXT NOT NULL,
  started_at  INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  result      TEXT NOT NULL,
  created     INTEGER NOT NULL,
  updated     INTEGER NOT NULL,
  deleted     INTEGER NOT NULL,
  restored    INTEGER NOT NULL,
  adopted     INTEGER NOT NULL,
  conflicts   INTEGER NOT NULL,
  failed      INTEGER NOT NULL,
  requests    INTEGER NOT NULL,
  message     TEXT NOT NULL
) STRICT;
CREATE INDEX sync_runs_by_target ON sync_runs (target, id);
)sql";

constexpr std::string_view kVersion3 = R"sql(
CREATE TABLE reminders (
  id              TEXT PRIMARY KEY,
  plan_id         TEXT NOT NULL,
  kind            TEXT NOT NULL,
  recipient_id    TEXT NOT NULL,
  recipient_name  TEXT NOT NULL,
  recipient_email TEXT NOT NULL,
  due_at          INTEGER NOT NULL,
  subject         TEXT NOT NULL,
  body_text       TEXT NOT NULL,
  body_html       TEXT NOT NULL,
  content_hash    TEXT NOT NULL,
  when_key        TEXT NOT NULL,
  group_key       TEXT NOT NULL,
  uids            TEXT NOT NULL,
  message_id      TEXT NOT NULL,
  state           TEXT NOT NULL
                  CHECK (state IN ('planned', 'sending', 'sent', 'late', 'failed', 'cancelled')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  sent_at         INTEGER,
  last_error      TEXT NOT NULL DEFAULT '',
  updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX reminders_due ON reminders (state, due_at);
CREATE INDEX reminders_by_plan ON reminders (plan_id, state);
)sql";

// Personal links: a token may name no plan (plan_id NULL: every plan of the config in which
// its audience appears), and each token remembers when its page was last fetched beside its
// feed. SQLite cannot drop a NOT NULL in place, so the table is copied (ids and hashes kept:
// every link handed out keeps working). Events keep the version subscribers first got, set
// when they change for the first time, so pages can say what moved since.
constexpr std::string_view kVersion4 = R"sql(
CREATE TABLE feed_tokens_v4 (
  id                  INTEGER PRIMARY KEY,
  token_hash          TEXT NOT NULL UNIQUE,
  plan_id             TEXT REFERENCES plans(plan_id),
  audience            TEXT NOT NULL,
  label               TEXT NOT NULL DEFAULT '',
  created_at          INTEGER NOT NULL,
  revoked_at          INTEGER,
  last_access_at      INTEGER,
  last_page_access_at INTEGER
) STRICT;
INSERT INTO feed_tokens_v4
  (id, token_hash, plan_id, audience, label, created_at, revoked_at, last_access_at)
  SELECT id, token_hash, plan_id, audience, label, created_at, revoked_at, last_access_at
  FROM feed_tokens;
DROP TABLE feed_tokens;
ALTER TABLE feed_tokens_v4 RENAME TO feed_tokens;

ALTER TABLE events ADD COLUMN first_occurrence_json TEXT;
)sql";

constexpr std::string_view kVersion5 = R"sql(
ALTER TABLE sync_items ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_items ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_targets ADD COLUMN account TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_targets ADD COLUMN last_attempt INTEGER NOT NULL DEFAULT 0;
)sql";

// Invitations: the email that hands a person their personal link, planned before it is sent
// like a reminder. The link itself is never stored: only the nonce it is derived from with
// the link key (a file outside the database) and, in feed_tokens, the link's hash.
constexpr std::string_view kVersion6 = R"sql(
CREATE TABLE invitations (
  id              INTEGER PRIMARY KEY,
  person_id       TEXT NOT NULL,
  person_name     TEXT NOT NULL,
  email           TEXT NOT NULL,
  reason          TEXT NOT NULL CHECK (reason IN ('new', 'rotate')),
  nonce           TEXT NOT NULL UNIQUE,
  token_id        INTEGER NOT NULL REFERENCES feed_tokens(id),
  message_id      TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('planned', 'sending', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER,
  last_error      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX invitations_by_person ON invitations (person_id, state);
CREATE INDEX invitations_due ON invitations (state, next_attempt_at);
)sql";

// Attendance registers (personal data): one row per plan, occurrence and person, and the
// audit trail of every change. Dates are kept as YYYY-MM-DD, so retention is a comparison.
constexpr std::string_view kVersion7 = R"sql(
CREATE TABLE attendance (
  plan_id         TEXT NOT NULL,
  uid             TEXT NOT NULL,
  person_id       TEXT NOT NULL,
  occurrence_date TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('attended', 'late', 'excused', 'absent')),
  note            TEXT NOT NULL DEFAULT '',
  added           INTEGER NOT NULL DEFAULT 0 CHECK (added IN (0, 1)),
  registered_by   TEXT NOT NULL,
  registered_at   INTEGER NOT NULL,
  version         INTEGER NOT NULL CHECK (version >= 1),
  PRIMARY KEY (plan_id, uid, person_id)
) STRICT;
CREATE INDEX attendance_by_date ON attendance (occurrence_date);
CREATE INDEX attendance_by_person ON attendance (person_id, occurrence_date);

CREATE TABLE attendance_audit (
  id              INTEGER PRIMARY KEY,
  plan_id         TEXT NOT NULL,
  uid             TEXT NOT NULL,
  person_id       TEXT NOT NULL,
  occurrence_date TEXT NOT NULL,
  old_status      TEXT,
  new_status      TEXT,
  old_note        TEXT NOT NULL DEFAULT '',
  new_note        TEXT NOT NULL DEFAULT '',
  changed_by      TEXT NOT NULL,
  changed_at      INTEGER NOT NULL,
  source          TEXT NOT NULL
) STRICT;
CREATE INDEX attendance_audit_by_date ON attendance_audit (occurrence_date);
CREATE INDEX attendance_audit_by_person ON attendance_audit (person_id, id);
)sql";

// Signing in to the attendance pages: one-time links mailed to leaders and admins, the
// sessions they open, and the sign-in requests counted for rate limiting. Only SHA-256 hashes
// of link secrets and session ids are kept, so a copy of the file signs nobody in; requests
// keep hashes of the address asked for and of the client, for counting only.
constexpr std::string_view kVersion8 = R"sql(
CREATE TABLE web_signin_links (
  link_hash  TEXT PRIMARY KEY,
  email      TEXT NOT NULL,
  person_id  TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
) STRICT;
CREATE INDEX web_signin_links_by_expiry ON web_signin_links (expires_at);

CREATE TABLE web_sessions (
  session_hash TEXT PRIMARY KEY,
  email        TEXT NOT NULL,
  person_id    TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
) STRICT;
CREATE INDEX web_sessions_by_last_seen ON web_sessions (last_seen_at);

CREATE TABLE web_signin_requests (
  id          INTEGER PRIMARY KEY,
  email_hash  TEXT NOT NULL,
  client_hash TEXT NOT NULL,
  at          INTEGER NOT NULL
) STRICT;
CREATE INDEX web_signin_requests_by_email ON web_signin_requests (email_hash, at);
CREATE INDEX web_signin_requests_by_client ON web_signin_requests (client_hash, at);
)sql";

// Registrations for a series' date rows (issue 17, seed 003): an organisation signs up,
// confirms its email address by a link, and is placed or put on the waiting list. The links
// (confirm, change/withdraw) are never stored: a row keeps the nonce each is derived from
// with the link key (store/link_key.h) and the link's SHA-256, as invitations do. The mails
// are planned here and sent exactly once by the same protocol as invitations.
constexpr std::string_view kVersion9 = R"sql(
CREATE TABLE registrations (
  id            INTEGER PRIMARY KEY,
  plan_id       TEXT NOT NULL,
  series_key    TEXT NOT NULL,
  organisation  TEXT NOT NULL,
  contact_name  TEXT NOT NULL,
  email         TEXT NOT NULL,
  participants  INTEGER NOT NULL CHECK (participants >= 1),
  preferences   TEXT NOT NULL,
  state         TEXT NOT NULL
                CHECK (state IN ('unconfirmed', 'confirmed', 'placed', 'waiting', 'withdrawn')),
  placed_row    TEXT,
  confirm_nonce TEXT NOT NULL UNIQUE,
  confirm_hash  TEXT NOT NULL UNIQUE,
  change_nonce  TEXT NOT NULL UNIQUE,
  change_hash   TEXT NOT NULL UNIQUE,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  confirmed_at  INTEGER,
  updated_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX registrations_by_series ON registrations (plan_id, series_key, state);

CREATE TABLE registration_history (
  id              INTEGER PRIMARY KEY,
  registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
  at              INTEGER NOT NULL,
  state           TEXT NOT NULL,
  placed_row      TEXT,
  note            TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX registration_history_by_registration ON registration_history (registration_id, id);

CREATE TABLE registration_mails (
  id              INTEGER PRIMARY KEY,
  registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
  kind            TEXT NOT NULL CHECK (kind IN ('confirm', 'receipt', 'placement')),
  message_id      TEXT NOT NULL UNIQUE,
  state           TEXT NOT NULL CHECK (state IN ('planned', 'sending', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER,
  last_error      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX registration_mails_due ON registration_mails (state, next_attempt_at);
)sql";

// Meeting invitations (iMIP, RFC 6047) for placed registrations: per (registration, UID)
// what was last planned for the contact's calendar (content fingerprint, SEQUENCE, whether it
// was a CANCEL, and the times and summary a later CANCEL must repeat), and the messages
// themselves, rendered when planned and sent exactly once by the protocol of invitations.
// Placement mails carry the allocation's explanation in `note`.
constexpr std::string_view kVersion10 = R"sql(
CREATE TABLE meeting_invitations (
  registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
  uid             TEXT NOT NULL,
  sequence        INTEGER NOT NULL CHECK (sequence >= 0),
  fingerprint     TEXT NOT NULL,
  cancelled       INTEGER NOT NULL CHECK (cancelled IN (0, 1)),
  summary         TEXT NOT NULL,
  starts          TEXT NOT NULL,
  ends            TEXT NOT NULL,
  timezone        TEXT NOT NULL,
  PRIMARY KEY (registration_id, uid)
) STRICT;

CREATE TABLE meeting_invitation_mails (
  id              INTEGER PRIMARY KEY,
  registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
  uid             TEXT NOT NULL,
  method          TEXT NOT NULL CHECK (method IN ('REQUEST', 'CANCEL')),
  sequence        INTEGER NOT NULL,
  recipient_name  TEXT NOT NULL,
  recipient       TEXT NOT NULL,
  subject         TEXT NOT NULL,
  body_text       TEXT NOT NULL,
  body_html       TEXT NOT NULL,
  calendar        TEXT NOT NULL,
  message_id      TEXT NOT NULL UNIQUE,
  state           TEXT NOT NULL CHECK (state IN ('planned', 'sending', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER,
  last_error      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX meeting_invitation_mails_due ON meeting_invitation_mails (state, next_attempt_at);

ALTER TABLE registration_mails ADD COLUMN note TEXT NOT NULL DEFAULT '';
)sql";

// Make-up moves: a leader moved someone absent from their own date of a meeting to another
// team's date of it. Publishing gives the person a copy of that date in their own calendar
// (attendance/makeup.h); nothing else is kept about the move, and retention deletes it with
// the registers of the date that was missed.
constexpr std::string_view kVersion11 = R"sql(
CREATE TABLE makeup_moves (
  plan_id     TEXT NOT NULL,
  person_id   TEXT NOT NULL,
  from_uid    TEXT NOT NULL,
  from_date   TEXT NOT NULL,
  to_uid      TEXT NOT NULL,
  to_date     TEXT NOT NULL,
  moved_by    TEXT NOT NULL,
  moved_at    INTEGER NOT NULL,
  PRIMARY KEY (plan_id, person_id, from_uid)
) STRICT;
)sql";

Result<std::int64_t> pragma_value(sqlite::Database& db, std::string_view pragma) {
  auto statement = sqlite::Statement::prepare(db, std::string("PRAGMA ") + std::string(pragma));
  if (!statement) return statement.error();
  auto row = statement->step();
  if (!row) return row.error();
  return *row ? statement->int64(0) : 0;
}

Result<bool> has_tables(sqlite::Database& db) {
  auto statement = sqlite::Statement::prepare(db, "SELECT count(*) FROM sqlite_schema");
  if (!statement) return statement.error();
  auto row = statement->step();
  if (!row) return row.error();
  return statement->int64(0) > 0;
}

std::string hex32(std::int64_t value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0x%08x", static_cast<unsigned>(value));
  return buffer;
}

/// The database's schema version, or an error when the file is not ours.
Result<int> identify(sqlite::Database& db, const std::string& path) {
  auto application_id = pragma_value(db, "application_id");
  if (!application_id) {
    if (db.last_error_code() == SQLITE_NOTADB) {
      return Error{path + " is not a plancal database (not an SQLite file)"};
    }
    return Error{path + ": " + application_id.error().message};
  }
  auto version = pragma_value(db, "user_version");
  if (!version) return Error{path + ": " + version.error().message};
  if (*application_id == kPlancalApplicationId) return static_cast<int>(*version);
  if (*application_id != 0) {
    return Error{path + " is not a plancal database (application_id " + hex32(*application_id) +
                 ")"};
  }
  auto tables = has_tables(db);
  if (!tables) return Error{path + ": " + tables.error().message};
  if (*tables || *version != 0) {
    return Error{path + " is not a plancal database (an SQLite database of another program)"};
  }
  return 0;  // a new, empty file
}

Status apply(sqlite::Database& db, const Migration& migration) {
  auto transaction = sqlite::Transaction::begin(db);
  if (!transaction) return transaction.error();
  // Another process may have applied it while this one waited for the write lock.
  auto current = pragma_value(db, "user_version");
  if (!current) return current.error();
  if (*current >= migration.version) return Ok{};
  if (auto done = db.exec(migration.sql); !done) return done.error();
  const std::string stamp = "PRAGMA application_id = " + std::to_string(kPlancalApplicationId) +
                            "; PRAGMA user_version = " + std::to_string(migration.version);
  if (auto done = db.exec(stamp); !done) return done.error();
  return transaction->commit();
}

}  // namespace

const std::vector<Migration>& schema_migrations() {
  static const std::vector<Migration> kSteps = {
      {1, "plans, events, feed tokens and the publish log", kVersion1},
      {2, "push targets: items, sync state and runs", kVersion2},
      {3, "reminders: planned emails and their delivery state", kVersion3},
      {4, "feed tokens for every plan, page access times, events' first published version",
       kVersion4},
      {5, "push targets: SEQUENCE held, create attempts, discovering account", kVersion5},
      {6, "invitations: personal links emailed exactly once", kVersion6},
      {7, "attendance registers and their audit trail", kVersion7},
      {8, "web sign-in: one-time links, sessions and sign-in requests (hashed)", kVersion8},
      {9, "registrations for date rows, their history and mails", kVersion9},
      {10, "meeting invitations (iMIP) of placed registrations, placement notes", kVersion10},
      {11, "make-up moves: someone absent moved to another team's date", kVersion11},
  };
  return kSteps;
}

int supported_schema_version() { return schema_migrations().back().version; }

Result<int> check_schema(sqlite::Database& db, const std::string& path) {
  auto version = identify(db, path);
  if (!version) return version.error();
  const int supported = supported_schema_version();
  if (*version > supported) {
    return Error{path + ": database schema version " + std::to_string(*version) +
                 " is newer than this plancal (supports " + std::to_string(supported) +
                 "): upgrade plancal"};
  }
  return *version;
}

Status migrate_schema(sqlite::Database& db, const std::string& path, int from_version) {
  for (const auto& migration : schema_migrations()) {
    if (migration.version <= from_version) continue;
    spdlog::debug("database {}: migrating to schema version {} ({})", path, migration.version,
                  migration.purpose);
    if (auto done = apply(db, migration); !done) {
      return Error{path + ": migration to schema version " + std::to_string(migration.version) +
                   " failed: " + done.error().message};
    }
  }
  return Ok{};
}

}  // namespace plancal
