#include "web/signup_response.h"

#include <algorithm>

#include "base/text.h"
#include "web/csrf.h"
#include "web/page_layout.h"
#include "web/page_response.h"
#include "web/signup_page.h"

namespace plancal::web {

httpd::HttpResponse no_store_page(int status, std::string html) {
  httpd::HttpResponse response;
  response.status = status;
  response.headers = page_headers();
  for (auto& [name, value] : response.headers) {
    if (name == "Cache-Control") value = "no-store";
  }
  response.owned_body = std::move(html);
  return response;
}

httpd::HttpResponse plain_text(int status, std::string text, std::string allow) {
  httpd::HttpResponse response = no_store_page(status, std::move(text));
  response.headers.front().second = "text/plain; charset=utf-8";
  if (!allow.empty()) response.headers.emplace_back("Allow", std::move(allow));
  return response;
}

httpd::HttpResponse signup_not_found() {
  PageResponse page = not_found_page();
  return no_store_page(page.status, std::move(page.body));
}

std::optional<Secret> signup_cookie_secret(const httpd::HttpRequest& request) {
  if (!request.cookie) return std::nullopt;
  std::string_view rest = *request.cookie;
  while (!rest.empty()) {
    const auto semicolon = rest.find(';');
    const std::string_view pair = trim(rest.substr(0, semicolon));
    rest = semicolon == std::string_view::npos ? std::string_view{} : rest.substr(semicolon + 1);
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos || pair.substr(0, equals) != kSignupCsrfCookie) continue;
    const std::string_view value = pair.substr(equals + 1);
    const bool hex = value.size() == 64 && std::all_of(value.begin(), value.end(), [](char c) {
                       return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                     });
    if (hex) return Secret(std::string(value));
  }
  return std::nullopt;
}

namespace {

/// Stands in for the CSRF token while a frame is rendered: the token's length and alphabet
/// (64 lower-case hex digits would be a real one; this is not hex, so it cannot be one).
constexpr std::string_view kTokenStandIn =
    "csrftokenstandinxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

/// The request's CSRF secret; a new one, with the header that sets it, when it has none.
Secret csrf_secret_for(const httpd::HttpRequest& request, bool secure_cookie,
                       httpd::HttpResponse& response) {
  if (auto secret = signup_cookie_secret(request)) return std::move(*secret);
  Secret secret = new_csrf_secret();
  std::string cookie = std::string(kSignupCsrfCookie) + "=" + secret.reveal() +
                       "; Path=/pamelding/; HttpOnly; SameSite=Strict";
  if (secure_cookie) cookie += "; Secure";
  response.headers.emplace_back("Set-Cookie", std::move(cookie));
  return secret;
}

}  // namespace

httpd::HttpResponse render_with_csrf(const httpd::HttpRequest& request, int status,
                                     std::string_view template_name, TemplateData data,
                                     std::string_view purpose, bool secure_cookie) {
  httpd::HttpResponse response = no_store_page(status, "");
  const Secret secret = csrf_secret_for(request, secure_cookie, response);
  data.set("csrf_name", std::string(kCsrfFieldName));
  data.set("csrf_token", csrf_token(secret, purpose));
  response.owned_body = render_template(template_name, data);
  return response;
}

std::optional<FormFrame> render_form_frame(std::string_view template_name, TemplateData data) {
  data.set("csrf_name", std::string(kCsrfFieldName));
  data.set("csrf_token", std::string(kTokenStandIn));
  std::string page = render_template(template_name, data);
  const auto at = page.find(kTokenStandIn);
  if (at == std::string::npos) return FormFrame{std::move(page), "", false};
  if (page.find(kTokenStandIn, at + 1) != std::string::npos) return std::nullopt;
  FormFrame frame;
  frame.after_token = page.substr(at + kTokenStandIn.size());
  page.resize(at);
  frame.before_token = std::move(page);
  return frame;
}

httpd::HttpResponse respond_with_frame(const httpd::HttpRequest& request, int status,
                                       const FormFrame& frame, std::string_view purpose,
                                       bool secure_cookie) {
  httpd::HttpResponse response = no_store_page(status, "");
  const Secret secret = csrf_secret_for(request, secure_cookie, response);
  if (!frame.has_token) {
    response.owned_body = frame.before_token;
    return response;
  }
  const std::string token = csrf_token(secret, purpose);
  std::string body;
  body.reserve(frame.before_token.size() + token.size() + frame.after_token.size());
  body.append(frame.before_token).append(token).append(frame.after_token);
  response.owned_body = std::move(body);
  return response;
}

httpd::HttpResponse message_page(int status, const std::string& organisation,
                                 const std::string& heading,
                                 const std::vector<std::string>& lines) {
  TemplateData data = layout_data(heading, organisation);
  data.set("heading", heading);
  data.set("lines", text_list(lines));
  data.set("form_action", false);
  return no_store_page(status, render_template("signup_message", data));
}

}  // namespace plancal::web
