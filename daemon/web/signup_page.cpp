#include "web/signup_page.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "base/hash.h"
#include "base/norwegian_text.h"
#include "base/text.h"
#include "ical/timezone.h"
#include "store/secrets.h"
#include "web/csrf.h"
#include "web/page_layout.h"
#include "web/page_response.h"
#include "web/signup_form.h"
#include "web/signup_response.h"
#include "web/signup_view.h"
#include "web/templates.h"

namespace plancal::web {

namespace {

constexpr std::string_view kConfirmSegment = "bekreft";
constexpr std::string_view kChangeSegment = "endre";
constexpr std::string_view kRowFeedSegment = "kalender";

/// The two path segments after "/pamelding/", or nullopt for any other shape.
std::optional<std::pair<std::string_view, std::string_view>> segments(std::string_view path) {
  if (!path.starts_with(kSignupPrefix)) return std::nullopt;
  path.remove_prefix(kSignupPrefix.size());
  const auto slash = path.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string_view first = path.substr(0, slash);
  const std::string_view second = path.substr(slash + 1);
  if (first.empty() || second.empty() || second.find('/') != std::string_view::npos) {
    return std::nullopt;
  }
  return std::pair{first, second};
}

std::string random_nonce() {
  auto nonce = generate_token_secret();
  if (!nonce)
    throw std::runtime_error("OpenSSL's random generator failed: " + nonce.error().message);
  return *nonce;
}

}  // namespace

std::string signup_page_path(std::string_view plan_id, std::string_view series_key) {
  return std::string(kSignupPrefix) + std::string(plan_id) + "/" + std::string(series_key);
}

std::string confirm_link_path(std::string_view secret) {
  return std::string(kSignupPrefix) + std::string(kConfirmSegment) + "/" + std::string(secret);
}

std::string change_link_path(std::string_view secret) {
  return std::string(kSignupPrefix) + std::string(kChangeSegment) + "/" + std::string(secret);
}

std::string row_feed_path(std::string_view secret) {
  return std::string(kSignupPrefix) + std::string(kRowFeedSegment) + "/" + std::string(secret) +
         ".ics";
}

std::string row_feed_secret(const std::string& link_key, const std::string& change_nonce) {
  return derive_token_secret(link_key, "kalender:" + change_nonce);
}

SignupPages::SignupPages(SignupDependencies dependencies)
    : deps_(std::move(dependencies)),
      limiter_(deps_.posts_per_window, deps_.window_seconds),
      store_(deps_.database),
      version_reader_(deps_.database) {}

std::optional<SignupPages::Target> SignupPages::find(std::string_view plan_id,
                                                     std::string_view series_key) const {
  for (const auto& plan : deps_.plans()) {
    if (plan->id != plan_id) continue;
    for (const auto& series : plan->series) {
      if (series.key == series_key && series.registration_deadline) return Target{plan, &series};
    }
  }
  return std::nullopt;
}

bool SignupPages::closed(const Target& target) const {
  auto closes_at = end_of_day(target.plan->timezone, *target.series->registration_deadline);
  // A zone libical does not know was refused when the plan was loaded; close rather than guess.
  return !closes_at || deps_.now() >= *closes_at;
}

httpd::HttpResponse SignupPages::handle(const httpd::HttpRequest& request) const {
  const auto parts = segments(request.path);
  if (!parts) return signup_not_found();
  const auto [first, second] = *parts;
  if (first == kConfirmSegment) return confirm(request, second);
  if (first == kChangeSegment) return change(request, second);
  if (first == kRowFeedSegment) return row_feed(request, second);
  const auto target = find(first, second);
  if (!target) return signup_not_found();
  if (httpd::is_get_or_head(request.method)) return show_open_form(request, *target);
  if (request.method == "POST") return submit(request, *target);
  return plain_text(405, "Bare GET, HEAD og POST er tillatt her.\n", "GET, HEAD, POST");
}

std::string SignupPages::new_message_id() const {
  return "<pamelding." + random_nonce().substr(0, 22) + "@" + deps_.message_id_domain + ">";
}

std::optional<httpd::HttpResponse> SignupPages::refuse_post(const httpd::HttpRequest& request,
                                                            std::string_view purpose) const {
  const std::int64_t now = deps_.now();
  if (!limiter_.allow(request.client_address, now)) {
    httpd::HttpResponse response =
        plain_text(429, "For mange innsendinger fra denne adressen. Vent litt og prøv igjen.\n");
    response.headers.emplace_back(
        "Retry-After", std::to_string(limiter_.retry_after(request.client_address, now)));
    return response;
  }
  const auto fields = parse_form_body(request.body);
  const auto secret = signup_cookie_secret(request);
  std::string token;
  if (fields) {
    for (const auto& [name, value] : *fields) {
      if (name == kCsrfFieldName) token = value;
    }
  }
  if (!secret || !csrf_token_valid(*secret, purpose, token)) {
    spdlog::warn("sign-up: refused a form post from {} without a valid CSRF token",
                 request.client_address);
    return plain_text(403,
                      "Skjemaet kunne ikke sendes (sikkerhetskoden mangler eller er utløpt). Last "
                      "siden på nytt og send igjen.\n");
  }
  if (!fields)
    return plain_text(400, "Skjemaet kunne ikke leses: " + fields.error().message + "\n");
  return std::nullopt;
}

httpd::HttpResponse SignupPages::show(const httpd::HttpRequest& request, const Target& target,
                                      const FormState& form, int status) const {
  auto registrations = store_.registrations(target.plan->id);
  if (!registrations) {
    spdlog::error("sign-up page {}: {}", request.path, registrations.error().message);
    return plain_text(503, "Påmeldingen er ikke tilgjengelig akkurat nå. Prøv igjen om litt.\n");
  }
  SignupView view{*target.plan, *target.series, *registrations, closed(target)};
  const std::string action = signup_page_path(target.plan->id, target.series->key);
  return render_with_csrf(request, status, "signup", signup_data(view, form, action), action,
                          deps_.secure_cookie);
}

httpd::HttpResponse SignupPages::show_open_form(const httpd::HttpRequest& request,
                                                const Target& target) const {
  const auto frame = empty_form(request, target);
  if (!frame) {
    return plain_text(503, "Påmeldingen er ikke tilgjengelig akkurat nå. Prøv igjen om litt.\n");
  }
  return respond_with_frame(request, 200, *frame,
                            signup_page_path(target.plan->id, target.series->key),
                            deps_.secure_cookie);
}

std::shared_ptr<const FormFrame> SignupPages::empty_form(const httpd::HttpRequest& request,
                                                         const Target& target) const {
  // Read what the frame depends on before the registrations, so a change committed while it
  // is rendered leaves it keyed as stale.
  const bool is_closed = closed(target);
  const auto version = version_reader_.data_version();
  const std::uint64_t writes = own_writes_.load();
  const auto same_inputs = [&](const CachedForm& c) {
    return c.plan == target.plan && c.series_key == target.series->key && c.closed == is_closed &&
           version && c.data_version == *version && c.own_writes == writes;
  };
  {
    const std::lock_guard lock(cache_mutex_);
    const auto hit = std::find_if(cache_.begin(), cache_.end(), same_inputs);
    if (hit != cache_.end()) return hit->frame;
  }
  auto registrations = store_.registrations(target.plan->id);
  if (!registrations) {
    spdlog::error("sign-up page {}: {}", request.path, registrations.error().message);
    return nullptr;
  }
  SignupView view{*target.plan, *target.series, *registrations, is_closed};
  const std::string action = signup_page_path(target.plan->id, target.series->key);
  auto frame = render_form_frame("signup", signup_data(view, FormState{}, action));
  // The template has at most one CSRF field; more is a bug in it.
  if (!frame) throw std::logic_error("templates/signup.mustache: more than one CSRF token field");
  auto shared = std::make_shared<const FormFrame>(std::move(*frame));
  if (version) {
    const std::lock_guard lock(cache_mutex_);
    std::erase_if(cache_, [&](const CachedForm& c) {
      return c.series_key == target.series->key && c.plan->id == target.plan->id;
    });
    cache_.push_back({target.plan, target.series->key, is_closed, *version, writes, shared});
  }
  return shared;
}

httpd::HttpResponse SignupPages::submit(const httpd::HttpRequest& request,
                                        const Target& target) const {
  const std::string action = signup_page_path(target.plan->id, target.series->key);
  if (auto refused = refuse_post(request, action)) return *refused;
  FormState form(*parse_form_body(request.body));
  if (closed(target)) return show(request, target, FormState{}, 403);
  if (!form.value(kHoneypotField).empty()) {
    spdlog::info("sign-up {}: a post with the honeypot filled in from {} was dropped", action,
                 request.client_address);
    return message_page(200, target.plan->organizer, "Takk for påmeldingen",
                        {"Sjekk e-posten din: du får en lenke som bekrefter påmeldingen."});
  }
  const auto entry = check_signup(*target.series, form);
  if (!entry) return show(request, target, form, 422);
  if (deps_.link_key.empty()) {
    return plain_text(503,
                      "Påmeldingen tar ikke imot påmeldinger akkurat nå. Prøv igjen senere.\n");
  }

  NewRegistration registration;
  registration.plan_id = target.plan->id;
  registration.series_key = target.series->key;
  registration.organisation = entry->organisation;
  registration.contact_name = entry->contact_name;
  registration.email = entry->email;
  registration.participants = entry->participants;
  registration.preferences = entry->preferences;
  registration.confirm_nonce = random_nonce();
  registration.confirm_hash =
      sha256_hex(derive_token_secret(deps_.link_key.reveal(), registration.confirm_nonce));
  registration.change_nonce = random_nonce();
  registration.change_hash =
      sha256_hex(derive_token_secret(deps_.link_key.reveal(), registration.change_nonce));
  registration.confirm_message_id = new_message_id();
  auto added = store_.add(registration, deps_.now());
  if (!added) {
    spdlog::error("sign-up {}: the registration could not be stored: {}", action,
                  added.error().message);
    return plain_text(503, "Påmeldingen kunne ikke lagres akkurat nå. Prøv igjen om litt.\n");
  }
  spdlog::info("sign-up {}: registration {} stored, waiting for confirmation", action, added->id);
  note_own_write();
  if (deps_.mail_planned) deps_.mail_planned();
  return message_page(200, target.plan->organizer, "Takk for påmeldingen",
                      {"Vi har sendt en e-post til " + entry->email +
                           ". Følg lenken i den for å bekrefte påmeldingen.",
                       "Påmeldingen teller først når den er bekreftet. Lenken virker i ett døgn."});
}

}  // namespace plancal::web
