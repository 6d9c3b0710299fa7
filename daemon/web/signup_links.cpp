// The links a registration's mails carry (web/signup_page.h): confirm, change/withdraw, and
// the placed row's calendar. A GET only shows a button (mail scanners fetch every link in a
// mail); the POST acts. The link is the secret: only its SHA-256 is looked up (the row
// feed's is derived again), and it is never logged.

#include <spdlog/spdlog.h>

#include <algorithm>

#include "base/hash.h"
#include "expand/expander.h"
#include "ical/render.h"
#include "store/secrets.h"
#include "web/page_layout.h"
#include "web/signup_page.h"
#include "web/signup_response.h"
#include "web/signup_view.h"

namespace plancal::web {

namespace {

std::shared_ptr<const Plan> plan_of(const std::vector<std::shared_ptr<const Plan>>& plans,
                                    const std::string& plan_id) {
  for (const auto& plan : plans) {
    if (plan->id == plan_id) return plan;
  }
  return nullptr;
}

/// The meetings of the row `r` holds, as one calendar to subscribe to (the same UIDs as its
/// invitations); no event while it holds none.
std::string row_calendar(const Plan* plan, const RegistrationRecord& r, std::int64_t now) {
  std::vector<Occurrence> occurrences;
  std::string row_name = "Datorekke";
  if (plan != nullptr && r.state == RegistrationState::Placed && r.placed_row) {
    for (auto& o : expand_plan(*plan)) {
      if (o.component_key == r.series_key && o.meeting_key == *r.placed_row) {
        occurrences.push_back(std::move(o));
      }
    }
    row_name = row_names(plan, r.series_key, {*r.placed_row});
  }
  std::vector<EventToRender> events;
  for (const auto& o : occurrences) events.push_back({&o, EventRevision{0, now, 0, false}});
  CalendarOptions options;
  options.name = r.organisation + " – " + row_name;
  if (plan != nullptr) options.timezone = plan->timezone;
  options.refresh_minutes = 60;
  return render_calendar(options, events);
}

/// A page with the registration's lines and a button that posts to `action`.
httpd::HttpResponse button_page(const httpd::HttpRequest& request, const Plan* plan,
                                const RegistrationRecord& r, const std::string& heading,
                                const std::string& button, const std::string& action,
                                bool secure_cookie) {
  TemplateData data = layout_data(heading, plan ? plan->organizer : "");
  data.set("heading", heading);
  data.set("lines", text_list(registration_lines(plan, r)));
  data.set("form_action", action);
  data.set("button", button);
  return render_with_csrf(request, 200, "signup_message", data, action, secure_cookie);
}

}  // namespace

httpd::HttpResponse SignupPages::confirm(const httpd::HttpRequest& request,
                                         std::string_view secret) const {
  if (!looks_like_token_secret(secret)) return signup_not_found();
  const std::string hash = sha256_hex(secret);
  const std::string action = confirm_link_path(secret);
  const std::int64_t now = deps_.now();
  if (httpd::is_get_or_head(request.method)) {
    auto found = store_.find_by_confirm_hash(hash, now);
    if (!found || !*found) return signup_not_found();
    const auto plan = plan_of(deps_.plans(), (*found)->plan_id);
    return button_page(request, plan.get(), **found, "Bekreft påmeldingen", "Bekreft påmeldingen",
                       action, deps_.secure_cookie);
  }
  if (request.method != "POST") return plain_text(405, "Bare GET og POST.\n", "GET, HEAD, POST");
  if (auto refused = refuse_post(request, action)) return *refused;
  auto confirmed = store_.confirm(hash, new_message_id(), now);
  if (!confirmed) {
    spdlog::error("sign-up: a confirmation could not be stored: {}", confirmed.error().message);
    return plain_text(503, "Bekreftelsen kunne ikke lagres akkurat nå. Prøv igjen om litt.\n");
  }
  if (!*confirmed) return signup_not_found();
  spdlog::info("sign-up: registration {} confirmed", (*confirmed)->id);
  if (deps_.registrations_changed) deps_.registrations_changed();
  note_own_write();
  if (deps_.mail_planned) deps_.mail_planned();
  const auto plan = plan_of(deps_.plans(), (*confirmed)->plan_id);
  auto lines = registration_lines(plan.get(), **confirmed);
  lines.emplace_back(
      "Du får en kvittering på e-post med en lenke der du kan endre eller trekke "
      "påmeldingen.");
  return message_page(200, plan ? plan->organizer : "", "Påmeldingen er bekreftet", lines);
}

httpd::HttpResponse SignupPages::change(const httpd::HttpRequest& request,
                                        std::string_view secret) const {
  if (!looks_like_token_secret(secret)) return signup_not_found();
  const std::string hash = sha256_hex(secret);
  const std::string action = change_link_path(secret);
  if (httpd::is_get_or_head(request.method)) {
    auto found = store_.find_by_change_hash(hash);
    if (!found || !*found) return signup_not_found();
    const auto plan = plan_of(deps_.plans(), (*found)->plan_id);
    if ((*found)->state == RegistrationState::Withdrawn) {
      return message_page(200, plan ? plan->organizer : "", "Påmeldingen er trukket",
                          registration_lines(plan.get(), **found));
    }
    return button_page(request, plan.get(), **found, "Din påmelding", "Trekk påmeldingen", action,
                       deps_.secure_cookie);
  }
  if (request.method != "POST") return plain_text(405, "Bare GET og POST.\n", "GET, HEAD, POST");
  if (auto refused = refuse_post(request, action)) return *refused;
  auto withdrawn = store_.withdraw(hash, deps_.now());
  if (!withdrawn) {
    spdlog::error("sign-up: a withdrawal could not be stored: {}", withdrawn.error().message);
    return plain_text(503, "Endringen kunne ikke lagres akkurat nå. Prøv igjen om litt.\n");
  }
  if (!*withdrawn) return signup_not_found();
  spdlog::info("sign-up: registration {} withdrawn", (*withdrawn)->id);
  if (deps_.registrations_changed) deps_.registrations_changed();
  note_own_write();
  if (deps_.mail_planned) deps_.mail_planned();
  const auto plan = plan_of(deps_.plans(), (*withdrawn)->plan_id);
  return message_page(200, plan ? plan->organizer : "", "Påmeldingen er trukket",
                      registration_lines(plan.get(), **withdrawn));
}

httpd::HttpResponse SignupPages::row_feed(const httpd::HttpRequest& request,
                                          std::string_view file) const {
  if (!httpd::is_get_or_head(request.method)) {
    return plain_text(405, "Bare GET og HEAD.\n", "GET, HEAD");
  }
  if (!file.ends_with(".ics") || deps_.link_key.empty()) return signup_not_found();
  const std::string_view secret = file.substr(0, file.size() - 4);
  if (!looks_like_token_secret(secret)) return signup_not_found();
  auto registrations = store_.registrations("");
  if (!registrations) {
    spdlog::error("sign-up: a row feed could not be read: {}", registrations.error().message);
    return plain_text(503, "Kalenderen er ikke tilgjengelig akkurat nå. Prøv igjen om litt.\n");
  }
  // The secret is stored nowhere: each registration's is derived and compared (a few hundred
  // HMACs at most), in constant time.
  const auto found = std::find_if(registrations->begin(), registrations->end(), [&](const auto& r) {
    return constant_time_equal(row_feed_secret(deps_.link_key.reveal(), r.change_nonce), secret);
  });
  if (found == registrations->end()) return signup_not_found();
  const auto plan = plan_of(deps_.plans(), found->plan_id);
  httpd::HttpResponse response = no_store_page(200, row_calendar(plan.get(), *found, deps_.now()));
  response.headers.front().second = "text/calendar; charset=utf-8";
  return response;
}

}  // namespace plancal::web
