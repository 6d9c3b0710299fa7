#pragma once
/// A scripted http::HttpClient for the Graph unit tests: answers come from a handler the
/// test writes, and every request is kept for assertions.

#include <functional>
#include <mutex>
#include <vector>

#include "http/client.h"
#include "http/retry.h"

namespace plancal::testing {

class ScriptedGraphHttp final : public http::HttpClient {
 public:
  using Handler = std::function<http::HttpResponse(const http::HttpRequest&)>;
  explicit ScriptedGraphHttp(Handler handler) : handler_(std::move(handler)) {}

  Result<http::HttpResponse> send(const http::HttpRequest& request) override {
    const std::lock_guard lock(mutex_);
    sent.push_back(request);
    return handler_(request);
  }

  std::vector<http::HttpRequest> sent;

 private:
  Handler handler_;
  std::mutex mutex_;
};

/// Records the waits instead of sleeping.
class RecordingSleeper final : public http::Sleeper {
 public:
  void sleep_for(std::chrono::milliseconds duration) override { waits.push_back(duration); }
  std::vector<std::chrono::milliseconds> waits;
};

inline http::HttpResponse json_response(int status, const std::string& body,
                                        http::Headers headers = {}) {
  headers.set("Content-Type", "application/json");
  return http::HttpResponse{status, std::move(headers), body};
}

}  // namespace plancal::testing
