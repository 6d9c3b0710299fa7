// Signing in and out of the attendance pages: the form, the one-time link by mail, the
// button behind the link, and sign-out. No link, session id or address asked for is logged.

#include <spdlog/spdlog.h>

#include "base/text.h"
#include "store/secrets.h"
#include "web/attendance_routes.h"
#include "web/form.h"
#include "web/page_layout.h"
#include "web/templates.h"

namespace plancal::web {

namespace {

constexpr std::string_view kSignInEmailField = "epost";
constexpr std::size_t kMaxEmailBytes = 254;

const FieldSpec& email_field() {
  static const FieldSpec kSpec{.name = std::string(kSignInEmailField),
                               .label = "E-postadresse",
                               .type = "email",
                               .hint = "Adressen du står med i personallisten.",
                               .required = true,
                               .max_length = kMaxEmailBytes};
  return kSpec;
}

bool looks_like_email(std::string_view text) {
  const auto at = text.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < text.size() &&
         text.find('@', at + 1) == std::string_view::npos &&
         text.find_first_of(" \t\r\n<>,;\"") == std::string_view::npos &&
         text.size() <= kMaxEmailBytes;
}

PageResponse sign_in_page(const FormState& form, bool sent, const std::string& organisation) {
  TemplateData data = attendance_layout("Logg inn – oppmøte", organisation);
  data.set("field", field_data(email_field(), form));
  data.set("sent", flag(sent));
  PageResponse response = html_page(render_template("sign_in", data));
  if (form.has_errors()) response.status = 400;
  return response;
}

std::string escape_html(std::string_view text) { return escape_markup(text, "&#39;"); }

}  // namespace

std::string session_cookie(const std::string& id, bool secure) {
  return std::string(kSessionCookie) + "=" + id + "; Path=/; HttpOnly; SameSite=Lax" +
         (secure ? "; Secure" : "");
}

std::string cleared_session_cookie(bool secure) {
  return std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" +
         (secure ? "; Secure" : "");
}

PageResponse AttendanceRoutes::sign_in_form() const {
  return sign_in_page(FormState{}, false, settings()->organisation);
}

PageResponse AttendanceRoutes::request_link(const httpd::HttpRequest& request) const {
  auto fields = parse_form_body(request.body);
  FormState form = fields ? FormState(*fields) : FormState{};
  const std::string email(trim(form.value(std::string(kSignInEmailField))));
  if (!fields || !looks_like_email(email)) {
    form.add_error(std::string(kSignInEmailField),
                   "Skriv inn en e-postadresse, for eksempel kari@eksempel.no.");
    return sign_in_page(form, false, settings()->organisation);
  }
  const auto source = deps_.source ? deps_.source() : nullptr;
  std::vector<const Plan*> plans;
  std::vector<std::shared_ptr<const Plan>> kept;
  if (source) kept = source->plans();
  for (const auto& plan : kept) plans.push_back(plan.get());

  const auto admitted = sessions_.admit_sign_in_request(email, request.client_address, deps_.now(),
                                                        settings()->limits);
  const auto user = sign_in_user(plans, settings()->admins, email);
  if (!admitted) {
    spdlog::error("sign-in: cannot count the request: {}", admitted.error().message);
  } else if (!*admitted) {
    spdlog::warn(
        "sign-in: more requests than the hourly limit from one address or client; "
        "no mail sent");
  } else if (user) {
    auto secret = sessions_.create_link(*user, deps_.now());
    if (secret) {
      mail_link(*user, *secret);
    } else {
      spdlog::error("sign-in: {}", secret.error().message);
    }
  }
  // The same answer whoever asked: the page tells nobody who is a leader.
  return sign_in_page(FormState{}, true, settings()->organisation);
}

void AttendanceRoutes::mail_link(const WebUser& user, const std::string& secret) const {
  if (!deps_.send_mail) {
    spdlog::warn("sign-in: a leader asked for a link, but no smtp section is configured");
    return;
  }
  const std::string url = settings()->public_url + "/logg-inn/" + secret;
  mail::MailMessage message;
  message.to = {"", user.email};
  message.subject = "Innloggingslenke for oppmøte";
  message.text =
      "Hei!\n\nHer er lenken for å logge inn og føre oppmøte:\n\n" + url +
      "\n\nLenken virker i 15 minutter og kan brukes én gang. Har du ikke bedt om den, kan du "
      "se bort fra denne e-posten.\n";
  message.html = "<p>Hei!</p><p>Her er lenken for å logge inn og føre oppmøte:</p><p><a href=\"" +
                 escape_html(url) +
                 "\">Logg inn</a></p><p>Lenken virker i 15 minutter og kan "
                 "brukes én gang. Har du ikke bedt om den, kan du se bort fra denne "
                 "e-posten.</p>";
  auto id = generate_token_secret();
  message.message_id = "<" + (id ? id->substr(0, 24) : std::string("signin")) + "@plancal.invalid>";
  message.date = deps_.now();
  if (const auto sent = deps_.send_mail(message); !sent) {
    spdlog::warn("sign-in: the mail with a link was not sent: {}", sent.error().message);
  }
}

PageResponse AttendanceRoutes::link_page(std::string_view secret) const {
  auto live = sessions_.link_is_live(secret, deps_.now());
  TemplateData data = attendance_layout("Logg inn – oppmøte", settings()->organisation);
  const bool ok = live && *live;
  data.set("live", flag(ok));
  data.set("action", "/logg-inn/" + std::string(secret));
  PageResponse response = html_page(render_template("sign_in_link", data));
  if (!ok) response.status = 404;
  return response;
}

PageResponse AttendanceRoutes::use_link(std::string_view secret) const {
  auto user = sessions_.consume_link(secret, deps_.now());
  if (!user || !*user) {
    if (!user) spdlog::error("sign-in: {}", user.error().message);
    return link_page(secret);
  }
  auto id = sessions_.create_session(**user, deps_.now());
  if (!id) {
    spdlog::error("sign-in: {}", id.error().message);
    return link_page(secret);
  }
  PageResponse response = see_other("/oppmote");
  response.headers.emplace_back("Set-Cookie",
                                session_cookie(*id, settings()->public_url.starts_with("https:")));
  return response;
}

PageResponse AttendanceRoutes::sign_out(const httpd::HttpRequest& request,
                                        const Signed& session) const {
  auto fields = parse_form_body(request.body);
  const FormState form = fields ? FormState(*fields) : FormState{};
  if (!session_csrf_valid(session.session_id, "/logg-ut", form.value("csrf"))) {
    return forbidden_page();
  }
  if (auto ended = sessions_.end_session(session.session_id); !ended) {
    spdlog::error("sign-out: {}", ended.error().message);
  }
  PageResponse response = see_other("/logg-inn");
  response.headers.emplace_back(
      "Set-Cookie", cleared_session_cookie(settings()->public_url.starts_with("https:")));
  return response;
}

}  // namespace plancal::web
