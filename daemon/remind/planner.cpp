#include "remind/planner.h"

#include <algorithm>
#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include "base/hash.h"
#include "expand/expander.h"
#include "ical/timezone.h"
#include "remind/compose.h"

namespace plancal::remind {

namespace {

bool is_active(const StoredEvent& event) {
  return !event.removed && event.occurrence.status == OccurrenceStatus::Confirmed;
}

std::string when_key(const LocalDateTime& when) {
  return format_date(when.date) + "T" + format_time(when.time);
}

std::string join_lines(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += '\n';
    out += part;
  }
  return out;
}

/// Everything but the id and the delivery state.
std::string content_hash(const ReminderRecord& r) {
  return sha256_hex(
      join_lines({r.kind, r.recipient_email, r.recipient_name, std::to_string(r.due_at), r.subject,
                  r.body_text, r.body_html, r.when_key, r.uids}));
}

/// Fills the common fields of a reminder and its hash.
ReminderRecord make_record(const std::string& id, const Plan& plan, const std::string& kind,
                           const Person& person, std::int64_t due, const ComposedText& text,
                           const PlannerSettings& settings) {
  ReminderRecord r;
  r.id = id;
  r.plan_id = plan.id;
  r.kind = kind;
  r.recipient_id = person.id;
  r.recipient_name = person.name;
  r.recipient_email = person.email;
  r.due_at = due;
  r.subject = text.subject;
  r.body_text = text.text;
  r.body_html = text.html;
  r.message_id = "<" + id + "@" + settings.message_id_domain + ">";
  return r;
}

/// Local `time` on `lead_days` before `date`, as Unix seconds; nullopt on a zone error.
std::optional<std::int64_t> due_before(const std::string& tz, LocalDateTime when, int lead_days) {
  when.date = add_days(when.date, -lead_days);
  auto unix = to_unix_seconds(tz, when);
  if (!unix) {
    spdlog::warn("reminders: cannot place {} in {}: {}", format_date(when.date), tz,
                 unix.error().message);
    return std::nullopt;
  }
  return *unix;
}

/// The leader first, then the people reporting to them, by name.
std::vector<const Person*> staff_of(const Plan& plan, const Person& leader) {
  std::vector<const Person*> staff;
  for (const auto& person : plan.roster) {
    if (person.reports_to == leader.id) staff.push_back(&person);
  }
  std::sort(staff.begin(), staff.end(),
            [](const Person* a, const Person* b) { return a->name < b->name; });
  staff.insert(staff.begin(), &leader);
  return staff;
}

std::vector<const Person*> leaders_of(const Plan& plan) {
  std::set<std::string> ids;
  for (const auto& person : plan.roster) {
    if (person.leader) ids.insert(person.id);
    if (!person.reports_to.empty()) ids.insert(person.reports_to);
  }
  std::vector<const Person*> leaders;
  for (const auto& person : plan.roster) {
    if (ids.count(person.id) != 0) leaders.push_back(&person);
  }
  return leaders;
}

bool sees(const Plan& plan, const Person& person, const Occurrence& o) {
  return AudienceView(plan, Audience{Audience::Kind::Person, person.id}).sees(o.audience);
}

/// date -> the day's meetings with the staff who attend them.
std::map<Date, std::vector<Attendance>> leader_days(const Plan& plan, const Person& leader,
                                                    const std::vector<StoredEvent>& events) {
  const auto staff = staff_of(plan, leader);
  std::map<Date, std::vector<Attendance>> days;
  for (const auto& event : events) {
    const Occurrence& o = event.occurrence;
    if (!is_active(event) || o.kind != OccurrenceKind::Meeting) continue;
    Attendance attendance{&o, {}};
    for (const Person* person : staff) {
      if (sees(plan, *person, o)) attendance.people.push_back(person);
    }
    if (!attendance.people.empty()) days[o.start.date].push_back(std::move(attendance));
  }
  return days;
}

void add_leader_digests(const Plan& plan, const Person& leader,
                        const std::vector<StoredEvent>& events, const PlannerSettings& settings,
                        std::vector<ReminderRecord>& out) {
  for (auto& [date, items] : leader_days(plan, leader, events)) {
    std::sort(items.begin(), items.end(), [](const Attendance& a, const Attendance& b) {
      return std::tie(a.occurrence->start, a.occurrence->uid) <
             std::tie(b.occurrence->start, b.occurrence->uid);
    });
    std::vector<std::string> uids;
    for (const auto& item : items) uids.push_back(item.occurrence->uid);
    const std::string anchor = *std::min_element(uids.begin(), uids.end());
    const LocalDateTime first = items.front().occurrence->start;
    const ComposedText text = compose_leader_digest(leader, items);
    for (const int lead : settings.leader_lead_days) {
      const auto due = due_before(items.front().occurrence->timezone, first, lead);
      if (!due) continue;
      const std::string id =
          reminder_id("leader", {plan.id, leader.id, anchor, std::to_string(lead)});
      ReminderRecord r = make_record(id, plan, "leader", leader, *due, text, settings);
      r.when_key = when_key(first);
      r.group_key = "leader|" + plan.id + "|" + leader.id + "|" + anchor;
      r.uids = join_lines(uids);
      r.content_hash = content_hash(r);
      out.push_back(std::move(r));
    }
  }
}

void add_single(const Plan& plan, const Person& person, const Occurrence& o,
                const std::string& kind, const std::vector<int>& leads, LocalDateTime at,
                const ComposedText& text, const PlannerSettings& settings,
                std::vector<ReminderRecord>& out) {
  for (const int lead : leads) {
    const auto due = due_before(o.timezone, at, lead);
    if (!due) continue;
    const std::string id = reminder_id(kind, {plan.id, person.id, o.uid, std::to_string(lead)});
    ReminderRecord r = make_record(id, plan, kind, person, *due, text, settings);
    r.when_key = o.all_day ? format_date(o.start.date) : when_key(o.start);
    r.group_key = kind + "|" + plan.id + "|" + person.id + "|" + o.uid;
    r.uids = o.uid;
    r.content_hash = content_hash(r);
    out.push_back(std::move(r));
  }
}

void add_person_reminders(const Plan& plan, const Person& person,
                          const std::vector<StoredEvent>& events, const PlannerSettings& settings,
                          std::vector<ReminderRecord>& out) {
  for (const auto& event : events) {
    const Occurrence& o = event.occurrence;
    if (!is_active(event) || !sees(plan, person, o)) continue;
    if (o.kind == OccurrenceKind::Deadline && o.component_key == "wheel") {
      add_single(plan, person, o, "deadline", settings.deadline_lead_days,
                 {o.start.date, settings.deadline_time}, compose_deadline(person, o), settings,
                 out);
    } else if (settings.participant_email && o.kind == OccurrenceKind::Meeting &&
               !o.content.preparation.empty()) {
      add_single(plan, person, o, "participant", {settings.participant_lead_days}, o.start,
                 compose_participant(person, o), settings, out);
    }
  }
}

std::optional<std::int64_t> start_of(const ReminderRecord& r, const std::string& tz) {
  const auto date = parse_date(r.when_key.substr(0, 10));
  if (!date) return std::nullopt;
  TimeOfDay time{};
  if (r.when_key.size() >= 16) time = parse_time_of_day(r.when_key.substr(11, 5)).value_or(time);
  auto unix = to_unix_seconds(tz, {*date, time});
  if (!unix) return std::nullopt;
  return *unix;
}

/// Notices and register reminders do not announce a meeting ahead: a moved or cancelled
/// meeting gives them no notice of their own.
bool is_notice(const ReminderRecord& r) {
  return r.kind == "change" || r.kind == "cancel" || r.kind == "register";
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at <= text.size()) {
    const auto end = text.find('\n', at);
    lines.push_back(text.substr(at, end == std::string::npos ? std::string::npos : end - at));
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return lines;
}

/// True when every uid is known and none of them is active any more.
bool all_gone(const std::string& uids, const std::map<std::string, const StoredEvent*>& events) {
  for (const auto& uid : split_lines(uids)) {
    const auto it = events.find(uid);
    if (it == events.end() || is_active(*it->second)) return false;
  }
  return true;
}

ReminderRecord as_notice(const ReminderRecord& source, const std::string& id,
                         const std::string& kind, std::int64_t now, const ComposedText& text,
                         const PlannerSettings& settings) {
  ReminderRecord notice = source;
  notice.id = id;
  notice.kind = kind;
  notice.due_at = now;
  notice.subject = text.subject;
  notice.body_text = text.text;
  notice.body_html = text.html;
  notice.message_id = "<" + id + "@" + settings.message_id_domain + ">";
  notice.state = ReminderState::Planned;
  notice.attempts = 0;
  notice.next_attempt_at = 0;
  notice.sent_at = 0;
  notice.last_error.clear();
  notice.content_hash = content_hash(notice);
  return notice;
}

}  // namespace

