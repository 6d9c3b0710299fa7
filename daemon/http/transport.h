#pragma once
/// Transport: one attempt at one HTTP exchange, with no retries.
///
/// Separating the single attempt from the retry policy lets the policy (RetryingClient) be
/// tested with scripted attempts and a fake sleeper, while libcurl (CurlTransport) only has
/// to say what happened and whether the failure was on the wire (worth retrying) or not.

#include <string>
#include <variant>

#include "http/client.h"

namespace plancal::http {

struct TransportFailure {
  enum class Kind {
    Connect,   ///< DNS, refused, reset, closed mid-response: transient, retried
    Timeout,   ///< connect or total timeout: retried
    Tls,       ///< certificate or handshake problem: retrying will not help
    TooLarge,  ///< the response exceeded the size limit
    Other,     ///< malformed URL, unsupported protocol, internal error
  };
  Kind kind = Kind::Other;
  std::string message;  ///< already free of credentials and query strings

  [[nodiscard]] bool retryable() const { return kind == Kind::Connect || kind == Kind::Timeout; }
};

using Attempt = std::variant<HttpResponse, TransportFailure>;

class Transport {
 public:
  virtual ~Transport() = default;
  Transport() = default;
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  /// Performs the exchange once. Must be safe to call from several threads.
  [[nodiscard]] virtual Attempt perform(const HttpRequest& request) = 0;
};

}  // namespace plancal::http
