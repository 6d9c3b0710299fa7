#include "caldav_servers.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <thread>

namespace plancal::testing {

namespace {

using namespace std::chrono_literals;

/// An fd closed on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
};

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

bool accepts_connections(int port) {
  const Fd socket_fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  const sockaddr_in address = loopback(port);
  return connect(socket_fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
}

void wait_until_ready(CaldavServer& server) {
  if (!wait_for_port(server.port, *server.process, 30s)) {
    throw std::runtime_error(server.name + " did not come up on port " +
                             std::to_string(server.port) + ":\n" + server.log());
  }
}

}  // namespace

std::unique_ptr<CaldavServer> start_with_retries(
    const std::function<std::unique_ptr<CaldavServer>(int port)>& launch,
    const std::function<void(CaldavServer&)>& ready) {
  std::string last_error;
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto server = launch(free_loopback_port());
    try {
      wait_until_ready(*server);
      if (ready) ready(*server);
      return server;
    } catch (const std::runtime_error& error) {
      last_error = error.what();
    }
  }
  throw std::runtime_error(last_error);
}

ScratchDir::ScratchDir() {
  std::error_code error;
  const std::filesystem::path shm = "/dev/shm";
  const auto base = std::filesystem::is_directory(shm, error) && access(shm.c_str(), W_OK) == 0
                        ? shm
                        : std::filesystem::temp_directory_path();
  std::string pattern = (base / "plancal-caldav-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

bool wait_for_port(int port, ServerProcess& process, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process.running()) return false;
    if (accepts_connections(port)) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

int free_loopback_port() {
  const Fd socket_fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof address;
  if (bind(socket_fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(socket_fd.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("cannot find a free loopback port");
  }
  return ntohs(address.sin_port);
}

ServerProcess::ServerProcess(const std::vector<std::string>& argv,
                             const std::filesystem::path& log) {
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int null_fd = open("/dev/null", O_RDONLY);
    const int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(null_fd, STDIN_FILENO);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    setpgid(0, 0);  // its own group, so stopping it also stops any helpers it forks
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
}

bool ServerProcess::running() {
  if (reaped_) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) reaped_ = true;
  return !reaped_;
}

ServerProcess::~ServerProcess() {
  if (!running()) return;
  kill(-pid_, SIGTERM);
  for (int i = 0; i < 100 && running(); ++i) std::this_thread::sleep_for(20ms);
  if (running()) {
    kill(-pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

std::string CaldavServer::log() const { return read_file(dir->path() / "server.log"); }

std::unique_ptr<CaldavServer> start_caldav_server(const std::string& name) {
  if (name == "Radicale") return start_radicale();
  if (name == "Xandikos") return start_xandikos();
  if (name == "Cyrus") return start_cyrus();
  throw std::invalid_argument("no CalDAV test server named " + name);
}

std::unique_ptr<CaldavServer> start_radicale() {
  return start_with_retries([](int port) {
    auto server = std::make_unique<CaldavServer>();
    server->name = "Radicale";
    server->port = port;
    server->user = "alice";
    server->dir = std::make_unique<TempDir>();
    server->storage = std::make_unique<ScratchDir>();
    const auto storage = server->storage->path() / "collections";
    const auto calendar = storage / "collection-root/alice/calendar";
    std::filesystem::create_directories(calendar);
    std::ofstream(calendar / ".Radicale.props")
        << R"({"tag": "VCALENDAR", "D:displayname": "Team plan",)"
        << R"( "C:supported-calendar-component-set": "VEVENT"})";
    const auto config = server->dir->write(
        "radicale.conf", "[server]\nhosts = 127.0.0.1:" + std::to_string(port) +
                             "\n[auth]\ntype = none\n[storage]\nfilesystem_folder = " +
                             storage.string() + "\n[logging]\nlevel = warning\n");
    server->root_url = "http://127.0.0.1:" + std::to_string(port) + "/";
    server->home_url = server->root_url + "alice/";
    server->calendar_url = server->home_url + "calendar/";
    server->process = std::make_unique<ServerProcess>(
        std::vector<std::string>{"radicale", "--config", config.string()},
        server->dir->path() / "server.log");
    return server;
  });
}

std::unique_ptr<CaldavServer> start_xandikos() {
  return start_with_retries([](int port) {
    auto server = std::make_unique<CaldavServer>();
    server->name = "Xandikos";
    server->port = port;
    server->user = "user";
    server->dir = std::make_unique<TempDir>();
    server->storage = std::make_unique<ScratchDir>();
    server->root_url = "http://127.0.0.1:" + std::to_string(port) + "/";
    server->home_url = server->root_url + "user/calendars/";
    server->calendar_url = server->home_url + "calendar/";
    server->process = std::make_unique<ServerProcess>(
        std::vector<std::string>{"xandikos", "--defaults", "-d", server->storage->path().string(),
                                 "-l", "127.0.0.1", "-p", std::to_string(port)},
        server->dir->path() / "server.log");
    return server;
  });
}

}  // namespace plancal::testing
