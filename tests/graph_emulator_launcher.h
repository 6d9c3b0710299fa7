#pragma once
/// Starts the Microsoft Graph emulator (tests/graph_emulator, Debian's python3) on a free
/// loopback port for integration tests and benchmarks, and talks to its control API
/// (/_emulator/...) so tests can set limits, inject faults and read every mailbox.

#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "caldav_servers.h"
#include "http/curl_transport.h"
#include "test_support.h"

namespace plancal::testing {

inline constexpr const char* kGraphTenant = "0b5e2f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
inline constexpr const char* kGraphApp = "6731de76-14a6-49ae-97bc-6eba6914391e";
inline constexpr const char* kGraphAppWithoutConsent = "a4f1e2d3-0000-4000-8000-00000000c0de";
inline constexpr const char* kGraphSecret = "current-secret-Value~1";
inline constexpr const char* kGraphExpiredSecret = "old-secret-Value~0";

/// The setup file: one tenant, an app with Calendars.ReadWrite (a current and an expired
/// secret), an app without consent, and `users` generated mailboxes user00000@kommune.no ...
inline nlohmann::json graph_setup(int users) {
  using nlohmann::json;
  json app{{"client_id", kGraphApp},
           {"roles", json::array({"Calendars.ReadWrite"})},
           {"secrets", json::array({json{{"value", kGraphSecret}},
                                    json{{"value", kGraphExpiredSecret}, {"expired", true}}})}};
  json bare{{"client_id", kGraphAppWithoutConsent},
            {"roles", json::array()},
            {"secrets", json::array({json{{"value", kGraphSecret}}})}};
  json tenant{{"id", kGraphTenant},
              {"domains", json::array({"kommune.onmicrosoft.com"})},
              {"apps", json::array({app, bare})},
              {"users", json::array()},
              {"generate_users", json{{"count", users}, {"upn", "user{n:05d}@kommune.no"}}}};
  return json{{"tenants", json::array({tenant})}};
}

inline std::string graph_upn(int n) {
  char text[32];
  std::snprintf(text, sizeof text, "user%05d@kommune.no", n);
  return text;
}

class GraphEmulator {
 public:
  /// Starts the emulator; `extra` are more command-line options (e.g. {"--latency", "0.01"}).
  explicit GraphEmulator(int users, const std::vector<std::string>& extra = {}) {
    const auto setup = dir_.write("setup.json", graph_setup(users).dump());
    port_ = free_loopback_port();
    std::vector<std::string> argv{
        kDebianPython, (source_dir() / "tests/graph_emulator/graph_emulator.py").string(),
        "--port",      std::to_string(port_),
        "--state-dir", dir_.path().string(),
        "--setup",     setup.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process_ = std::make_unique<ServerProcess>(argv, dir_.path() / "emulator.log");
    if (!wait_for_port(port_, *process_, std::chrono::seconds(30))) {
      throw std::runtime_error("the Graph emulator did not start:\n" + log());
    }
    http::ClientOptions options;
    options.retry.max_attempts = 1;
    options.max_in_flight = 4;
    control_ = http::make_curl_client(std::move(options));
  }

  [[nodiscard]] std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] std::string graph_url() const { return base() + "/v1.0"; }
  [[nodiscard]] ServerProcess& process() { return *process_; }

  /// A control or Graph request; throws when no answer comes.
  nlohmann::json call(const std::string& method, const std::string& path,
                      const nlohmann::json& body = nullptr, const std::string& bearer = "",
                      int* status = nullptr) {
    http::HttpRequest request = http::HttpRequest::make(method, base() + path);
    if (!body.is_null()) {
      request.body = body.dump();
      request.headers.set("Content-Type", "application/json");
    }
    if (!bearer.empty()) request.headers.set("Authorization", "Bearer " + bearer);
    auto answer = control_->send(request);
    if (!answer) throw std::runtime_error("emulator: " + answer.error().message);
    if (status != nullptr) *status = answer->status;
    return answer->body.empty() ? nlohmann::json(nullptr)
                                : nlohmann::json::parse(answer->body, nullptr, false);
  }
  nlohmann::json control(const std::string& method, const std::string& what,
                         const nlohmann::json& body = nullptr) {
    return call(method, "/_emulator/" + what, body);
  }
  nlohmann::json mailbox(const std::string& upn) { return control("GET", "mailboxes/" + upn); }
  nlohmann::json stats() { return control("GET", "stats"); }
  void reset() { control("POST", "reset", nlohmann::json{{"full", true}, {"tokens", true}}); }

  /// An app-only token for the test's own Graph calls (remote edits, as a user would make).
  std::string token() {
    http::HttpRequest request = http::HttpRequest::make(
        "POST", base() + "/" + std::string(kGraphTenant) + "/oauth2/v2.0/token");
    request.headers.set("Content-Type", "application/x-www-form-urlencoded");
    request.body = std::string("client_id=") + kGraphApp + "&client_secret=" + kGraphSecret +
                   "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
                   "&grant_type=client_credentials";
    auto answer = control_->send(request);
    if (!answer) throw std::runtime_error("emulator token: " + answer.error().message);
    return nlohmann::json::parse(answer->body).at("access_token");
  }

  [[nodiscard]] std::string log() const { return read_file(dir_.path() / "emulator.log"); }

 private:
  TempDir dir_;
  int port_ = 0;
  std::unique_ptr<ServerProcess> process_;
  std::unique_ptr<http::HttpClient> control_;
};

}  // namespace plancal::testing
