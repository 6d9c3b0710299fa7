#pragma once
/// The HTTP client interface every network adapter (CalDAV, Graph, mail) talks to.
///
/// Adapters build an HttpRequest and get either an HttpResponse (any status: a 412 or a 404
/// is an answer the adapter interprets, not a failure) or an Error when no answer arrived
/// (connection refused, timeout, TLS failure) after the retries the implementation makes.
/// Keeping libcurl behind this interface lets adapter tests run against a scripted fake.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace plancal::http {

/// Header fields in arrival/insertion order; names compare case-insensitively (RFC 9110 §5.1).
class Headers {
 public:
  Headers() = default;
  Headers(std::initializer_list<std::pair<std::string, std::string>> fields);

  /// Appends a field (repeated names are kept, as HTTP allows).
  void add(std::string name, std::string value);
  /// Replaces every field of that name by one.
  void set(std::string name, std::string value);
  void remove(std::string_view name);

  /// The first value of the field, or nullopt.
  [[nodiscard]] std::optional<std::string_view> find(std::string_view name) const;
  [[nodiscard]] bool contains(std::string_view name) const { return find(name).has_value(); }
  [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& fields() const {
    return fields_;
  }
  [[nodiscard]] bool empty() const { return fields_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  /// Overrides the client's total timeout for this request (e.g. a large REPORT).
  std::optional<std::chrono::milliseconds> timeout;

  [[nodiscard]] static HttpRequest make(std::string method, std::string url,
                                        std::string body = {}) {
    HttpRequest request;
    request.method = std::move(method);
    request.url = std::move(url);
    request.body = std::move(body);
    return request;
  }
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;

  [[nodiscard]] bool is_success() const { return status >= 200 && status < 300; }
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  HttpClient() = default;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Sends one request and returns the server's final answer, or an Error that says why no
  /// answer came. Implementations may retry transient failures before returning.
  [[nodiscard]] virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

}  // namespace plancal::http
