#pragma once
/// Private to the sign-up pages: their responses. Every one sends page_response.h's security
/// headers with `Cache-Control: no-store` (the pages carry a CSRF token and what one
/// organisation typed), and forms get the double-submit CSRF secret from a cookie, set on the
/// first GET.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/secret.h"
#include "httpd/http_types.h"
#include "web/templates.h"

namespace plancal::web {

[[nodiscard]] httpd::HttpResponse no_store_page(int status, std::string html);
[[nodiscard]] httpd::HttpResponse plain_text(int status, std::string text, std::string allow = "");
[[nodiscard]] httpd::HttpResponse signup_not_found();

/// The CSRF secret of the request's `pamelding_csrf` cookie, when it has a well-formed one.
[[nodiscard]] std::optional<Secret> signup_cookie_secret(const httpd::HttpRequest& request);

/// Renders `template_name` with `data` plus the CSRF field for the form `purpose`, setting
/// the cookie when the client has none yet.
[[nodiscard]] httpd::HttpResponse render_with_csrf(const httpd::HttpRequest& request, int status,
                                                   std::string_view template_name,
                                                   TemplateData data, std::string_view purpose,
                                                   bool secure_cookie);

/// templates/signup_message.mustache: a heading and lines, no form.
[[nodiscard]] httpd::HttpResponse message_page(int status, const std::string& organisation,
                                               const std::string& heading,
                                               const std::vector<std::string>& lines);

}  // namespace plancal::web
