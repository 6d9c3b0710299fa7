#include "web/signup_mail.h"

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
  return {"Kvittering for påmeldingen: " + title,
          "Påmeldingen til " + title + " er registrert. Slik står den nå:",
          "Endre eller trekk påmeldingen", "Lenken er personlig: del den ikke med andre."};
}

}  // namespace

mail::MailMessage compose_signup_mail(const RegistrationMail& mail,
                                      const SignupMailContext& context) {
  const RegistrationRecord& r = mail.registration;
  const MailText text = text_for(mail, series_title(context.plan, r.series_key));
  const std::vector<std::string> lines = registration_lines(context.plan, r);

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