std::string reminder_id(const std::string& kind, const std::vector<std::string>& parts) {
  std::string key = kind;
  for (const auto& part : parts) key += "|" + part;
  return kind + "-" + sha256_hex(key).substr(0, 24);
}

std::vector<ReminderRecord> plan_reminders(const Plan& plan, const std::vector<StoredEvent>& events,
                                           const PlannerSettings& settings) {
  std::vector<ReminderRecord> out;
  for (const Person* leader : leaders_of(plan)) {
    add_leader_digests(plan, *leader, events, settings, out);
  }
  for (const auto& person : plan.roster) add_person_reminders(plan, person, events, settings, out);
  std::sort(out.begin(), out.end(), [](const ReminderRecord& a, const ReminderRecord& b) {
    return std::tie(a.due_at, a.id) < std::tie(b.due_at, b.id);
  });
  return out;
}

std::vector<ReminderRecord> plan_register_reminders(const Plan& plan,
                                                    const std::vector<RegisterGap>& gaps,
                                                    const PlannerSettings& settings) {
  std::vector<ReminderRecord> out;
  if (!settings.register_after_hours || settings.public_url.empty()) return out;
  for (const auto& gap : gaps) {
    if (gap.leader == nullptr || gap.leader->email.empty()) continue;
    auto ended = to_unix_seconds(plan.timezone, gap.ended);
    if (!ended) continue;
    const std::string date = format_date(gap.date);
    const std::string url = settings.public_url + "/oppmote/" + plan.id + "/" + date;
    const std::string id = reminder_id("register", {plan.id, gap.leader->id, date});
    const std::int64_t due = *ended + std::int64_t{*settings.register_after_hours} * 3600;
    const ComposedText text =
        compose_register_reminder(*gap.leader, gap.date, gap.missing, gap.scheduled, url);
    ReminderRecord r = make_record(id, plan, "register", *gap.leader, due, text, settings);
    r.group_key = "register|" + plan.id + "|" + gap.leader->id + "|" + date;
    r.uids = join_lines(gap.uids);
    r.content_hash = content_hash(r);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<ReminderRecord> change_notices(const std::vector<ReminderRecord>& planned,
                                           const std::vector<ReminderRecord>& stored,
                                           std::int64_t now, const std::string& timezone,
                                           const PlannerSettings& settings) {
  std::map<std::string, const ReminderRecord*> sent;
  for (const auto& r : stored) {
    if (r.state == ReminderState::Sent && !is_notice(r)) sent.emplace(r.id, &r);
  }
  std::map<std::string, ReminderRecord> notices;  // by id: one per group and new time
  for (const auto& r : planned) {
    const auto it = sent.find(r.id);
    if (it == sent.end() || it->second->when_key == r.when_key) continue;
    const auto starts = start_of(r, timezone);
    if (starts && *starts <= now) continue;
    const std::string id = reminder_id("change", {r.group_key, r.when_key});
    if (notices.count(id) != 0) continue;
    const ComposedText text = compose_change_notice(it->second->when_key, r.when_key,
                                                    {r.subject, r.body_text, r.body_html});
    ReminderRecord notice = as_notice(r, id, "change", now, text, settings);
    notices.emplace(id, std::move(notice));
  }
  std::vector<ReminderRecord> out;
  for (auto& [id, notice] : notices) out.push_back(std::move(notice));
  return out;
}

std::vector<ReminderRecord> cancellation_notices(const std::vector<ReminderRecord>& stored,
                                                 const std::vector<StoredEvent>& events,
                                                 const std::string& plan_id, std::int64_t now,
                                                 const std::string& timezone,
                                                 const PlannerSettings& settings) {
  std::map<std::string, const StoredEvent*> by_uid;
  for (const auto& event : events) by_uid.emplace(event.occurrence.uid, &event);
  std::map<std::string, ReminderRecord> notices;  // by id: one per group
  for (const auto& r : stored) {
    if (r.plan_id != plan_id || r.state != ReminderState::Sent || is_notice(r)) continue;
    if (!all_gone(r.uids, by_uid)) continue;
    const auto starts = start_of(r, timezone);
    if (!starts || *starts <= now) continue;
    const std::string id = reminder_id("cancel", {r.group_key});
    if (notices.count(id) != 0) continue;
    const ComposedText text =
        compose_cancellation_notice(r.when_key, {r.subject, r.body_text, r.body_html});
    notices.emplace(id, as_notice(r, id, "cancel", now, text, settings));
  }
  std::vector<ReminderRecord> out;
  for (auto& [id, notice] : notices) out.push_back(std::move(notice));
  return out;
}

}  // namespace plancal::remind
