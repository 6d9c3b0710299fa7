#pragma once
/// Retrying transient failures: 5xx/429 answers and connection errors are retried with
/// exponential backoff and jitter, a bounded number of times, honouring Retry-After.
///
/// Calendar servers throttle (iCloud, Fastmail answer 429/503 with Retry-After) and restart;
/// a sync that gives up on the first 503 would leave targets half-done, while one that
/// retries without bound or in lockstep would hammer a struggling server. Time comes in
/// through a Sleeper, a wall clock and a random source so tests run instantly and exactly.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "base/http_date.h"
#include "http/client.h"
#include "http/transport.h"

namespace plancal::http {

struct RetryPolicy {
  int max_attempts = 4;  ///< including the first; 1 disables retries
  std::chrono::milliseconds base_delay{500};
  std::chrono::milliseconds max_delay{30'000};
  /// A Retry-After longer than this is not waited for: the answer is returned instead,
  /// so one throttled target cannot stall the daemon for hours.
  std::chrono::milliseconds max_retry_after{120'000};
};

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  virtual void sleep_for(std::chrono::milliseconds duration) = 0;
};

/// std::this_thread::sleep_for.
class RealSleeper final : public Sleeper {
 public:
  void sleep_for(std::chrono::milliseconds duration) override;
};

using WallClock = std::function<std::chrono::system_clock::time_point()>;
/// Uniform in [0, 1).
using UnitRandom = std::function<double()>;

/// The one list of answers that mean "try again later", for every client plancal has (the
/// RetryingClient here, the items of a Graph batch, the sync engine's classification of
/// write answers): 429 and the 5xx answers 500, 502, 503, 504, plus 408. 501, 505 and 507
/// are final: repeating the request cannot change them.
[[nodiscard]] bool is_retryable_status(int status);

/// Retry-After (RFC 9110 §10.2.3) as a delay: delay-seconds ("120"), a decimal some servers
/// send ("1.5"), or an HTTP-date (base/http_date.h) relative to `now` (a date in the past
/// gives zero). nullopt when the value is none of these.
[[nodiscard]] std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

/// The wait before retry number `retry` (1 = first retry): base * 2^(retry-1) capped at
/// max_delay, then "equal jitter": half of it fixed, half scaled by `unit_random`, so
/// clients that failed together do not retry together.
[[nodiscard]] std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry,
                                                      double unit_random);

/// An HttpClient that sends through a Transport and applies a RetryPolicy. Every method is
/// retried: plancal's writes are conditional, so a PUT whose first attempt did arrive (the
/// answer was lost) comes back 412 on the retry, or a DELETE 404 — both of which the caller
/// already handles as "exists" / "already gone".
class RetryingClient final : public HttpClient {
 public:
  struct Environment {
    Sleeper* sleeper = nullptr;  ///< nullptr: a RealSleeper
    WallClock clock;             ///< empty: system_clock::now
    UnitRandom random;           ///< empty: a per-thread Mersenne Twister
  };

  RetryingClient(std::unique_ptr<Transport> transport, RetryPolicy policy, Environment env);
  explicit RetryingClient(std::unique_ptr<Transport> transport, RetryPolicy policy = {})
      : RetryingClient(std::move(transport), policy, Environment{}) {}

  [[nodiscard]] Result<HttpResponse> send(const HttpRequest& request) override;

  [[nodiscard]] Transport& transport() { return *transport_; }

 private:
  /// How long to wait before the next attempt, or nullopt when `attempt` is final.
  [[nodiscard]] std::optional<std::chrono::milliseconds> delay_after(const Attempt& attempt,
                                                                     int attempt_number);

  std::unique_ptr<Transport> transport_;
  RetryPolicy policy_;
  RealSleeper real_sleeper_;
  Environment env_;
};

}  // namespace plancal::http
