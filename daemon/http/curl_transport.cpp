#include "http/curl_transport.h"

#include <curl/curl.h>

#include <array>
#include <chrono>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "base/text.h"
#include "http/curl_errors.h"
#include "http/curl_handles.h"
#include "http/url.h"

namespace plancal::http {

namespace {

std::string read_whole_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read CA file " + path.string());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// The system trust store as libcurl was built to use it, plus the extra PEM file.
std::string build_ca_bundle(const TlsOptions& tls, CURL* probe) {
  if (!tls.extra_ca_file) return {};
  std::string bundle;
  char* system_file = nullptr;
  if (curl_easy_getinfo(probe, CURLINFO_CAINFO, &system_file) == CURLE_OK &&
      system_file != nullptr && std::filesystem::exists(system_file)) {
    bundle = read_whole_file(system_file);
    bundle += '\n';
  }
  bundle += read_whole_file(*tls.extra_ca_file);
  return bundle;
}

TransportFailure::Kind classify(CURLcode code) {
  if (is_tls_error(code)) return TransportFailure::Kind::Tls;
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return TransportFailure::Kind::Connect;
    case CURLE_OPERATION_TIMEDOUT:
      return TransportFailure::Kind::Timeout;
    default:
      return TransportFailure::Kind::Other;
  }
}

/// What libcurl's callbacks fill in during one transfer.
struct Exchange {
  HttpResponse response;
  std::size_t max_body = 0;
  bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const std::size_t bytes = size * count;
  if (exchange->response.body.size() + bytes > exchange->max_body) {
    exchange->too_large = true;
    return 0;  // makes libcurl abort with CURLE_WRITE_ERROR
  }
  exchange->response.body.append(data, bytes);
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const std::size_t bytes = size * count;
  const std::string_view line = trim(std::string_view(data, bytes));
  if (line.starts_with("HTTP/")) {
    exchange->response.headers = Headers{};  // a new status line: 100 Continue came first
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    exchange->response.headers.add(std::string(trim(line.substr(0, colon))),
                                   std::string(trim(line.substr(colon + 1))));
  }
  return bytes;
}

CurlSlist build_header_list(const HttpRequest& request) {
  CurlSlist list;
  const auto append = [&list](const std::string& line) {
    curl_slist* grown = curl_slist_append(list.get(), line.c_str());
    if (grown == nullptr) throw std::bad_alloc();
    (void)list.release();
    list.reset(grown);
  };
  for (const auto& [name, value] : request.headers.fields()) append(name + ": " + value);
  // libcurl would add a form Content-Type to bodies and "Expect: 100-continue" to large ones.
  if (!request.headers.contains("Content-Type")) append("Content-Type:");
  append("Expect:");
  return list;
}

/// Clears a handle's options when a transfer ends; live connections and caches stay.
class ResetOnExit {
 public:
  explicit ResetOnExit(CURL* curl) : curl_(curl) {}
  ~ResetOnExit() { curl_easy_reset(curl_); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  CURL* curl_;
};

}  // namespace

struct CurlTransport::EasyHandle {
  CurlEasy curl;
};

/// Borrows a handle from the pool for one transfer and gives it back, also on exceptions.
class CurlTransport::Lease {
 public:
  explicit Lease(CurlTransport& owner) : owner_(owner), handle_(owner.acquire()) {}
  ~Lease() { owner_.release(std::move(handle_)); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  [[nodiscard]] CURL* get() const { return handle_->curl.get(); }

 private:
  CurlTransport& owner_;
  std::unique_ptr<EasyHandle> handle_;
};

CurlTransport::CurlTransport(ClientOptions options) : options_(std::move(options)) {
  curl_global_init_once();
  if (options_.max_in_flight == 0) options_.max_in_flight = 1;
  auto probe = acquire();
  ca_bundle_ = build_ca_bundle(options_.tls, probe->curl.get());
  release(std::move(probe));
  if (options_.tls.insecure_skip_verify) {
    spdlog::warn("http: TLS certificate verification is OFF (insecure_skip_verify)");
  }
}

CurlTransport::~CurlTransport() = default;

std::unique_ptr<CurlTransport::EasyHandle> CurlTransport::acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [this] { return !idle_.empty() || created_ < options_.max_in_flight; });
  if (!idle_.empty()) {
    auto handle = std::move(idle_.back());
    idle_.pop_back();
    return handle;
  }
  auto handle = std::make_unique<EasyHandle>();
  handle->curl.reset(curl_easy_init());
  if (!handle->curl) throw std::runtime_error("curl_easy_init failed");
  ++created_;
  return handle;
}

