#pragma once
/// The signed-in attendance pages, without sockets (as page_routes.h is for the token pages):
///   GET  /logg-inn                  the sign-in form (an email address)
///   POST /logg-inn                  mails a one-time link to a leader or admin; the same page
///                                   for any address, so it reveals nobody
///   GET  /logg-inn/<link>           a button that signs in (a GET never spends the link: mail
///                                   scanners fetch links)
///   POST /logg-inn/<link>           spends the link, sets the session cookie, 303 /oppmote
///   POST /logg-ut                   ends the session server-side, 303 /logg-inn
///   GET  /oppmote                   the overview: the user's people, hours against the rule
///   GET  /oppmote/<plan>/<date>     the register of that date: status, note, added people
///   POST /oppmote/<plan>/<date>     saves it (store/attendance_registers.h, audit trail); its
///                                   "Flytt hit" buttons also move someone absent to another
///                                   team's date (store/makeup_moves.h), or undo the move
///   GET  /oppmote/pameldinger       admins only: every registration of the sign-ups, its
///                                   state and history (web/registration_overview.h)
/// Without a session the pages answer 303 to /logg-inn. A POST of a signed-in form without
/// its CSRF token (web/csrf.h, from a secret derived from the session id) gets 403 and changes
/// nothing. A plan, date or person outside the user's scope (web/attendance_scope.h) gets
/// the same 404 as one that does not exist. Attendance is personal data: nothing here logs it,
/// and no link, session id or cookie value is logged.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "httpd/http_types.h"
#include "mail/sender.h"
#include "store/attendance_registers.h"
#include "store/makeup_moves.h"
#include "store/registrations.h"
#include "store/web_sessions.h"
#include "web/attendance_scope.h"
#include "web/page_response.h"
#include "web/page_source.h"
#include "web/templates.h"

namespace plancal::web {

/// The settings of the pages, from the config (`attendance:`, `feeds.public_url`, `smtp:`).
struct AttendanceWebSettings {
  std::vector<std::string> admins;                     ///< `attendance.admins`, lower case
  std::int64_t idle_seconds = std::int64_t{8} * 3600;  ///< `attendance.session_idle_hours`
  int retention_years = 5;                             ///< `attendance.retention_years`
  std::string public_url;                              ///< the base of the sign-in link in the mail
  std::string organisation;                            ///< the header band's text; may be empty
  SignInLimits limits;
};

/// What the pages need from the server around them; every function must be thread-safe.
struct AttendanceWebDependencies {
  /// The plans and published events in force (the token pages' source), or nullptr before
  /// the first build.
  std::function<std::shared_ptr<const PageSource>()> source;
  /// Delivers one sign-in mail (the `smtp:` path); unset: no mail can leave.
  std::function<mail::SendResult(const mail::MailMessage&)> send_mail;
  std::function<std::int64_t()> now;  ///< Unix seconds
  /// Called after a make-up move was stored or undone, so the plans are published again and
  /// the person's calendar gains (or loses) the date; unset: the next publish takes it.
  std::function<void()> makeups_changed;
};

/// The session cookie's name.
inline constexpr std::string_view kSessionCookie = "plancal_okt";

/// The value of cookie `name` in a Cookie header, or empty.
[[nodiscard]] std::string_view cookie_value(std::string_view header, std::string_view name);

class AttendanceRoutes final : public httpd::HttpHandler {
 public:
  AttendanceRoutes(AttendanceWebSettings settings, StateDatabase database,
                   AttendanceWebDependencies dependencies);

  [[nodiscard]] httpd::HttpResponse handle(const httpd::HttpRequest& request) const override;

  /// Puts reloaded settings in force (SIGHUP): new admins may sign in, a changed idle time
  /// or retention applies to the next request. Sessions already open stay open.
  void adopt_settings(AttendanceWebSettings settings);

  /// The session of a signed-in request, for the page code.
  struct Signed {
    AttendanceScope scope;
    std::string session_id;  ///< for CSRF tokens only; never logged
  };

 private:
  [[nodiscard]] PageResponse route(const httpd::HttpRequest& request) const;
  [[nodiscard]] std::optional<Signed> signed_in(const httpd::HttpRequest& request) const;

  // Signing in and out (sign_in_pages.cpp).
  [[nodiscard]] PageResponse sign_in_form() const;
  [[nodiscard]] PageResponse request_link(const httpd::HttpRequest& request) const;
  [[nodiscard]] PageResponse link_page(std::string_view secret) const;
  [[nodiscard]] PageResponse use_link(std::string_view secret) const;
  [[nodiscard]] PageResponse sign_out(const httpd::HttpRequest& request,
                                      const Signed& session) const;
  void mail_link(const WebUser& user, const std::string& secret) const;

  // The register (register_pages.cpp).
  [[nodiscard]] PageResponse overview(const Signed& session) const;
  [[nodiscard]] PageResponse register_page(const httpd::HttpRequest& request, const Signed& session,
                                           std::string_view plan_id, std::string_view date) const;

  // The payroll report as a download (attendance_report.cpp): `rest` is
  // "<plan>/<year>.<csv|xlsx>".
  [[nodiscard]] PageResponse report(const Signed& session, std::string_view rest) const;

  // The organiser's view of the sign-ups (registration_overview.cpp).
  [[nodiscard]] PageResponse registration_overview(const Signed& session) const;

  /// The settings in force: a request works with the ones it read, while a reload
  /// (adopt_settings) puts new ones in for the next.
  [[nodiscard]] std::shared_ptr<const AttendanceWebSettings> settings() const;

  mutable std::mutex settings_mutex_;
  std::shared_ptr<const AttendanceWebSettings> settings_;  ///< guarded by settings_mutex_
  mutable WebSessions sessions_;
  mutable AttendanceRegisters registers_;
  mutable MakeupMoves moves_;
  mutable RegistrationStore registrations_;
  AttendanceWebDependencies deps_;
};

/// The token for a signed-in form at `action`, from the session id (nothing extra stored).
[[nodiscard]] std::string session_csrf_token(const std::string& session_id,
                                             std::string_view action);
/// Whether `token` is the token for `action` in this session.
[[nodiscard]] bool session_csrf_valid(const std::string& session_id, std::string_view action,
                                      std::string_view token);

/// The frame of an attendance page: page_layout.h's, plus the pages' own stylesheet.
[[nodiscard]] kainjow::mustache::data attendance_layout(const std::string& title,
                                                        const std::string& organisation);

/// Template data for templates/sign_out.mustache: the sign-out button with its token.
[[nodiscard]] kainjow::mustache::data sign_out_data(const AttendanceRoutes::Signed& session);

/// 403 "Ikke tillatt": a signed-in form without its CSRF token; nothing was changed.
[[nodiscard]] PageResponse forbidden_page();

/// The session cookie for `id` (Secure when the public URL is https), and its removal.
[[nodiscard]] std::string session_cookie(const std::string& id, bool secure);
[[nodiscard]] std::string cleared_session_cookie(bool secure);

/// A response that sends the browser to `location` with 303 See Other.
[[nodiscard]] PageResponse see_other(const std::string& location);

}  // namespace plancal::web
