#pragma once
/// Real CalDAV servers for integration tests: Radicale and Xandikos from Debian's packages,
/// each started on a free loopback port in its own temporary directory and stopped (SIGTERM,
/// then SIGKILL) when the handle goes away. Both are needed because they differ where
/// clients break: Xandikos writes generated namespace prefixes, Radicale closes connections.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

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
  std::string name;          ///< "Radicale" or "Xandikos"
  std::string root_url;      ///< http://127.0.0.1:PORT/
  std::string calendar_url;  ///< a VEVENT calendar that exists from the start
  std::string home_url;      ///< where tests may create more calendars
  std::string user;          ///< Basic auth user the server expects (any password)
  int port = 0;
  std::unique_ptr<TempDir> dir;         ///< config and log
  std::unique_ptr<ScratchDir> storage;  ///< the server's data
  std::unique_ptr<ServerProcess> process;

  /// The server's log so far, for failure messages.
  [[nodiscard]] std::string log() const;
};

/// Start the server and wait until it accepts connections; throws std::runtime_error (with
/// the server's log) when it does not come up.
std::unique_ptr<CaldavServer> start_radicale();
std::unique_ptr<CaldavServer> start_xandikos();

}  // namespace plancal::testing