void CurlTransport::release(std::unique_ptr<EasyHandle> handle) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(handle));
  }
  available_.notify_one();
}

namespace {

template <class T>
void set(CURL* curl, CURLoption option, T value) {
  if (curl_easy_setopt(curl, option, value) != CURLE_OK) {
    throw std::logic_error("curl_easy_setopt failed for option " + std::to_string(option));
  }
}

void set_method_and_body(CURL* curl, const HttpRequest& request) {
  if (request.method == "HEAD") {
    set(curl, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET" || !request.body.empty()) {
    set(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  if (!request.body.empty() || request.method == "PUT" || request.method == "POST") {
    set(curl, CURLOPT_POSTFIELDS, request.body.data());
    set(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
}

void set_tls(CURL* curl, const TlsOptions& tls, const std::string& ca_bundle) {
  if (tls.insecure_skip_verify) {
    set(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    set(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  } else if (!ca_bundle.empty()) {
    curl_blob blob{const_cast<char*>(ca_bundle.data()), ca_bundle.size(), CURL_BLOB_NOCOPY};
    set(curl, CURLOPT_CAINFO_BLOB, &blob);
  }
}

}  // namespace

Attempt CurlTransport::perform(const HttpRequest& request) {
  Lease lease(*this);
  CURL* curl = lease.get();
  Exchange exchange;
  exchange.max_body = options_.max_response_bytes;
  const CurlSlist headers = build_header_list(request);
  std::array<char, CURL_ERROR_SIZE> error_text{};
  // Declared last, so it runs first: the handle must not keep pointers to this frame (error
  // buffer, header list, callbacks' data) nor the password once the transfer is over.
  const ResetOnExit reset_after{curl};

  set(curl, CURLOPT_URL, request.url.c_str());
  set(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  set(curl, CURLOPT_NOSIGNAL, 1L);
  set(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  set(curl, CURLOPT_ERRORBUFFER, error_text.data());
  set(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
  set(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
  set(curl, CURLOPT_TIMEOUT_MS,
      static_cast<long>(request.timeout.value_or(options_.total_timeout).count()));
  set(curl, CURLOPT_HTTPHEADER, headers.get());
  set(curl, CURLOPT_WRITEFUNCTION, &on_body);
  set(curl, CURLOPT_WRITEDATA, &exchange);
  set(curl, CURLOPT_HEADERFUNCTION, &on_header);
  set(curl, CURLOPT_HEADERDATA, &exchange);
  set_method_and_body(curl, request);
  set_tls(curl, options_.tls, ca_bundle_);
  if (options_.auth) {
    set(curl, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    set(curl, CURLOPT_USERNAME, options_.auth->user.c_str());
    set(curl, CURLOPT_PASSWORD, options_.auth->password.reveal().c_str());
  }

  const auto started = std::chrono::steady_clock::now();
  const CURLcode code = curl_easy_perform(curl);
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  ++requests_performed_;
  long new_connections = 0;
  if (curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &new_connections) == CURLE_OK) {
    connections_opened_ += new_connections;
  }
  if (code != CURLE_OK) {
    const auto kind = exchange.too_large ? TransportFailure::Kind::TooLarge : classify(code);
    const std::string detail = error_text[0] != '\0' ? error_text.data() : curl_easy_strerror(code);
    spdlog::debug("http: {} {} failed after {} ms: {}", request.method, redact_url(request.url),
                  elapsed.count(), detail);
    return TransportFailure{kind, request.method + " " + redact_url(request.url) + ": " +
                                      (exchange.too_large ? "response too large" : detail)};
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  exchange.response.status = static_cast<int>(status);
  spdlog::debug("http: {} {} -> {} in {} ms{}", request.method, redact_url(request.url), status,
                elapsed.count(), new_connections > 0 ? " (new connection)" : "");
  return std::move(exchange.response);
}

std::unique_ptr<RetryingClient> make_curl_client(ClientOptions options) {
  const RetryPolicy policy = options.retry;
  return std::make_unique<RetryingClient>(std::make_unique<CurlTransport>(std::move(options)),
                                          policy);
}

}  // namespace plancal::http
