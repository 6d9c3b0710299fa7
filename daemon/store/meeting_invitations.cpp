#include "store/meeting_invitations.h"

#include "store/query.h"

namespace plancal {

namespace {

constexpr std::string_view kMeetingMailColumns =
    "id, registration_id, uid, method, sequence, recipient_name, recipient, subject, body_text, "
    "body_html, calendar, message_id, state, attempts";

/// "2021-09-07T09:00", as the state keeps a meeting's start and end.
std::string meeting_time_text(const LocalDateTime& t) {
  return format_date(t.date) + "T" + format_time(t.time);
}

LocalDateTime read_meeting_time(const std::string& text) {
  LocalDateTime t;
  const auto split = text.find('T');
  if (split == std::string::npos) return t;
  if (auto date = parse_date(text.substr(0, split))) t.date = *date;
  if (auto time = parse_time_of_day(text.substr(split + 1))) t.time = *time;
  return t;
}

SentMeetingInvitation read_sent_meeting(const sqlite::Statement& row) {
  SentMeetingInvitation s;
  s.registration_id = row.int64(0);
  s.uid = row.text(1);
  s.sequence = static_cast<int>(row.int64(2));
  s.fingerprint = row.text(3);
  s.cancelled = row.int64(4) != 0;
  s.summary = row.text(5);
  s.start = read_meeting_time(row.text(6));
  s.end = read_meeting_time(row.text(7));
  s.timezone = row.text(8);
  return s;
}

MeetingMail read_meeting_mail(const sqlite::Statement& row) {
  MeetingMail m;
  m.id = row.int64(0);
  m.registration_id = row.int64(1);
  m.uid = row.text(2);
  m.method = row.text(3);
  m.sequence = static_cast<int>(row.int64(4));
  m.recipient_name = row.text(5);
  m.recipient = row.text(6);
  m.subject = row.text(7);
  m.text = row.text(8);
  m.html = row.text(9);
  m.calendar = row.text(10);
  m.message_id = row.text(11);
  m.state = row.text(12);
  m.attempts = static_cast<int>(row.int64(13));
  return m;
}

Result<std::vector<SentMeetingInvitation>> select_sent_meetings(sqlite::Database& db) {
  const auto faults_before = db.faults().count;
  auto rows = query_all<SentMeetingInvitation>(
      db,
      "SELECT registration_id, uid, sequence, fingerprint, cancelled, summary, starts, ends, "
      "timezone FROM meeting_invitations ORDER BY registration_id, uid",
      no_parameters, read_sent_meeting, "reading meeting invitations");
  if (db.faults().count != faults_before) return Error{"reading meeting invitations failed"};
  return rows;
}

template <class Bind>
Result<std::vector<MeetingMail>> select_meeting_mails(sqlite::Database& db, std::string_view where,
                                                      Bind&& bind) {
  const auto faults_before = db.faults().count;
  auto rows = query_all<MeetingMail>(
      db,
      "SELECT " + std::string(kMeetingMailColumns) + " FROM meeting_invitation_mails WHERE " +
          std::string(where) + " ORDER BY id",
      std::forward<Bind>(bind), read_meeting_mail, "reading meeting invitations");
  if (db.faults().count != faults_before) return Error{"reading meeting invitations failed"};
  return rows;
}

Status save_meeting_state(sqlite::Database& db, const SentMeetingInvitation& s) {
  return execute(
      db,
      "INSERT INTO meeting_invitations (registration_id, uid, sequence, fingerprint, cancelled, "
      "summary, starts, ends, timezone) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
      "ON CONFLICT (registration_id, uid) DO UPDATE SET sequence = ?3, fingerprint = ?4, "
      "cancelled = ?5, summary = ?6, starts = ?7, ends = ?8, timezone = ?9",
      [&](sqlite::Statement& st) {
        st.bind(1, s.registration_id)
            .bind(2, s.uid)
            .bind(3, s.sequence)
            .bind(4, s.fingerprint)
            .bind(5, s.cancelled ? 1 : 0)
            .bind(6, s.summary)
            .bind(7, meeting_time_text(s.start))
            .bind(8, meeting_time_text(s.end))
            .bind(9, s.timezone);
      });
}

Status insert_meeting_mail(sqlite::Database& db, const PlannedMeetingMail& m, std::int64_t now) {
  return execute(
      db,
      "INSERT INTO meeting_invitation_mails (registration_id, uid, method, sequence, "
      "recipient_name, recipient, subject, body_text, body_html, calendar, message_id, state, "
      "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'planned', ?12) "
      "ON CONFLICT (message_id) DO NOTHING",
      [&](sqlite::Statement& st) {
        st.bind(1, m.state.registration_id)
            .bind(2, m.state.uid)
            .bind(3, m.method)
            .bind(4, m.state.sequence)
            .bind(5, m.recipient_name)
            .bind(6, m.recipient)
            .bind(7, m.subject)
            .bind(8, m.text)
            .bind(9, m.html)
            .bind(10, m.calendar)
            .bind(11, m.message_id)
            .bind(12, now);
      });
}

Status write_meeting_mails(sqlite::Database& db, const std::vector<PlannedMeetingMail>& mails,
                           std::int64_t now) {
  for (const auto& mail : mails) {
    if (auto done = save_meeting_state(db, mail.state); !done) return done;
    if (auto done = insert_meeting_mail(db, mail, now); !done) return done;
  }
  return Ok{};
}

}  // namespace

Result<std::vector<SentMeetingInvitation>> MeetingInvitationStore::sent() {
  auto session = database().session();
  return select_sent_meetings(session.db());
}

Status MeetingInvitationStore::plan(const std::vector<PlannedMeetingMail>& mails,
                                    std::int64_t now) {
  if (mails.empty()) return Ok{};
  auto session = database().session();
  auto transaction = sqlite::Transaction::begin(session.db());
  if (!transaction) return transaction.error();
  if (auto written = write_meeting_mails(session.db(), mails, now); !written) return written;
  return transaction->commit();
}

Result<int> MeetingInvitationStore::decide_and_plan(const Decide& decide, std::int64_t now) {
  auto session = database().session();
  auto transaction = sqlite::Transaction::begin(session.db());
  if (!transaction) return transaction.error();
  auto sent = select_sent_meetings(session.db());
  if (!sent) return sent.error();
  const auto mails = decide(*sent);
  if (mails.empty()) return 0;  // the transaction rolls back: nothing was written
  if (auto written = write_meeting_mails(session.db(), mails, now); !written) {
    return written.error();
  }
  if (auto committed = transaction->commit(); !committed) return committed.error();
  return static_cast<int>(mails.size());
}

Result<std::vector<MeetingMail>> MeetingInvitationStore::mails() {
  auto session = database().session();
  return select_meeting_mails(session.db(), "1", no_parameters);
}

Result<std::vector<MeetingMail>> MeetingInvitationStore::due(std::int64_t now) {
  std::vector<MeetingMail> rows;
  auto read = read_due(kMeetingMailColumns, now, [&](const sqlite::Statement& row) {
    rows.push_back(read_meeting_mail(row));
  });
  if (!read) return Error{"reading meeting invitations failed: " + read.error().message};
  return rows;
}

}  // namespace plancal
