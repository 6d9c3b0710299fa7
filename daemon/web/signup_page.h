#pragma once
/// The public sign-up pages (issue 17, seed 003), without sockets (as page_routes.h):
///   GET|HEAD /pamelding/<plan-id>/<series-key>  the rows, their dates, places left, FULLT,
///                                               the deadline, and the form
///   POST     /pamelding/<plan-id>/<series-key>  a registration: stored unconfirmed, with its
///                                               confirmation mail planned (303 to a receipt)
///   GET      /pamelding/bekreft/<secret>        a button that confirms (mail scanners fetch
///   POST     /pamelding/bekreft/<secret>        links: only the POST confirms)
///   GET      /pamelding/endre/<secret>          the registration's status, and a button that
///   POST     /pamelding/endre/<secret>          withdraws it
///   GET      /pamelding/kalender/<secret>.ics   the row a placed registration holds, as a
///                                               calendar to subscribe to
///
/// A confirmation or withdrawal calls `registrations_changed`, which allocates a series whose
/// registration has closed at once (service/registration_allocation.h). The open form is
/// rendered once per change of what it shows and each GET only puts its own CSRF token in.
///
/// Anti-abuse without third parties: a CSRF token bound by double submit to a cookie the GET
/// sets (there is no session on a public page), a honeypot field (a bot's post is answered as
/// if accepted and stores nothing), bounded field lengths, and a per-client-address limit on
/// posts (429). After the deadline (the day after `registration_deadline` in the plan's zone)
/// the form is closed and a POST stores nothing. Links are never logged.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/secret.h"
#include "httpd/http_types.h"
#include "plan/model.h"
#include "store/database.h"
#include "store/registrations.h"
#include "web/form.h"
#include "web/rate_limit.h"
#include "web/signup_response.h"

namespace plancal::web {

/// Where the sign-up pages live.
inline constexpr std::string_view kSignupPrefix = "/pamelding/";
/// The cookie that carries the double-submit CSRF secret.
inline constexpr std::string_view kSignupCsrfCookie = "pamelding_csrf";

/// "/pamelding/<plan-id>/<series-key>".
[[nodiscard]] std::string signup_page_path(std::string_view plan_id, std::string_view series_key);
/// "/pamelding/bekreft/<secret>" and "/pamelding/endre/<secret>".
[[nodiscard]] std::string confirm_link_path(std::string_view secret);
[[nodiscard]] std::string change_link_path(std::string_view secret);
/// "/pamelding/kalender/<secret>.ics": a placed organisation's row as a calendar to subscribe
/// to. Its secret is derived from the link key and the registration's change nonce, so it is
/// stored nowhere and differs from the change link (a calendar app keeps the URL; it must not
/// be able to withdraw the registration).
[[nodiscard]] std::string row_feed_path(std::string_view secret);
[[nodiscard]] std::string row_feed_secret(const std::string& link_key,
                                          const std::string& change_nonce);

/// What the pages need from the server around them; every function must be thread-safe.
struct SignupDependencies {
  /// The plans in force (the config's order).
  std::function<std::vector<std::shared_ptr<const Plan>>()> plans;
  StateDatabase database;
  Secret link_key;  ///< derives the links from their nonces (store/link_key.h)
  std::function<std::int64_t()> now;
  std::string message_id_domain = "plancal";  ///< config reminders.message_id_domain
  /// A registration was confirmed or withdrawn: once a series' registration has closed,
  /// that may place someone from the waiting list (service/registration_allocation.h).
  /// Called before mail_planned, so the placement mail goes with the others. May be empty.
  std::function<void()> registrations_changed;
  /// A mail was planned: the loop that sends mail should look soon. May be empty.
  std::function<void()> mail_planned;
  int posts_per_window = 20;  ///< per client address
  std::int64_t window_seconds = 600;
  bool secure_cookie = false;  ///< Secure on the CSRF cookie (the public URL is https)
};

class SignupPages final : public httpd::HttpHandler {
 public:
  explicit SignupPages(SignupDependencies dependencies);

  [[nodiscard]] httpd::HttpResponse handle(const httpd::HttpRequest& request) const override;

  /// A reloaded `signup.rate_limit` (SIGHUP), in force from the next post.
  void adopt_rate_limit(int posts_per_window, std::int64_t window_seconds) {
    limiter_.set_limit(posts_per_window, window_seconds);
  }

 private:
  struct Target {
    std::shared_ptr<const Plan> plan;
    const Series* series = nullptr;
  };
  [[nodiscard]] std::optional<Target> find(std::string_view plan_id,
                                           std::string_view series_key) const;
  [[nodiscard]] bool closed(const Target& target) const;
  [[nodiscard]] httpd::HttpResponse show(const httpd::HttpRequest& request, const Target& target,
                                         const FormState& form, int status) const;
  [[nodiscard]] httpd::HttpResponse submit(const httpd::HttpRequest& request,
                                           const Target& target) const;
  [[nodiscard]] httpd::HttpResponse confirm(const httpd::HttpRequest& request,
                                            std::string_view secret) const;
  [[nodiscard]] httpd::HttpResponse change(const httpd::HttpRequest& request,
                                           std::string_view secret) const;
  /// GET of a row feed (web/signup_row_feed.cpp): the meetings of the row the registration
  /// holds; an empty calendar while it holds none (waiting, withdrawn), so a subscription
  /// empties instead of keeping what it had.
  [[nodiscard]] httpd::HttpResponse row_feed(const httpd::HttpRequest& request,
                                             std::string_view file) const;
  [[nodiscard]] std::string new_message_id() const;
  [[nodiscard]] std::optional<httpd::HttpResponse> refuse_post(const httpd::HttpRequest& request,
                                                               std::string_view purpose) const;

  /// The open form of one series as last rendered (signup_response.h's FormFrame), and
  /// what it was rendered from: a GET with nothing typed copies it while none of that changed.
  struct CachedForm {
    std::shared_ptr<const Plan> plan;  ///< a reload gives new plans: the frame is then stale
    std::string series_key;
    bool closed = false;
    std::int64_t data_version = 0;  ///< other connections' commits (PRAGMA data_version)
    std::uint64_t own_writes = 0;   ///< this connection's changes of registrations
    std::shared_ptr<const FormFrame> frame;
  };
  /// GET of the page: the empty form, from the cache when nothing it shows has changed.
  [[nodiscard]] httpd::HttpResponse show_open_form(const httpd::HttpRequest& request,
                                                   const Target& target) const;
  /// The empty form of `target`, from the cache or rendered (and cached); null when the
  /// registrations cannot be read.
  [[nodiscard]] std::shared_ptr<const FormFrame> empty_form(const httpd::HttpRequest& request,
                                                            const Target& target) const;
  /// After this connection changed registrations: every cached form is stale.
  void note_own_write() const { ++own_writes_; }

  SignupDependencies deps_;
  mutable RateLimiter limiter_;
  mutable RegistrationStore store_;
  mutable StateDatabase version_reader_;  ///< deps_.database, for data_version()
  mutable std::atomic<std::uint64_t> own_writes_{0};
  mutable std::mutex cache_mutex_;
  mutable std::vector<CachedForm> cache_;  ///< one per series; guarded by cache_mutex_
};

}  // namespace plancal::web
