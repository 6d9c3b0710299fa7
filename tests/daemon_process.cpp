#include "daemon_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <regex>
#include <stdexcept>
#include <thread>

#include "test_support.h"

extern char** environ;

namespace plancal::testing {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

NotifyListener::NotifyListener(fs::path path) : path_(std::move(path)) {
  fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path_.c_str(), sizeof address.sun_path - 1);
  if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error("cannot bind the notify socket " + path_.string());
  }
}

NotifyListener::~NotifyListener() {
  if (fd_ >= 0) close(fd_);
  std::error_code ignored;
  fs::remove(path_, ignored);
}

void NotifyListener::poll_pending(std::chrono::milliseconds wait) {
  pollfd fd{fd_, POLLIN, 0};
  int timeout = static_cast<int>(wait.count());
  while (poll(&fd, 1, timeout) > 0) {
    char buffer[4096];
    const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    history_.emplace_back(buffer, static_cast<std::size_t>(n));
    timeout = 0;
  }
}

bool NotifyListener::wait_for(const std::string& needle, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (; consumed_ < history_.size(); ++consumed_) {
      if (history_[consumed_].find(needle) != std::string::npos) {
        ++consumed_;
        return true;
      }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) return false;
    poll_pending(std::min<std::chrono::milliseconds>(left, 100ms));
  }
}

DaemonProcess::DaemonProcess(const fs::path& config, const fs::path& stderr_file,
                             const std::vector<std::string>& env,
                             const std::vector<std::string>& extra_args,
                             const std::string& subcommand)
    : subcommand_(subcommand) {
  int out_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> args{plancal_binary().string(), subcommand, "--config",
                                config.string(),           "--listen", "127.0.0.1:0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int err_fd = open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    for (const auto& entry : env) {
      const std::string value =
          entry == "WATCHDOG_PID=self" ? "WATCHDOG_PID=" + std::to_string(getpid()) : entry;
      putenv(strdup(value.c_str()));
    }
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execve(argv[0], argv.data(), environ);
    _exit(127);
  }
  close(out_pipe[1]);
  out_fd_ = out_pipe[0];
  port_ = wait_for_port();
}

DaemonProcess::~DaemonProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (out_fd_ >= 0) close(out_fd_);
}

std::string DaemonProcess::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void DaemonProcess::signal(int signal_number) const { kill(pid_, signal_number); }

int DaemonProcess::stop(std::chrono::seconds timeout) {
  kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(50ms);
  }
  return -1;
}

int DaemonProcess::wait_for_port() {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  const std::regex listening("listening on http://127\\.0\\.0\\.1:([0-9]+)\n");
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd fd{out_fd_, POLLIN, 0};
    if (poll(&fd, 1, 200) <= 0) continue;
    char buffer[512];
    const ssize_t n = read(out_fd_, buffer, sizeof buffer);
    if (n <= 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
    std::smatch match;
    if (std::regex_search(out, match, listening)) return std::stoi(match[1]);
  }
  throw std::runtime_error("plancal " + subcommand_ + " did not print its port; stdout: " + out);
}

long resident_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

long open_fds(pid_t pid) {
  long count = 0;
  std::error_code error;
  for (fs::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", error), end;
       !error && it != end; it.increment(error)) {
    ++count;
  }
  return count;
}

}  // namespace plancal::testing
