#pragma once
/// For tests of what `plancal serve` serves (feeds and pages, with curl and the browser): the seed
/// plans published with a history of changes, personal tokens, and `plancal serve` on a
/// random loopback port.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "daemon_process.h"
#include "test_support.h"

namespace plancal::testing {

/// `plancal serve` running in the background; stopped with SIGTERM (or killed) at the end.
class ServeProcess : public DaemonProcess {
 public:
  ServeProcess(const std::filesystem::path& config, const std::filesystem::path& stderr_file)
      : DaemonProcess(config, stderr_file, {}, {}, "serve") {}
  /// SIGTERM, then the exit status (or -1 when it did not stop within 15 s).
  int stop() { return DaemonProcess::stop(std::chrono::seconds(15)); }
};

/// What curl received: the status, the headers and the body as sent (not decompressed).
struct HttpFetch {
  int status = 0;
  std::map<std::string, std::string> headers;  ///< names in lower case
  std::string body;
  [[nodiscard]] std::string header(const std::string& name) const;
};

/// One request with the curl command-line tool (no automatic decompression).
HttpFetch fetch(const TempDir& dir, const std::string& url,
                const std::vector<std::string>& options = {});

/// An ICS body with its folded lines joined again (RFC 5545 3.1).
std::string unfold(std::string ics);

/// Writes into `dir` seed 000 (its roster, with meeting 2's topic holding markup, quotes and
/// an '&'), a second plan for team A in January 2027 and seed 003, and a config serving them
/// with feeds.public_url https://kalender.example.no. Publishes them with meeting 10's topic
/// "TBA" (as the seed's table has it), then publishes seed 000 again after three edits a page
/// must tell about: team A's meeting 8 moved from 7 to 21 October, meeting 10's topic
/// decided, meeting 9 removed. Returns the config's path.
std::filesystem::path write_published_seeds(const TempDir& dir);

/// `plancal feed token create --audience AUDIENCE` without a plan; returns the secret.
std::string create_personal_token(const std::filesystem::path& config, const std::string& audience);

/// `plancal feed token create --plan PLAN --audience AUDIENCE`; returns the secret.
std::string create_plan_token(const std::filesystem::path& config, const std::string& plan,
                              const std::string& audience);

}  // namespace plancal::testing
