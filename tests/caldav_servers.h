#pragma once
/// Real CalDAV servers for integration tests: Radicale, Xandikos and Cyrus IMAP from Debian's
/// packages, each started on a free loopback port in its own temporary directory and stopped
/// (SIGTERM, then SIGKILL) when the handle goes away. They differ where clients break:
/// Xandikos writes generated namespace prefixes, Radicale closes connections, Cyrus (the
/// server Fastmail runs) checks passwords, redirects /.well-known/caldav to another path and
/// allows one copy of a UID per account.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "syslog_listener.h"
#include "test_support.h"

namespace plancal::testing {

/// A port that was free on 127.0.0.1 a moment ago (the kernel picked it).
int free_loopback_port();

class ServerProcess;

/// Waits until something accepts TCP connections on 127.0.0.1:port; false when `process`
/// exits first or `timeout` passes.
bool wait_for_port(int port, ServerProcess& process, std::chrono::milliseconds timeout);

/// A child process with its output in a log file; killed and reaped on destruction.
class ServerProcess {
 public:
  ServerProcess(const std::vector<std::string>& argv, const std::filesystem::path& log);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  [[nodiscard]] bool running();
  [[nodiscard]] pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
};

/// A fresh directory on tmpfs (/dev/shm) when there is one, else under $TMPDIR; removed on
/// destruction. Radicale fsyncs every write, which costs tens of milliseconds per PUT on disk.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct CaldavServer {
  std::string name;                 ///< "Radicale", "Xandikos" or "Cyrus"
  std::string root_url;             ///< http://127.0.0.1:PORT/
  std::string calendar_url;         ///< a VEVENT calendar that exists from the start
  std::string home_url;             ///< the user's calendar home: where tests may create calendars
  std::string user;                 ///< Basic auth user the server expects
  std::string password = "secret";  ///< its password (only Cyrus checks it)
  int port = 0;
  std::unique_ptr<SyslogRoute> syslog;  ///< where the server's syslog messages go (Cyrus)
  std::unique_ptr<TempDir> dir;         ///< config and log
  std::unique_ptr<ScratchDir> storage;  ///< the server's data
  std::unique_ptr<ServerProcess> process;

  /// The server's log so far, for failure messages.
  [[nodiscard]] std::string log() const;
};

/// Starts a server built by `launch` (on a port that was free), waits until it accepts
/// connections and runs `ready` (which throws std::runtime_error when the server is not
/// usable); tries again with a new port when another process took the port meanwhile.
std::unique_ptr<CaldavServer> start_with_retries(
    const std::function<std::unique_ptr<CaldavServer>(int port)>& launch,
    const std::function<void(CaldavServer&)>& ready = {});

/// Start the server and wait until it accepts connections; throws std::runtime_error (with
/// the server's log) when it does not come up.
std::unique_ptr<CaldavServer> start_radicale();
std::unique_ptr<CaldavServer> start_xandikos();
/// Cyrus IMAP 3.6 with its CalDAV module (cyrus_server.cpp): user "alice" whose mailbox is
/// made with cyradm, so Cyrus provisions her calendar home with the calendar "Default".
std::unique_ptr<CaldavServer> start_cyrus();

/// The server of this name: "Radicale", "Xandikos" or "Cyrus" (the parameter of the suites).
std::unique_ptr<CaldavServer> start_caldav_server(const std::string& name);

}  // namespace plancal::testing
