#include "service/meeting_invitations.h"

#include "base/hash.h"
#include "ical/imip.h"
#include "service/publish.h"
#include "store/meeting_invitations.h"
#include "store/registrations.h"
#include "web/signup_mail.h"
#include "web/signup_page.h"
#include "web/signup_view.h"

namespace plancal {

namespace {

const Plan* invitation_plan_with_id(const std::vector<signup::PlanMeetings>& plans,
                                    const std::string& id) {
  for (const auto& p : plans) {
    if (p.plan->id == id) return p.plan;
  }
  return nullptr;
}

/// The meeting a CANCEL shows when it is gone from the plan: what was last sent of it.
Occurrence invitation_gone_meeting(const signup::SentInvitation& previous) {
  Occurrence o;
  o.uid = previous.uid;
  o.summary = previous.summary;
  o.start = previous.start;
  o.end = previous.end;
  o.timezone = previous.timezone;
  return o;
}

std::string meeting_message_id(const signup::DueInvitation& due, const Config& config) {
  const std::string key = std::to_string(due.registration->id) + "\n" + due.uid + "\n" +
                          std::to_string(due.sequence) + "\n" + signup::to_string(due.method);
  return "<meeting." + sha256_hex(key).substr(0, 32) + "@" + config.reminders.message_id_domain +
         ">";
}

PlannedMeetingMail render_meeting_mail(const Config& config, const signup::DueInvitation& due,
                                       const Plan* plan, std::int64_t now) {
  const RegistrationRecord& r = *due.registration;
  const bool cancel = due.method == signup::InvitationMethod::Cancel;
  const Occurrence meeting =
      due.meeting != nullptr ? *due.meeting : invitation_gone_meeting(due.previous);

  PlannedMeetingMail mail;
  mail.state = {
      r.id,          due.uid,     due.sequence,    due.fingerprint, cancel, meeting.summary,
      meeting.start, meeting.end, meeting.timezone};
  mail.method = signup::to_string(due.method);
  mail.recipient_name = r.contact_name;
  mail.recipient = r.email;
  mail.message_id = meeting_message_id(due, config);

  ical::ImipMessage imip;
  imip.cancel = cancel;
  imip.meeting = &meeting;
  imip.sequence = due.sequence;
  imip.dtstamp = now;
  imip.organizer = {config.smtp->from_name, config.smtp->from_address};
  imip.attendee = {r.contact_name, r.email};
  mail.calendar = ical::render_imip(imip);

  web::MeetingMailContent content;
  content.contact_name = r.contact_name;
  content.organisation = r.organisation;
  content.row_name = web::row_names(plan, r.series_key, {r.placed_row.value_or("")});
  content.summary = meeting.summary;
  content.start = meeting.start;
  content.end = meeting.end;
  content.location = meeting.location;
  content.url = meeting.url;
  content.series_link = config.feeds.public_url + web::signup_page_path(r.plan_id, r.series_key);
  content.sender_name = config.smtp->from_name;
  content.update = !cancel && due.sequence > 0;
  content.cancel = cancel;
  const auto text = web::compose_meeting_mail(content);
  mail.subject = text.subject;
  mail.text = text.text;
  mail.html = text.html;
  return mail;
}

}  // namespace

Result<int> plan_meeting_invitations(const Config& config, StateDatabase database,
                                     const std::vector<signup::PlanMeetings>& plans,
                                     std::int64_t now) {
  if (!config.smtp) return 0;
  auto registrations = RegistrationStore(database).registrations("");
  if (!registrations) return registrations.error();
  if (registrations->empty()) return 0;
  // Decided inside the store's write transaction, from what was last planned as it is then.
  return MeetingInvitationStore(database).decide_and_plan(
      [&](const std::vector<signup::SentInvitation>& sent) {
        std::vector<PlannedMeetingMail> mails;
        for (const auto& due : signup::plan_invitations(*registrations, plans, sent)) {
          const Plan* plan = invitation_plan_with_id(plans, due.registration->plan_id);
          mails.push_back(render_meeting_mail(config, due, plan, now));
        }
        return mails;
      },
      now);
}

Result<int> plan_meeting_invitations_from_files(const Config& config, StateDatabase database,
                                                std::int64_t now) {
  if (!config.smtp) return 0;
  auto registrations = RegistrationStore(database).registrations("");
  if (!registrations) return registrations.error();
  if (registrations->empty()) return 0;
  std::vector<ExpandedPlan> expanded;
  for (const auto& file : config.plan_files) {
    Diagnostics diagnostics;
    if (auto plan = load_expanded_plan(file, diagnostics)) expanded.push_back(std::move(*plan));
  }
  std::vector<signup::PlanMeetings> plans;
  for (const auto& p : expanded) plans.push_back({&p.plan, &p.occurrences});
  return plan_meeting_invitations(config, std::move(database), plans, now);
}

}  // namespace plancal
