#include "web/signup_mail.h"

#include "base/norwegian_text.h"
#include "web/signup_view.h"
#include "web/templates.h"

namespace plancal::web {

namespace {

struct MailText {
  std::string subject;
  std::string intro;
  std::string link_text;
  std::string link_note;
};

std::string series_title(const Plan* plan, const std::string& series_key) {
  if (plan) {
    for (const auto& series : plan->series) {
      if (series.key == series_key) return series.title;
    }
  }
  return series_key;
}

MailText text_for(const RegistrationMail& mail, const std::string& title) {
  if (mail.kind == RegistrationMailKind::Confirm) {
    return {"Bekreft påmeldingen: " + title,
            "Takk for påmeldingen til " + title +
                ". Bekreft e-postadressen din med lenken under; påmeldingen teller først når den "
                "er bekreftet.",
            "Bekreft påmeldingen",
            "Lenken virker i ett døgn. Har du ikke meldt deg på, kan du se bort fra denne "
            "e-posten."};
  }
  if (mail.kind == RegistrationMailKind::Placement) {
    return {"Svar på påmeldingen: " + title,
            "Påmeldingen til " + title +
                " er behandlet, og plassene er fordelt. Resultatet for organisasjonen: " +
                mail.note + ".",
            "Endre eller trekk påmeldingen",
            "Har organisasjonen fått plass, kommer hvert møte som en egen kalenderinvitasjon. "
            "Lenken er personlig: del den ikke med andre."};
  }
  return {"Kvittering for påmeldingen: " + title,
          "Påmeldingen til " + title + " er registrert. Slik står den nå:",
          "Endre eller trekk påmeldingen", "Lenken er personlig: del den ikke med andre."};
}

std::string meeting_when(const MeetingMailContent& c) {
  return date_time_text_nb(c.start) + "–" + time_text_nb(c.end.time);
}

std::string meeting_subject(const MeetingMailContent& c) {
  const std::string what = c.summary + ", " + date_time_text_nb(c.start);
  if (c.cancel) return "Avlyst: " + what;
  return (c.update ? "Endret: " : "Invitasjon: ") + what;
}

std::string meeting_intro(const MeetingMailContent& c) {
  if (c.cancel) {
    return "Møtet under er ikke lenger et av " + c.organisation +
           " sine møter (avlyst, eller organisasjonen har ikke lenger plass i datorekken). "
           "Kalenderen din fjerner det når du åpner vedlegget.";
  }
  const std::string intro = c.organisation + " har plass i " + c.row_name + ". ";
  if (c.update) return intro + "Møtet under er endret; invitasjonen erstatter den forrige.";
  return intro + "Her er møtet som en kalenderinvitasjon: legg det inn i kalenderen.";
}

std::vector<std::string> meeting_lines(const MeetingMailContent& c) {
  std::vector<std::string> lines{"Møte: " + c.summary, "Tid: " + meeting_when(c)};
  if (!c.location.empty()) lines.push_back("Sted: " + c.location);
  if (!c.url.empty() && !c.cancel) lines.push_back("Lenke til møtet: " + c.url);
  return lines;
}

}  // namespace

MeetingMailText compose_meeting_mail(const MeetingMailContent& c) {
  MeetingMailText out;
  out.subject = meeting_subject(c);
  const std::string intro = meeting_intro(c);
  const auto lines = meeting_lines(c);
  const std::string link_text = "Alle møtene i datorekkene";
  const std::string link_note =
      "Invitasjonen følger endringer: flyttes eller avlyses et møte, "
      "får du en oppdatering av den samme avtalen.";
  out.text = "Hei " + c.contact_name + "!\n\n" + intro + "\n\n";
  for (const auto& line : lines) out.text += "- " + line + "\n";
  out.text += "\n" + link_text + ":\n" + c.series_link + "\n\n" + link_note + "\n";
  if (!c.sender_name.empty()) out.text += "\nHilsen\n" + c.sender_name + "\n";

  TemplateData data;
  data.set("subject", out.subject);
  data.set("name", c.contact_name);
  data.set("intro", intro);
  data.set("lines", text_list(lines));
  data.set("link", c.series_link);
  data.set("link_text", link_text);
  data.set("link_note", link_note);
  set_text(data, "sender", c.sender_name);
  out.html = render_template("signup_mail", data);
  return out;
}

mail::MailMessage compose_signup_mail(const RegistrationMail& mail,
                                      const SignupMailContext& context) {
  const RegistrationRecord& r = mail.registration;
  const MailText text = text_for(mail, series_title(context.plan, r.series_key));
  std::vector<std::string> lines = registration_lines(context.plan, r);
  if (!context.row_feed_link.empty() && r.state == RegistrationState::Placed) {
    lines.push_back("Datorekkens møter som kalender å abonnere på: " + context.row_feed_link);
  }

  std::string body = "Hei " + r.contact_name + "!\n\n" + text.intro + "\n\n";
  for (const auto& line : lines) body += "- " + line + "\n";
  body += "\n" + text.link_text + ":\n" + context.link + "\n\n" + text.link_note + "\n";
  if (!context.from.name.empty()) body += "\nHilsen\n" + context.from.name + "\n";

  TemplateData data;
  data.set("subject", text.subject);
  data.set("name", r.contact_name);
  data.set("intro", text.intro);
  data.set("lines", text_list(lines));
  data.set("link", context.link);
  data.set("link_text", text.link_text);
  data.set("link_note", text.link_note);
  set_text(data, "sender", context.from.name);

  mail::MailMessage message;
  message.from = context.from;
  message.to = {r.contact_name, r.email};
  message.subject = text.subject;
  message.text = body;
  message.html = render_template("signup_mail", data);
  message.message_id = mail.message_id;
  message.date = context.now;
  return message;
}

}  // namespace plancal::web
