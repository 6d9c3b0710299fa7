// AttendanceRoutes: which request goes to which page, the session behind a request, and the
// CSRF check of every signed-in form. The pages themselves are in sign_in_pages.cpp and
// register_pages.cpp.

#include "web/attendance_routes.h"

#include <spdlog/spdlog.h>

#include "base/hash.h"
#include "web/attendance_view.h"
#include "web/csrf.h"
#include "web/page_layout.h"
#include "web/registration_overview.h"
#include "web/templates.h"

namespace plancal::web {

namespace {

constexpr std::string_view kSignIn = "/logg-inn";
constexpr std::string_view kSignOut = "/logg-ut";
constexpr std::string_view kRegister = "/oppmote";

httpd::HttpResponse to_http(PageResponse page) {
  httpd::HttpResponse response;
  response.status = page.status;
  response.headers = std::move(page.headers);
  response.owned_body = std::move(page.body);
  return response;
}

PageResponse method_not_allowed(std::string_view allow) {
  PageResponse response = not_found_page();
  response.status = 405;
  response.headers.emplace_back("Allow", std::string(allow));
  return response;
}

/// Signed-in pages hold personal data: no cache keeps them, not even the browser's.
void no_store(PageResponse& response) {
  for (auto& [name, value] : response.headers) {
    if (name == "Cache-Control") value = "no-store";
  }
}

/// The part of `path` after `prefix` + '/', or nullopt when `path` is not below it.
std::optional<std::string_view> below(std::string_view path, std::string_view prefix) {
  if (!path.starts_with(prefix) || path.size() <= prefix.size() + 1 || path[prefix.size()] != '/') {
    return std::nullopt;
  }
  return path.substr(prefix.size() + 1);
}

}  // namespace

std::string_view cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name) {
      return pair.substr(equals + 1);
    }
  }
  return {};
}

std::string session_csrf_token(const std::string& session_id, std::string_view action) {
  return csrf_token(Secret(sha256_hex("csrf\n" + session_id)), action);
}

bool session_csrf_valid(const std::string& session_id, std::string_view action,
                        std::string_view token) {
  if (session_id.empty()) return false;
  return csrf_token_valid(Secret(sha256_hex("csrf\n" + session_id)), action, token);
}

TemplateData attendance_layout(const std::string& title, const std::string& organisation) {
  TemplateData data = layout_data(title, organisation);
  data.set("extra_stylesheet", "/static/attendance.css");
  return data;
}

TemplateData sign_out_data(const AttendanceRoutes::Signed& session) {
  TemplateData data;
  data.set("csrf_name", std::string(kCsrfFieldName));
  data.set("csrf_token", session_csrf_token(session.session_id, "/logg-ut"));
  return data;
}

PageResponse forbidden_page() {
  PageResponse response =
      html_page(render_template("forbidden", attendance_layout("Ikke tillatt", "")));
  response.status = 403;
  return response;
}

PageResponse see_other(const std::string& location) {
  PageResponse response;
  response.status = 303;
  response.headers = page_headers();
  response.headers.emplace_back("Location", location);
  return response;
}

AttendanceRoutes::AttendanceRoutes(AttendanceWebSettings settings, StateDatabase database,
                                   AttendanceWebDependencies dependencies)
    : settings_(std::make_shared<const AttendanceWebSettings>(std::move(settings))),
      sessions_(database),
      registers_(database),
      moves_(database),
      registrations_(database),
      deps_(std::move(dependencies)) {}

void AttendanceRoutes::adopt_settings(AttendanceWebSettings settings) {
  auto next = std::make_shared<const AttendanceWebSettings>(std::move(settings));
  const std::lock_guard lock(settings_mutex_);
  settings_ = std::move(next);
}

std::shared_ptr<const AttendanceWebSettings> AttendanceRoutes::settings() const {
  const std::lock_guard lock(settings_mutex_);
  return settings_;
}

httpd::HttpResponse AttendanceRoutes::handle(const httpd::HttpRequest& request) const {
  PageResponse response = route(request);
  no_store(response);
  return to_http(std::move(response));
}

std::optional<AttendanceRoutes::Signed> AttendanceRoutes::signed_in(
    const httpd::HttpRequest& request) const {
  if (!request.cookie) return std::nullopt;
  const std::string id(cookie_value(*request.cookie, kSessionCookie));
  if (id.empty()) return std::nullopt;
  auto user = sessions_.resume_session(id, deps_.now(), settings()->idle_seconds);
  if (!user) {
    spdlog::error("attendance pages: cannot read sessions: {}", user.error().message);
    return std::nullopt;
  }
  if (!*user) return std::nullopt;
  return Signed{scope_of(**user, settings()->admins), id};
}

PageResponse AttendanceRoutes::route(const httpd::HttpRequest& request) const {
  const std::string_view path = request.path;
  const bool post = request.method == "POST";
  if (!post && !httpd::is_get_or_head(request.method)) return method_not_allowed("GET, HEAD, POST");

  if (path == kSignIn) return post ? request_link(request) : sign_in_form();
  if (auto link = below(path, kSignIn)) {
    if (link->find('/') != std::string_view::npos) return not_found_page();
    return post ? use_link(*link) : link_page(*link);
  }

  const auto session = signed_in(request);
  if (path == kSignOut) {
    if (!post) return method_not_allowed("POST");
    if (!session) return see_other(std::string(kSignIn));
    return sign_out(request, *session);
  }
  if (path != kRegister && !below(path, kRegister)) return not_found_page();
  if (!session) return see_other(std::string(kSignIn));
  if (path == kRegister) return post ? method_not_allowed("GET, HEAD") : overview(*session);
  if (path == kRegistrationOverviewPath) {
    return post ? method_not_allowed("GET, HEAD") : registration_overview(*session);
  }
  if (auto rest = below(path, kReportPrefix)) {
    return post ? method_not_allowed("GET, HEAD") : report(*session, *rest);
  }
  const std::string_view rest = *below(path, kRegister);
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) return not_found_page();
  return register_page(request, *session, rest.substr(0, slash), rest.substr(slash + 1));
}

}  // namespace plancal::web
