#include "http/retry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <random>
#include <thread>

#include <spdlog/spdlog.h>

#include "base/text.h"
#include "http/url.h"

namespace plancal::http {

namespace {

using std::chrono::milliseconds;

std::optional<int> parse_int(std::string_view text) {
  int value = 0;
  if (text.empty()) return std::nullopt;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// "120" or "1.5" seconds; digits only, at most one '.', no sign or exponent.
std::optional<milliseconds> parse_delay_seconds(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  const auto all_digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || !all_digits(whole) || !all_digits(fraction)) return std::nullopt;
  if (dot != std::string_view::npos && fraction.empty()) return std::nullopt;
  const auto seconds = parse_int(whole);
  if (!seconds) return std::nullopt;
  std::int64_t millis = std::int64_t{*seconds} * 1000;
  std::int64_t scale = 100;
  for (std::size_t i = 0; i < fraction.size() && scale > 0; ++i, scale /= 10) {
    millis += (fraction[i] - '0') * scale;
  }
  return milliseconds(millis);
}

double default_random() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

std::string describe(const HttpRequest& request, const Attempt& attempt) {
  if (const auto* response = std::get_if<HttpResponse>(&attempt)) {
    return request.method + " " + redact_url(request.url) + " gave HTTP " +
           std::to_string(response->status);
  }
  return std::get<TransportFailure>(attempt).message;  // names the request already
}

}  // namespace

void RealSleeper::sleep_for(std::chrono::milliseconds duration) {
  std::this_thread::sleep_for(duration);
}

bool is_retryable_status(int status) {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 ||
         status == 504;
}

std::optional<milliseconds> parse_retry_after(std::string_view value,
                                              std::chrono::system_clock::time_point now) {
  value = trim(value);
  if (auto delay = parse_delay_seconds(value)) return delay;
  const auto when = parse_http_date(value);
  if (!when) return std::nullopt;
  const auto target = std::chrono::system_clock::time_point(std::chrono::seconds(*when));
  if (target <= now) return milliseconds(0);
  return std::chrono::duration_cast<milliseconds>(target - now);
}

milliseconds backoff_delay(const RetryPolicy& policy, int retry, double unit_random) {
  const double exponent = std::clamp(retry - 1, 0, 30);
  const double full =
      std::min(static_cast<double>(policy.base_delay.count()) * std::pow(2.0, exponent),
               static_cast<double>(policy.max_delay.count()));
  const double jitter = std::clamp(unit_random, 0.0, 1.0);
  return milliseconds(static_cast<std::int64_t>(full / 2 + full / 2 * jitter));
}

RetryingClient::RetryingClient(std::unique_ptr<Transport> transport, RetryPolicy policy,
                               Environment env)
    : transport_(std::move(transport)), policy_(policy), env_(std::move(env)) {
  if (env_.sleeper == nullptr) env_.sleeper = &real_sleeper_;
  if (!env_.clock) env_.clock = [] { return std::chrono::system_clock::now(); };
  if (!env_.random) env_.random = default_random;
}

std::optional<milliseconds> RetryingClient::delay_after(const Attempt& attempt,
                                                        int attempt_number) {
  if (attempt_number >= policy_.max_attempts) return std::nullopt;
  if (const auto* failure = std::get_if<TransportFailure>(&attempt)) {
    if (!failure->retryable()) return std::nullopt;
    return backoff_delay(policy_, attempt_number, env_.random());
  }
  const auto& response = std::get<HttpResponse>(attempt);
  if (!is_retryable_status(response.status)) return std::nullopt;
  if (const auto header = response.headers.find("Retry-After")) {
    if (const auto wait = parse_retry_after(*header, env_.clock())) {
      if (*wait > policy_.max_retry_after) return std::nullopt;
      return *wait;
    }
  }
  return backoff_delay(policy_, attempt_number, env_.random());
}

Result<HttpResponse> RetryingClient::send(const HttpRequest& request) {
  for (int attempt_number = 1;; ++attempt_number) {
    Attempt attempt = transport_->perform(request);
    const auto delay = delay_after(attempt, attempt_number);
    if (!delay) {
      if (auto* response = std::get_if<HttpResponse>(&attempt)) return std::move(*response);
      std::string message = std::get<TransportFailure>(attempt).message;
      if (attempt_number > 1)
        message += " (gave up after " + std::to_string(attempt_number) + " attempts)";
      return Error{std::move(message)};
    }
    spdlog::warn("http: {}; retry {} of {} in {} ms", describe(request, attempt), attempt_number,
                 policy_.max_attempts - 1, delay->count());
    env_.sleeper->sleep_for(*delay);
  }
}

}  // namespace plancal::http
