#pragma once
/// CurlTransport: the Transport over libcurl's easy interface.
///
/// Each easy handle keeps its connection cache between transfers (curl_easy_reset keeps live
/// connections), so reusing handles gives one kept-alive connection per host instead of a TCP
/// and TLS handshake per request — for a sync of a thousand PUTs that is most of the cost. A
/// small pool of handles bounds how many requests are in flight at once: callers beyond the
/// bound wait for a handle, so a server never sees more than `max_in_flight` from us.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/secret.h"
#include "http/retry.h"
#include "http/transport.h"

namespace plancal::http {

struct TlsOptions {
  /// A PEM file of extra trust anchors (a private CA), trusted in addition to the system CAs.
  std::optional<std::filesystem::path> extra_ca_file;
  /// Disables certificate and host name checks. Only for a test server; named so that a
  /// config reviewer cannot miss it, and logged as a warning whenever a client is created.
  bool insecure_skip_verify = false;
};

struct BasicAuth {
  std::string user;
  Secret password;
};

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{60'000};  ///< per attempt
  TlsOptions tls;
  std::optional<BasicAuth> auth;
  std::string user_agent = "plancal";
  std::size_t max_in_flight = 2;  ///< simultaneous requests (handles)
  std::size_t max_response_bytes =
      std::size_t{64} * 1024 * 1024;  ///< larger answers fail (TooLarge)
  RetryPolicy retry;
};

class CurlTransport final : public Transport {
 public:
  /// Throws std::runtime_error when libcurl cannot be initialised or the CA file is
  /// unreadable (start-up failures, not per-request ones).
  explicit CurlTransport(ClientOptions options);
  ~CurlTransport() override;

  [[nodiscard]] Attempt perform(const HttpRequest& request) override;

  /// New connections opened so far (libcurl's CURLINFO_NUM_CONNECTS summed): with reuse
  /// working, this stays at one per host and handle however many requests are sent.
  [[nodiscard]] long connections_opened() const { return connections_opened_.load(); }
  [[nodiscard]] long requests_performed() const { return requests_performed_.load(); }

  struct EasyHandle;  // RAII CURL*, defined in the .cpp

 private:
  class Lease;
  [[nodiscard]] std::unique_ptr<EasyHandle> acquire();
  void release(std::unique_ptr<EasyHandle> handle);

  ClientOptions options_;
  std::string ca_bundle_;  ///< system CAs + extra CA file, when an extra file is configured
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<EasyHandle>> idle_;
  std::size_t created_ = 0;
  std::atomic<long> connections_opened_{0};
  std::atomic<long> requests_performed_{0};
};

/// The production HttpClient: CurlTransport behind a RetryingClient with `options.retry`.
[[nodiscard]] std::unique_ptr<RetryingClient> make_curl_client(ClientOptions options);

}  // namespace plancal::http
