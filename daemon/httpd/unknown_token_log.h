#pragma once
/// UnknownTokenLog: the log line for a request whose secret link nobody holds (unknown or
/// revoked). Feed links and page links both need it; a server must say that someone asks
/// for such links without writing the link itself, and without letting a client that
/// guesses links flood the journal.

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace plancal::httpd {

/// Logs at most one warning a second, with the client's address and never the token; the
/// requests it kept quiet about are counted in the next line it writes. Safe from every
/// request thread.
class UnknownTokenLog {
 public:
  /// `kind` names the link in the message: "feed token", "page token".
  explicit UnknownTokenLog(std::string kind) : kind_(std::move(kind)) {}

  void note(std::string_view client, std::int64_t now_unix);

 private:
  std::string kind_;
  std::atomic<std::int64_t> last_logged_{0};
  std::atomic<std::uint64_t> suppressed_{0};
};

}  // namespace plancal::httpd
