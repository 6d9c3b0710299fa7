// The register of one date: the user's people scheduled that day (and those added or moved
// there), each with a status and a note, a way to add someone who came unscheduled, make-up
// dates for the absent with a button that moves them there, and the audit trail. A save writes
// through store/attendance_registers.h with the version each row showed, so two leaders at once
// lose nothing.

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

#include "attendance/makeup.h"
#include "attendance/programme.h"
#include "attendance/records.h"
#include "attendance/status.h"
#include "base/norwegian_text.h"
#include "store/makeup_moves.h"
#include "web/attendance_routes.h"
#include "web/attendance_view.h"
#include "web/csrf.h"
#include "web/form.h"
#include "web/page_layout.h"
#include "web/templates.h"

namespace plancal::web {

namespace {

constexpr std::string_view kAddPerson = "legg-til";
constexpr std::string_view kAddStatus = "legg-til-status";
constexpr std::string_view kAddNote = "legg-til-notat";
/// The make-up buttons' names; the value is "<person id>|<UID>" (the date to move to, or for
/// an undo the date that was missed). They belong to a form of their own (kMoveForm), so
/// Enter in a note saves the register and never moves anyone.
constexpr std::string_view kMove = "flytt";
constexpr std::string_view kUndoMove = "angre-flytt";
constexpr std::string_view kMoveForm = "ta-igjen";
constexpr std::array kRegisterStatuses = {AttendanceStatus::Attended, AttendanceStatus::Late,
                                          AttendanceStatus::Excused, AttendanceStatus::Absent};

/// One row of the register: a person and the meeting they are registered for.
struct Row {
  const Person* person = nullptr;
  const Occurrence* meeting = nullptr;
  bool added = false;
  bool moved_in = false;  ///< not scheduled here, but moved here by a make-up move
  const AttendanceRecord* record = nullptr;  ///< what is registered now, or nullptr
};

/// Everything a register page is built from; `rows` in roster order, the added ones last.
struct Register {
  const KeptPlan* plan = nullptr;
  Date date;
  std::vector<const Occurrence*> meetings;  ///< that day's meetings with a register
  std::vector<Row> rows;
  std::vector<const Person*> addable;         ///< the user's people not in `rows`
  std::vector<AttendanceRecord> records;      ///< the date's registrations
  std::vector<AttendanceRecord> all_records;  ///< the year's, for make-up dates
  std::vector<MakeupMove> moves;              ///< the plan's make-up moves
};

const Occurrence* meeting_for(const Register& r, const std::string& uid) {
  for (const Occurrence* o : r.meetings) {
    if (o->uid == uid) return o;
  }
  return nullptr;
}

/// The rows of the user's people for the date, or nullopt when none of them is scheduled or
/// registered there (404).
std::optional<Register> build_register(const KeptPlan& plan, Date date,
                                       const AttendanceScope& scope,
                                       std::vector<AttendanceRecord> records,
                                       std::vector<MakeupMove> moves) {
  Register r;
  r.plan = &plan;
  r.date = date;
  r.moves = std::move(moves);
  for (const Occurrence* o : plan.meetings) {
    if (o->start.date == date) r.meetings.push_back(o);
  }
  if (r.meetings.empty()) return std::nullopt;
  r.all_records = records;
  std::erase_if(records, [&](const AttendanceRecord& record) {
    return record.date != date || meeting_for(r, record.uid) == nullptr;
  });
  r.records = std::move(records);
  for (const Person* person : scope.people(*plan.plan)) {
    const AttendanceRecord* record = nullptr;
    for (const auto& candidate : r.records) {
      if (candidate.person_id == person->id) record = &candidate;
    }
    const Occurrence* scheduled = nullptr;
    const Occurrence* moved_here = nullptr;
    for (const Occurrence* o : r.meetings) {
      if (is_scheduled(*person, *o)) scheduled = o;
      if (move_into(r.moves, person->id, o->uid) != nullptr) moved_here = o;
    }
    if (scheduled || moved_here || record) {
      const Occurrence* meeting =
          record ? meeting_for(r, record->uid) : (scheduled ? scheduled : moved_here);
      const bool added = scheduled == nullptr;
      r.rows.push_back({person, meeting, added, added && moved_here != nullptr, record});
    } else {
      r.addable.push_back(person);
    }
  }
  // None of the user's people is there: nothing of theirs to see (another leader's date).
  if (r.rows.empty()) return std::nullopt;
  std::stable_partition(r.rows.begin(), r.rows.end(), [](const Row& row) { return !row.added; });
  return r;
}

std::string person_name(const Plan& plan, const std::string& id) {
  for (const auto& person : plan.roster) {
    if (person.id == id) return person.name;
  }
  return id;
}

std::string status_text(const std::optional<AttendanceStatus>& status) {
  return status ? std::string(status_label_nb(*status)) : "ikke registrert";
}

TemplateData audit_rows(const Register& r, const std::vector<AttendanceAudit>& audit,
                        const AttendanceScope& scope) {
  TemplateData rows = TemplateData::type::list;
  for (auto it = audit.rbegin(); it != audit.rend(); ++it) {
    const auto& change = *it;
    if (change.date != r.date || meeting_for(r, change.uid) == nullptr) continue;
    const Person* person = nullptr;
    for (const auto& p : r.plan->plan->roster) {
      if (p.id == change.person_id) person = &p;
    }
    if (person == nullptr || !scope.covers(*person)) continue;
    TemplateData row;
    row.set("when", date_time_text_nb(local_time(r.plan->plan->timezone, change.changed_at)));
    row.set("who", person_name(*r.plan->plan, change.changed_by));
    row.set("person", person->name);
    row.set("old", status_text(change.old_status));
    row.set("new", status_text(change.new_status));
    set_text(row, "note", change.new_note != change.old_note ? change.new_note : "");
    rows.push_back(row);
  }
  return rows;
}

std::string status_field(const Person& person) { return "status:" + person.id; }
std::string note_field(const Person& person) { return "notat:" + person.id; }
std::string version_field(const Person& person) { return "versjon:" + person.id; }

/// The date before which registers are deleted: `attendance.retention_years` before today.
Date keep_from(Date today, int retention_years) {
  Date keep{today.year - retention_years, today.month, today.day};
  if (!is_valid_date(keep)) keep.day = days_in_month(keep.year, keep.month);  // 29 February
  return keep;
}

/// What a save asks for: the rows' changes and the added person's, with every bad field
/// noted in `form`. nullopt: the form names a person outside the user's scope (404).
std::optional<std::vector<AttendanceChange>> changes_of(const Register& r, FormState& form,
                                                        const std::string& by, std::int64_t now) {
  std::vector<AttendanceChange> changes;
  const auto change_for = [&](const Person& person, const Occurrence& meeting, bool added,
                              const AttendanceRecord* record, const std::string& status_name,
                              const std::string& note_name) {
    const std::string& status_text = form.value(status_name);
    const std::string& note = form.value(note_name);
    if (note.size() > kMaxAttendanceNoteBytes) {
      form.add_error(note_name, "Notatet er for langt: skriv høyst 2000 tegn.");
    }
    if (status_text.empty()) return;  // nothing registered yet, and nothing asked
    const auto status = parse_status(status_text);
    if (!status) {
      form.add_error(status_name, "Velg møtt, møtt for sent, gyldig fravær eller fravær.");
      return;
    }
    if (record && record->status == *status && record->note == note) return;
    AttendanceChange change;
    AttendanceRecord& c = change.record;
    c.plan_id = r.plan->plan->id;
    c.uid = meeting.uid;
    c.person_id = person.id;
    c.date = r.date;
    c.status = *status;
    c.note = note;
    c.added = added;
    c.registered_by = by;
    c.registered_at = now;
    const auto version = form.value(version_field(person));
    change.expected_version = record ? record->version : 0;
    if (!version.empty() && version.find_first_not_of("0123456789") == std::string::npos &&
        version.size() < 12) {
      change.expected_version = std::stoll(version);
    }
    change.source = "web";
    changes.push_back(std::move(change));
  };
  for (const Row& row : r.rows) {
    change_for(*row.person, *row.meeting, row.added, row.record, status_field(*row.person),
               note_field(*row.person));
  }
  const std::string& added_id = form.value(std::string(kAddPerson));
  if (!added_id.empty()) {
    const auto found = std::find_if(r.addable.begin(), r.addable.end(),
                                    [&](const Person* p) { return p->id == added_id; });
    if (found == r.addable.end()) return std::nullopt;
    change_for(**found, *r.meetings.front(), true, nullptr, std::string(kAddStatus),
               std::string(kAddNote));
    if (form.value(std::string(kAddStatus)).empty()) {
      form.add_error(std::string(kAddStatus), "Velg hvordan personen møtte.");
    }
  }
  return changes;
}

TemplateData status_choices(const std::string& name, const std::string& id_prefix,
                            const std::string& chosen) {
  TemplateData choices = TemplateData::type::list;
  for (std::size_t i = 0; i < kRegisterStatuses.size(); ++i) {
    TemplateData choice;
    choice.set("name", name);
    choice.set("id", id_prefix + "-" + std::to_string(i));
    choice.set("value", std::string(status_code(kRegisterStatuses[i])));
    choice.set("label", std::string(status_label_nb(kRegisterStatuses[i])));
    choice.set("checked", flag(chosen == status_code(kRegisterStatuses[i])));
    choices.push_back(choice);
  }
  return choices;
}

/// The make-up dates of `person` at `now` for the meeting they missed on this page's date,
/// judged from every registration of theirs in the year (one made up elsewhere leaves none).
std::vector<MakeupOption> person_makeup_options(const Register& r, const Person& person,
                                                LocalDateTime now) {
  std::vector<AttendanceRecord> own;
  for (const auto& record : r.all_records) {
    if (record.person_id == person.id) own.push_back(record);
  }
  auto options = makeup_options(*r.plan->plan, r.plan->occurrences, own, r.moves, person, now);
  std::erase_if(options,
                [&](const MakeupOption& o) { return meeting_for(r, o.missed->uid) == nullptr; });
  return options;
}

/// "<person id>|<UID>", what a make-up button sends.
std::string move_value(const Person& person, const Occurrence& occurrence) {
  return person.id + "|" + occurrence.uid;
}

TemplateData makeup_item(const Person& person, const MakeupOption& option) {
  TemplateData item;
  item.set("text", option.text);
  item.set("button_name", std::string(option.moved_here ? kUndoMove : kMove));
  item.set("button_value", move_value(person, option.moved_here ? *option.missed : *option.option));
  item.set("button_label", option.moved_here ? "Angre flyttingen" : "Flytt hit");
  item.set("button_title", (option.moved_here ? "Angre: " : "Flytt ") + person.name +
                               (option.moved_here ? "" : " til denne datoen"));
  return item;
}

TemplateData row_data(const Register& r, const Row& row, std::size_t index, const FormState& form,
                      bool posted, LocalDateTime now) {
  const Person& person = *row.person;
  TemplateData data;
  data.set("name", person.name);
  data.set("legend_id", "person-" + std::to_string(index));
  std::string chosen = row.record ? std::string(status_code(row.record->status)) : "";
  std::string note = row.record ? row.record->note : "";
  if (posted) {
    chosen = form.value(status_field(person));
    note = form.value(note_field(person));
  }
  data.set("choices", status_choices(status_field(person), "s" + std::to_string(index), chosen));
  data.set("note_name", note_field(person));
  data.set("note_id", "n" + std::to_string(index));
  data.set("note", note);
  data.set("version_name", version_field(person));
  data.set("version", std::to_string(row.record ? row.record->version : 0));
  set_text(data, "status_error", form.error(status_field(person)).value_or(""));
  set_text(data, "note_error", form.error(note_field(person)).value_or(""));
  std::string where;
  if (row.added) where = row.moved_in ? "flyttet hit" : "ikke satt opp";
  if (r.meetings.size() > 1 || row.added) {
    const std::string group = occurrence_group_name(*r.plan->plan, *row.meeting);
    where += (where.empty() ? "" : ", ") + meeting_label_nb(*r.plan->plan, *row.meeting) +
             (group.empty() ? "" : " " + group);
  }
  set_text(data, "where", where);
  TemplateData makeups = TemplateData::type::list;
  if (row.record && !counts_as_present(row.record->status)) {
    for (const auto& option : person_makeup_options(r, person, now)) {
      makeups.push_back(makeup_item(person, option));
    }
  }
  data.set("has_makeups", flag(!makeups.is_empty_list()));
  data.set("makeups", makeups);
  return data;
}

/// What a make-up button asks, checked against what the page offers.
struct MoveRequest {
  const Person* person = nullptr;
  MakeupOption option;
  bool undo = false;  ///< take the move back rather than make it
};

/// Whether a make-up button was sent, and if so the move it asks for; `request` stays empty
/// when the button names a person or date this page does not offer (404).
struct MoveAsked {
  bool asked = false;
  std::optional<MoveRequest> request;
};

MoveAsked move_asked(const Register& r, const FormState& form, LocalDateTime now) {
  MoveAsked asked;
  for (const bool undo : {false, true}) {
    const std::string& value = form.value(std::string(undo ? kUndoMove : kMove));
    if (value.empty()) continue;
    asked.asked = true;
    const auto bar = value.find('|');
    if (bar == std::string::npos) return asked;
    const std::string person_id = value.substr(0, bar);
    const std::string uid = value.substr(bar + 1);
    const auto row = std::find_if(r.rows.begin(), r.rows.end(), [&](const Row& candidate) {
      return candidate.person->id == person_id && candidate.record != nullptr &&
             !counts_as_present(candidate.record->status);
    });
    if (row == r.rows.end()) return asked;
    for (const auto& option : person_makeup_options(r, *row->person, now)) {
      const Occurrence& named = undo ? *option.missed : *option.option;
      if (named.uid == uid && option.moved_here == undo) {
        asked.request = MoveRequest{row->person, option, undo};
        break;
      }
    }
    return asked;
  }
  return asked;
}

/// Stores (or undoes) the move `m` asks for, by `by` at `now`.
Status store_move(MakeupMoves& moves, const Register& r, const MoveRequest& m,
                  const std::string& by, std::int64_t now, Date keep) {
  const std::string& plan_id = r.plan->plan->id;
  if (m.undo) return moves.remove(plan_id, m.person->id, m.option.missed->uid);
  MakeupMove move;
  move.plan_id = plan_id;
  move.person_id = m.person->id;
  move.from_uid = m.option.missed->uid;
  move.from_date = m.option.missed->start.date;
  move.to_uid = m.option.option->uid;
  move.to_date = m.option.option->start.date;
  move.moved_by = by;
  move.moved_at = now;
  return moves.put(move, keep);
}

/// A register's form has three fields a row (status, note, version), three to add someone
/// and the token: a team of 40 posts about 125, past the default limit of a form.
FormLimits register_form_limits(const Register& r) {
  FormLimits limits;
  limits.max_fields = std::max(limits.max_fields, 3 * r.rows.size() + 3 + 1 + 1);
  return limits;
}

}  // namespace

PageResponse AttendanceRoutes::register_page(const httpd::HttpRequest& request,
                                             const Signed& session, std::string_view plan_id,
                                             std::string_view date_text) const {
  const auto source = deps_.source ? deps_.source() : nullptr;
  const auto date = parse_date(date_text);
  if (!source || !date) return not_found_page();
  const auto plans = kept_plans(*source);
  const auto kept = std::find_if(plans.begin(), plans.end(),
                                 [&](const KeptPlan& p) { return p.plan->id == plan_id; });
  if (kept == plans.end()) return not_found_page();
  auto records = registers_.records({kept->plan->id, "", date->year});
  if (!records) {
    spdlog::error("attendance pages: cannot read the registers: {}", records.error().message);
    return not_found_page();
  }
  auto moves = moves_.list(kept->plan->id);
  if (!moves) {
    spdlog::error("attendance pages: cannot read the make-up moves: {}", moves.error().message);
    return not_found_page();
  }
  const auto built = build_register(*kept, *date, session.scope, *records, std::move(*moves));
  if (!built) return not_found_page();
  const std::string action = register_path(*kept->plan, *date);
  const std::int64_t now = deps_.now();
  const LocalDateTime local_now = local_time(kept->plan->timezone, now);

  FormState form;
  std::string form_error;
  const bool posted = request.method == "POST";
  if (posted) {
    auto fields = parse_form_body(request.body, register_form_limits(*built));
    if (fields) form = FormState(*fields);
    if (!session_csrf_valid(session.session_id, action, form.value(std::string(kCsrfFieldName)))) {
      return forbidden_page();
    }
    if (!fields) return not_found_page();
    const WebUser& user = session.scope.user;
    const std::string by = user.person_id.empty() ? user.email : user.person_id;
    auto changes = changes_of(*built, form, by, now);
    if (!changes) return not_found_page();
    const MoveAsked move = move_asked(*built, form, local_now);
    if (move.asked && !move.request) return not_found_page();
    if (!form.has_errors()) {
      const Date keep = keep_from(local_now.date, settings()->retention_years);
      auto written = registers_.write(*changes, keep);
      if (written && !move.request) return see_other(action);
      if (written) {
        auto stored = store_move(moves_, *built, *move.request, by, now, keep);
        if (stored && deps_.makeups_changed) deps_.makeups_changed();
        if (stored) return see_other(action);
        spdlog::error("attendance pages: a make-up move was not stored: {}",
                      stored.error().message);
        form_error = "Flyttingen ble ikke lagret. Prøv igjen om litt.";
      } else {
        // The message may name people: it is shown to this user only, never logged.
        form_error =
            "Registeret ble endret av noen andre mens du skrev, eller kunne ikke lagres. "
            "Endringene deres vises under: se over og lagre på nytt.";
      }
      form = FormState{};
    }
  }

  TemplateData data = attendance_layout("Oppmøte " + date_text_nb(*date), settings()->organisation);
  data.set("sign_out", sign_out_data(session));
  data.set("plan", kept->plan->title);
  data.set("date", date_text_nb(*date));
  TemplateData meetings = TemplateData::type::list;
  for (const Occurrence* o : built->meetings) {
    TemplateData m;
    const std::string group = occurrence_group_name(*kept->plan, *o);
    m.set("text", meeting_label_nb(*kept->plan, *o) + (group.empty() ? "" : " – " + group) + ", " +
                      time_span_text_nb(o->start.time, o->end.time));
    meetings.push_back(m);
  }
  data.set("meetings", meetings);
  data.set("action", action);
  data.set("csrf_name", std::string(kCsrfFieldName));
  data.set("csrf_token", session_csrf_token(session.session_id, action));
  data.set("move_form", std::string(kMoveForm));
  set_text(data, "form_error", form_error);
  TemplateData rows = TemplateData::type::list;
  for (std::size_t i = 0; i < built->rows.size(); ++i) {
    rows.push_back(
        row_data(*built, built->rows[i], i, form, posted && form_error.empty(), local_now));
  }
  data.set("rows", rows);
  data.set("has_rows", flag(!built->rows.empty()));
  TemplateData addable = TemplateData::type::list;
  for (const Person* person : built->addable) {
    TemplateData option;
    option.set("id", person->id);
    option.set("name", person->name);
    option.set("selected", flag(form.value(std::string(kAddPerson)) == person->id));
    addable.push_back(option);
  }
  data.set("addable", addable);
  data.set("has_addable", flag(!built->addable.empty()));
  data.set("add_choices",
           status_choices(std::string(kAddStatus), "ny", form.value(std::string(kAddStatus))));
  data.set("add_note_name", std::string(kAddNote));
  data.set("add_note", form.value(std::string(kAddNote)));
  set_text(data, "add_error", form.error(std::string(kAddStatus)).value_or(""));
  auto audit = registers_.audit({kept->plan->id, "", date->year});
  if (!audit)
    spdlog::error("attendance pages: cannot read the audit trail: {}", audit.error().message);
  const TemplateData changes =
      audit ? audit_rows(*built, *audit, session.scope) : TemplateData(TemplateData::type::list);
  data.set("changes", changes);
  data.set("has_changes", flag(audit && !changes.is_empty_list()));
  PageResponse response = html_page(render_template("attendance_register", data));
  if (form.has_errors() || !form_error.empty()) response.status = 400;
  return response;
}

}  // namespace plancal::web
