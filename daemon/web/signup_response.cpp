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

httpd::HttpResponse render_with_csrf(const httpd::HttpRequest& request, int status,
                                     std::string_view template_name, TemplateData data,
                                     std::string_view purpose, bool secure_cookie) {
  httpd::HttpResponse response = no_store_page(status, "");
  auto secret = signup_cookie_secret(request);
  if (!secret) {
    secret = new_csrf_secret();
    std::string cookie = std::string(kSignupCsrfCookie) + "=" + secret->reveal() +
                         "; Path=/pamelding/; HttpOnly; SameSite=Strict";
    if (secure_cookie) cookie += "; Secure";
    response.headers.emplace_back("Set-Cookie", std::move(cookie));
  }
  data.set("csrf_name", std::string(kCsrfFieldName));
  data.set("csrf_token", csrf_token(*secret, purpose));
  response.owned_body = render_template(template_name, data);
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
