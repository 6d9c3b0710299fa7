#pragma once
/// fault_proxy.py (tests/integration) in front of a real CalDAV server: the tests make the
/// server misbehave the way real ones do (throttling, resets, slow answers, rewritten events,
/// a 500 where DAViCal gives one) by rewriting the proxy's rules, and read its request log to
/// see what plancal sent.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "caldav_servers.h"
#include "test_support.h"

namespace plancal::testing {

/// One request as the proxy saw it.
struct ProxiedRequest {
  double arrived = 0;  ///< monotonic seconds
  std::string method;
  std::string path;
  std::string status;  ///< "201", "503", ... or "RESET"
};

/// fault_proxy.py in front of a server, with its rules file and request log.
class FaultProxy {
 public:
  FaultProxy(const TempDir& dir, const std::string& upstream)
      : rules_(dir.path() / "proxy-rules.json"), log_(dir.path() / "proxy-requests.log") {
    set_rules("[]");
    port_ = free_loopback_port();
    process_ = std::make_unique<ServerProcess>(
        std::vector<std::string>{kDebianPython,
                                 (source_dir() / "tests/integration/fault_proxy.py").string(),
                                 "--port", std::to_string(port_), "--upstream", upstream, "--rules",
                                 rules_.string(), "--log", log_.string()},
        dir.path() / "proxy.out");
    if (!wait_for_port(port_, *process_, std::chrono::seconds(30))) {
      throw std::runtime_error("the proxy did not start");
    }
  }

  /// Replaces the rules (a JSON array, see fault_proxy.py); atomic, so no request sees half.
  void set_rules(const std::string& rules) const {
    const std::filesystem::path scratch = rules_.string() + ".new";
    std::ofstream(scratch) << "{\"rules\": " << rules << "}";
    std::filesystem::rename(scratch, rules_);
  }

  [[nodiscard]] std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  /// Every request so far, in the order answered.
  [[nodiscard]] std::vector<ProxiedRequest> requests() const {
    std::vector<ProxiedRequest> all;
    std::istringstream text(read_file(log_));
    for (ProxiedRequest r; text >> r.arrived >> r.method >> r.path >> r.status;) all.push_back(r);
    return all;
  }

  void clear_log() const { std::ofstream(log_, std::ios::trunc); }

 private:
  std::filesystem::path rules_;
  std::filesystem::path log_;
  int port_ = 0;
  std::unique_ptr<ServerProcess> process_;
};

}  // namespace plancal::testing
