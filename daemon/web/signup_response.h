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

/// A form page rendered once with its CSRF token cut out: the text before the token and
/// after it. Each request then only puts a new token between the two, as personal pages put
/// a link's secret into their frames (web/page_frames.h).
struct FormFrame {
  std::string before_token;
  std::string after_token;
  bool has_token = true;  ///< false: a page without a form (the closed sign-up), all before
};

/// Renders `template_name` as render_with_csrf does, with a stand-in token, and cuts there;
/// nullopt when the stand-in appears more than once.
[[nodiscard]] std::optional<FormFrame> render_form_frame(std::string_view template_name,
                                                         TemplateData data);

/// The frame with the request's CSRF token put in (the cookie set as render_with_csrf does):
/// byte for byte what render_with_csrf gives for the same data.
[[nodiscard]] httpd::HttpResponse respond_with_frame(const httpd::HttpRequest& request, int status,
                                                     const FormFrame& frame,
                                                     std::string_view purpose, bool secure_cookie);

/// templates/signup_message.mustache: a heading and lines, no form.
[[nodiscard]] httpd::HttpResponse message_page(int status, const std::string& organisation,
                                               const std::string& heading,
                                               const std::vector<std::string>& lines);

}  // namespace plancal::web
