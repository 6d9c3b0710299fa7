#include "graph/token.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace plancal::graph {

namespace {

using nlohmann::json;

constexpr std::string_view kScope = "https://graph.microsoft.com/.default";
/// Renew this long before expiry, or at half the lifetime for very short-lived tokens.
constexpr std::chrono::seconds kRenewMargin{300};

struct Hint {
  long code;
  std::string_view text;
};

constexpr std::array kHints{
    Hint{7000215,
         "the client secret is wrong: put the secret's Value (not its Secret ID) from the app "
         "registration's Certificates & secrets page into"},
    Hint{7000222,
         "the client secret has expired: create a new one under Certificates & secrets and "
         "put its Value into"},
    Hint{1002012, "the scope must be https://graph.microsoft.com/.default (plancal sends it)"},
    Hint{65001,
         "an administrator must grant admin consent for the application permission "
         "Calendars.ReadWrite"},
    Hint{700016, "no app with this client_id in the tenant: check graph.client_id and tenant"},
    Hint{90002, "the tenant was not found: check graph.tenant"},
    Hint{7000216, "the client secret is empty: check"},
};

std::string hint_for(long code, const TokenSettings& settings) {
  for (const Hint& hint : kHints) {
    if (hint.code != code) continue;
    std::string text(hint.text);
    const bool names_secret = code == 7000215 || code == 7000222 || code == 7000216;
    if (names_secret) {
      text += " " + (settings.secret_origin.empty() ? std::string("the secret file")
                                                    : settings.secret_origin);
    }
    return text;
  }
  return {};
}

/// The first line of an AADSTS description: later lines carry trace and correlation ids.
std::string first_line(const std::string& text) {
  const auto end = text.find_first_of("\r\n");
  return end == std::string::npos ? text : text.substr(0, end);
}

std::chrono::seconds lifetime_of(const json& answer) {
  const json& value = answer.at("expires_in");
  if (value.is_number()) return std::chrono::seconds(value.get<long>());
  return std::chrono::seconds(std::stol(value.get<std::string>()));
}

}  // namespace

std::string form_encode(const std::string& value) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4U];
      out += kHex[byte & 0xFU];
    }
  }
  return out;
}

std::string describe_token_error(int status, const std::string& body,
                                 const TokenSettings& settings) {
  std::string where = "the Microsoft identity platform refused a token for app " +
                      settings.client_id + " in tenant " + settings.tenant;
  const json answer = json::parse(body, nullptr, false);
  if (!answer.is_object() || !answer.contains("error")) {
    return where + " (HTTP " + std::to_string(status) + ")";
  }
  long code = 0;
  if (answer.contains("error_codes") && answer["error_codes"].is_array() &&
      !answer["error_codes"].empty() && answer["error_codes"][0].is_number()) {
    code = answer["error_codes"][0].get<long>();
  }
  std::string message = where + ": " + answer.value("error", std::string("error"));
  const std::string description = first_line(answer.value("error_description", std::string()));
  if (!description.empty()) message += ": " + description;
  if (code != 0 && description.find("AADSTS") == std::string::npos) {
    message += " (AADSTS" + std::to_string(code) + ")";
  }
  const std::string hint = hint_for(code, settings);
  if (!hint.empty()) message += "; hint: " + hint;
  return message;
}

TokenProvider::TokenProvider(http::HttpClient& http, TokenSettings settings, SteadyNow now)
    : http_(http), settings_(std::move(settings)), now_(std::move(now)) {
  if (!now_) now_ = [] { return std::chrono::steady_clock::now(); };
}

Result<std::string> TokenProvider::token() {
  const std::lock_guard lock(mutex_);
  if (!token_.empty() && now_() < renew_at_) return token_;
  return fetch();
}

void TokenProvider::invalidate(const std::string& rejected) {
  const std::lock_guard lock(mutex_);
  if (token_ == rejected) token_.clear();
}

int TokenProvider::fetches() const {
  const std::lock_guard lock(mutex_);
  return fetches_;
}

Result<std::string> TokenProvider::fetch() {
  http::HttpRequest request = http::HttpRequest::make(
      "POST", settings_.login_base + "/" + form_encode(settings_.tenant) + "/oauth2/v2.0/token");
  request.headers.set("Content-Type", "application/x-www-form-urlencoded");
  request.body = "client_id=" + form_encode(settings_.client_id) +
                 "&scope=" + form_encode(std::string(kScope)) +
                 "&grant_type=client_credentials&client_secret=" +
                 form_encode(settings_.client_secret.reveal());
  const auto started = now_();
  Result<http::HttpResponse> response = http_.send(request);
  std::fill(request.body.begin(), request.body.end(), '\0');  // the secret, wiped
  if (!response) {
    return Error{"no token from the Microsoft identity platform for tenant " + settings_.tenant +
                 ": " + response.error().message};
  }
  if (!response->is_success()) {
    return Error{describe_token_error(response->status, response->body, settings_)};
  }
  const json answer = json::parse(response->body, nullptr, false);
  if (!answer.is_object() || !answer.contains("access_token") || !answer.contains("expires_in")) {
    return Error{"the token endpoint of tenant " + settings_.tenant + " answered without a token"};
  }
  const std::chrono::seconds lifetime = lifetime_of(answer);
  const std::chrono::seconds margin = std::min(kRenewMargin, lifetime / 2);
  token_ = answer.at("access_token").get<std::string>();
  renew_at_ = started + lifetime - margin;
  ++fetches_;
  return token_;
}

}  // namespace plancal::graph
