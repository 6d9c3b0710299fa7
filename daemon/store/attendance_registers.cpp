// AttendanceRegisters. Attendance is personal data: no statement here logs a value, and
// errors name the registration by plan, date and person id only (what the caller wrote).

#include "store/attendance_registers.h"

#include <fmt/format.h>

#include "store/query.h"

namespace plancal {

namespace {

constexpr std::string_view kRecordColumns =
    "plan_id, uid, person_id, occurrence_date, status, note, added, registered_by, "
    "registered_at, version";

constexpr std::string_view kAuditColumns =
    "id, plan_id, uid, person_id, occurrence_date, coalesce(old_status, ''), "
    "coalesce(new_status, ''), old_note, new_note, changed_by, changed_at, source";

/// What is stored for one registration before a change.
struct Stored {
  AttendanceStatus status = AttendanceStatus::Attended;
  std::string note;
  bool added = false;
  std::int64_t version = 0;
};

std::optional<AttendanceStatus> status_from_code(const std::string& code) {
  if (code.empty()) return std::nullopt;
  return parse_status(code);
}

Result<AttendanceRecord> read_record(const sqlite::Statement& row) {
  AttendanceRecord r;
  r.plan_id = row.text(0);
  r.uid = row.text(1);
  r.person_id = row.text(2);
  const auto date = parse_date(row.text(3));
  const auto status = status_from_code(row.text(4));
  if (!date || !status) {
    return Error{fmt::format("an attendance register of plan {} has an unreadable date or status",
                             r.plan_id)};
  }
  r.date = *date;
  r.status = *status;
  r.note = row.text(5);
  r.added = row.int64(6) != 0;
  r.registered_by = row.text(7);
  r.registered_at = row.int64(8);
  r.version = row.int64(9);
  return r;
}

Result<AttendanceAudit> read_audit(const sqlite::Statement& row) {
  AttendanceAudit a;
  a.id = row.int64(0);
  a.plan_id = row.text(1);
  a.uid = row.text(2);
  a.person_id = row.text(3);
  const auto date = parse_date(row.text(4));
  if (!date) return Error{"an attendance audit row has an unreadable date"};
  a.date = *date;
  a.old_status = status_from_code(row.text(5));
  a.new_status = status_from_code(row.text(6));
  a.old_note = row.text(7);
  a.new_note = row.text(8);
  a.changed_by = row.text(9);
  a.changed_at = row.int64(10);
  a.source = row.text(11);
  return a;
}

/// " WHERE ..." for `filter`, with its values bound from parameter 1 on.
struct WhereClause {
  std::string sql;
  std::vector<std::string> values;
};

WhereClause where_clause(const AttendanceFilter& filter) {
  WhereClause where;
  const auto add = [&where](std::string_view condition, std::string value) {
    where.sql += where.values.empty() ? " WHERE " : " AND ";
    where.values.push_back(std::move(value));
    where.sql += fmt::format(fmt::runtime(condition), where.values.size());
  };
  if (!filter.plan_id.empty()) add("plan_id = ?{}", filter.plan_id);
  if (!filter.person_id.empty()) add("person_id = ?{}", filter.person_id);
  if (filter.year) {
    add("occurrence_date >= ?{}", fmt::format("{:04}-01-01", *filter.year));
    add("occurrence_date < ?{}", fmt::format("{:04}-01-01", *filter.year + 1));
  }
  return where;
}

template <class T, class Read>
Result<std::vector<T>> read_all(sqlite::Database& db, const std::string& sql,
                                const WhereClause& where, Read&& read) {
  auto query = sqlite::Statement::prepare(db, sql);
  if (!query) return query.error();
  for (std::size_t i = 0; i < where.values.size(); ++i) {
    query->bind(static_cast<int>(i + 1), where.values[i]);
  }
  return read_rows<T>(*query, read);
}

Result<std::optional<Stored>> find_stored(sqlite::Database& db, const AttendanceRecord& r) {
  auto query = sqlite::Statement::prepare(db,
                                          "SELECT status, note, added, version FROM attendance "
                                          "WHERE plan_id = ?1 AND uid = ?2 AND person_id = ?3");
  if (!query) return query.error();
  query->bind(1, r.plan_id).bind(2, r.uid).bind(3, r.person_id);
  auto row = query->step();
  if (!row) return row.error();
  if (!*row) return std::optional<Stored>{};
  const auto status = status_from_code(query->text(0));
  if (!status) return Error{"a stored attendance status is unreadable"};
  return std::optional<Stored>(
      Stored{*status, query->text(1), query->int64(2) != 0, query->int64(3)});
}

Status upsert(sqlite::Database& db, const AttendanceRecord& r) {
  return execute(
      db,
      "INSERT INTO attendance (plan_id, uid, person_id, occurrence_date, status, note, added, "
      "registered_by, registered_at, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1) "
      "ON CONFLICT (plan_id, uid, person_id) DO UPDATE SET occurrence_date = "
      "excluded.occurrence_date, "
      "status = excluded.status, note = excluded.note, added = excluded.added, "
      "registered_by = excluded.registered_by, registered_at = excluded.registered_at, "
      "version = attendance.version + 1",
      [&](sqlite::Statement& s) {
        s.bind(1, r.plan_id).bind(2, r.uid).bind(3, r.person_id).bind(4, format_date(r.date));
        s.bind(5, status_code(r.status)).bind(6, r.note).bind(7, r.added ? 1 : 0);
        s.bind(8, r.registered_by).bind(9, r.registered_at);
      });
}

Status add_audit(sqlite::Database& db, const AttendanceChange& change,
                 const std::optional<Stored>& before) {
  const AttendanceRecord& r = change.record;
  return execute(
      db,
      "INSERT INTO attendance_audit (plan_id, uid, person_id, occurrence_date, old_status, "
      "new_status, old_note, new_note, changed_by, changed_at, source) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
      [&](sqlite::Statement& s) {
        s.bind(1, r.plan_id).bind(2, r.uid).bind(3, r.person_id).bind(4, format_date(r.date));
        if (before) {
          s.bind(5, status_code(before->status)).bind(7, before->note);
        } else {
          s.bind_null(5).bind(7, "");
        }
        s.bind(6, status_code(r.status)).bind(8, r.note).bind(9, r.registered_by);
        s.bind(10, r.registered_at).bind(11, change.source);
      });
}

std::string describe(const AttendanceRecord& r) {
  return fmt::format("plan {}, {}, {}", r.plan_id, format_date(r.date), r.person_id);
}

/// Writes one change; counts it in `summary`.
Status write_one(sqlite::Database& db, const AttendanceChange& change,
                 AttendanceWriteSummary& summary) {
  const AttendanceRecord& r = change.record;
  auto before = find_stored(db, r);
  if (!before) return before.error();
  const std::int64_t current = *before ? (*before)->version : 0;
  if (change.expected_version && *change.expected_version != current) {
    return Error{fmt::format(
        "the register of {} was changed by someone else since it was read (version {} is now "
        "{}): read it again and repeat the change",
        describe(r), *change.expected_version, current)};
  }
  if (*before && (*before)->status == r.status && (*before)->note == r.note &&
      (*before)->added == r.added) {
    ++summary.unchanged;
    return Ok{};
  }
  if (auto done = upsert(db, r); !done) return done.error();
  if (auto done = add_audit(db, change, *before); !done) return done.error();
  ++(*before ? summary.changed : summary.created);
  return Ok{};
}

Result<int> expire(sqlite::Database& db, Date keep_from) {
  const std::string cutoff = format_date(keep_from);
  const auto bind = [&](sqlite::Statement& s) { s.bind(1, cutoff); };
  if (auto done = execute(db, "DELETE FROM attendance WHERE occurrence_date < ?1", bind); !done) {
    return done.error();
  }
  const int expired = db.changes();
  if (auto done = execute(db, "DELETE FROM attendance_audit WHERE occurrence_date < ?1", bind);
      !done) {
    return done.error();
  }
  return expired;
}

}  // namespace

Result<AttendanceWriteSummary> AttendanceRegisters::write(
    const std::vector<AttendanceChange>& changes, Date keep_from) {
  auto session = database_.session();
  auto transaction = sqlite::Transaction::begin(session.db());
  if (!transaction) return Error{"cannot write attendance: " + transaction.error().message};
  AttendanceWriteSummary summary;
  for (const auto& change : changes) {
    if (auto done = write_one(session.db(), change, summary); !done) {
      return Error{"attendance not written: " + done.error().message};
    }
  }
  auto expired = expire(session.db(), keep_from);
  if (!expired) return Error{"cannot delete expired attendance: " + expired.error().message};
  summary.expired = *expired;
  if (auto done = transaction->commit(); !done) {
    return Error{"cannot write attendance: " + done.error().message};
  }
  return summary;
}

Result<std::vector<AttendanceRecord>> AttendanceRegisters::records(const AttendanceFilter& filter) {
  auto session = database_.session();
  const WhereClause where = where_clause(filter);
  return read_all<AttendanceRecord>(
      session.db(),
      fmt::format("SELECT {} FROM attendance{} ORDER BY occurrence_date, plan_id, uid, person_id",
                  kRecordColumns, where.sql),
      where, read_record);
}

Result<std::vector<AttendanceRecord>> AttendanceRegisters::records_of_absent_people(
    const std::string& plan_id) {
  auto session = database_.session();
  WhereClause where;
  where.values.push_back(plan_id);
  return read_all<AttendanceRecord>(
      session.db(),
      fmt::format(
          "SELECT {} FROM attendance WHERE plan_id = ?1 AND person_id IN "
          "(SELECT person_id FROM attendance WHERE plan_id = ?1 AND status IN ('{}', '{}')) "
          "ORDER BY occurrence_date, uid, person_id",
          kRecordColumns, status_code(AttendanceStatus::Absent),
          status_code(AttendanceStatus::Excused)),
      where, read_record);
}

Result<std::int64_t> AttendanceRegisters::last_change_id() {
  auto session = database_.session();
  auto ids = read_all<std::int64_t>(
      session.db(), "SELECT coalesce(max(id), 0) FROM attendance_audit", WhereClause{},
      [](const sqlite::Statement& row) -> Result<std::int64_t> { return row.int64(0); });
  if (!ids) return ids.error();
  return ids->empty() ? 0 : ids->front();
}

Result<std::vector<AttendanceAudit>> AttendanceRegisters::audit(const AttendanceFilter& filter) {
  auto session = database_.session();
  const WhereClause where = where_clause(filter);
  return read_all<AttendanceAudit>(
      session.db(),
      fmt::format("SELECT {} FROM attendance_audit{} ORDER BY id", kAuditColumns, where.sql), where,
      read_audit);
}

}  // namespace plancal
