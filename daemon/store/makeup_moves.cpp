// MakeupMoves. Moves are personal data: errors name the table, never a person.

#include "store/makeup_moves.h"

#include "store/query.h"

namespace plancal {

namespace {

constexpr std::string_view kMoveColumns =
    "plan_id, person_id, from_uid, from_date, to_uid, to_date, moved_by, moved_at";

Result<MakeupMove> read_move(const sqlite::Statement& row) {
  MakeupMove m;
  m.plan_id = row.text(0);
  m.person_id = row.text(1);
  m.from_uid = row.text(2);
  const auto from = parse_date(row.text(3));
  m.to_uid = row.text(4);
  const auto to = parse_date(row.text(5));
  if (!from || !to) return Error{"a make-up move of plan " + m.plan_id + " has an unreadable date"};
  m.from_date = *from;
  m.to_date = *to;
  m.moved_by = row.text(6);
  m.moved_at = row.int64(7);
  return m;
}

Result<std::vector<MakeupMove>> read_moves(sqlite::Database& db, const std::string& condition,
                                           const std::string& value) {
  auto query = sqlite::Statement::prepare(
      db, "SELECT " + std::string(kMoveColumns) + " FROM makeup_moves WHERE " + condition +
              " ORDER BY plan_id, person_id, from_date, from_uid");
  if (!query) return query.error();
  query->bind(1, value);
  return read_rows<MakeupMove>(*query, read_move);
}

}  // namespace

Status MakeupMoves::put(const MakeupMove& move, Date keep_from) {
  auto session = database_.session();
  auto& db = session.db();
  auto transaction = sqlite::Transaction::begin(db);
  if (!transaction) return transaction.error();
  auto stored = execute(
      db,
      "INSERT INTO makeup_moves (" + std::string(kMoveColumns) +
          ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
          "ON CONFLICT (plan_id, person_id, from_uid) DO UPDATE SET to_uid = excluded.to_uid, "
          "to_date = excluded.to_date, moved_by = excluded.moved_by, moved_at = excluded.moved_at",
      [&](sqlite::Statement& s) {
        s.bind(1, move.plan_id)
            .bind(2, move.person_id)
            .bind(3, move.from_uid)
            .bind(4, format_date(move.from_date))
            .bind(5, move.to_uid)
            .bind(6, format_date(move.to_date))
            .bind(7, move.moved_by)
            .bind(8, move.moved_at);
      });
  if (!stored) return stored.error();
  auto expired = execute(db, "DELETE FROM makeup_moves WHERE from_date < ?1",
                         [&](sqlite::Statement& s) { s.bind(1, format_date(keep_from)); });
  if (!expired) return expired.error();
  return transaction->commit();
}

Status MakeupMoves::remove(const std::string& plan_id, const std::string& person_id,
                           const std::string& from_uid) {
  auto session = database_.session();
  return execute(
      session.db(),
      "DELETE FROM makeup_moves WHERE plan_id = ?1 AND person_id = ?2 AND from_uid = ?3",
      [&](sqlite::Statement& s) { s.bind(1, plan_id).bind(2, person_id).bind(3, from_uid); });
}

Result<std::vector<MakeupMove>> MakeupMoves::list(const std::string& plan_id) {
  auto session = database_.session();
  if (plan_id.empty()) return read_moves(session.db(), "?1 = ''", plan_id);
  return read_moves(session.db(), "plan_id = ?1", plan_id);
}

Result<std::vector<MakeupMove>> MakeupMoves::of_person(const std::string& person_id) {
  auto session = database_.session();
  return read_moves(session.db(), "person_id = ?1", person_id);
}

}  // namespace plancal
