#include "signup/invitation_planner.h"

#include <map>

#include "base/hash.h"

namespace plancal::signup {

namespace {

std::string fingerprint_time_text(const LocalDateTime& t) {
  return format_date(t.date) + "T" + format_time(t.time);
}

const PlanMeetings* invitation_loaded_plan(const std::vector<PlanMeetings>& plans,
                                           const std::string& id) {
  for (const auto& plan : plans) {
    if (plan.plan->id == id) return &plan;
  }
  return nullptr;
}

/// The meetings of the registration's row that are not cancelled, one per meeting of the row
/// (a row shown to several audiences has one occurrence per audience: the first is taken).
std::vector<const Occurrence*> row_meetings_due(const RegistrationRecord& r,
                                                const PlanMeetings& plan) {
  std::vector<const Occurrence*> meetings;
  if (r.state != RegistrationState::Placed || !r.placed_row) return meetings;
  std::set<std::string> seen;
  for (const auto& o : *plan.occurrences) {
    if (o.component_key != r.series_key || o.meeting_key != *r.placed_row) continue;
    if (is_makeup_copy(o)) continue;  // a person's copy, not one of the row's meetings
    if (o.kind != OccurrenceKind::Meeting || o.status == OccurrenceStatus::Cancelled) continue;
    if (seen.insert(o.occurrence_key).second) meetings.push_back(&o);
  }
  return meetings;
}

/// The cancelled meetings still in the plan, by UID, so a CANCEL can show them as they are.
std::map<std::string, const Occurrence*> plan_meetings_by_uid(const PlanMeetings& plan) {
  std::map<std::string, const Occurrence*> by_uid;
  for (const auto& o : *plan.occurrences) by_uid.emplace(o.uid, &o);
  return by_uid;
}

void plan_registration_invitations(const RegistrationRecord& r, const PlanMeetings& plan,
                                   const std::map<std::string, const SentInvitation*>& sent,
                                   std::vector<DueInvitation>& out) {
  std::set<std::string> due_uids;
  for (const Occurrence* meeting : row_meetings_due(r, plan)) {
    due_uids.insert(meeting->uid);
    const std::string fingerprint = meeting_fingerprint(*meeting);
    const auto found = sent.find(meeting->uid);
    if (found == sent.end()) {
      out.push_back({&r, InvitationMethod::Request, meeting->uid, 0, fingerprint, meeting, {}});
      continue;
    }
    const SentInvitation& last = *found->second;
    if (!last.cancelled && last.fingerprint == fingerprint) continue;  // nothing material
    out.push_back({&r, InvitationMethod::Request, meeting->uid, last.sequence + 1, fingerprint,
                   meeting, last});
  }
  const auto in_plan = plan_meetings_by_uid(plan);
  for (const auto& [uid, last] : sent) {
    if (last->cancelled || due_uids.contains(uid)) continue;
    const auto now = in_plan.find(uid);
    const Occurrence* meeting = now == in_plan.end() ? nullptr : now->second;
    out.push_back(
        {&r, InvitationMethod::Cancel, uid, last->sequence + 1, last->fingerprint, meeting, *last});
  }
}

}  // namespace

const char* to_string(InvitationMethod method) {
  return method == InvitationMethod::Cancel ? "CANCEL" : "REQUEST";
}

std::string meeting_fingerprint(const Occurrence& meeting) {
  std::string text;
  for (const std::string& field :
       {fingerprint_time_text(meeting.start), fingerprint_time_text(meeting.end), meeting.timezone,
        meeting.summary, meeting.description, meeting.location, meeting.url}) {
    text += std::to_string(field.size()) + ":" + field + ";";  // length-prefixed: unambiguous
  }
  return sha256_hex(text);
}

std::vector<DueInvitation> plan_invitations(const std::vector<RegistrationRecord>& registrations,
                                            const std::vector<PlanMeetings>& plans,
                                            const std::vector<SentInvitation>& sent) {
  std::map<std::int64_t, std::map<std::string, const SentInvitation*>> sent_by_registration;
  for (const auto& s : sent) sent_by_registration[s.registration_id][s.uid] = &s;
  const std::map<std::string, const SentInvitation*> none;
  std::vector<DueInvitation> out;
  for (const auto& r : registrations) {
    const PlanMeetings* plan = invitation_loaded_plan(plans, r.plan_id);
    if (plan == nullptr) continue;  // not loaded: nothing is withdrawn
    const auto found = sent_by_registration.find(r.id);
    plan_registration_invitations(r, *plan,
                                  found == sent_by_registration.end() ? none : found->second, out);
  }
  return out;
}

}  // namespace plancal::signup
