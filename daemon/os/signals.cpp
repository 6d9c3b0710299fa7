#include "os/signals.h"

#include <pthread.h>
#include <sys/signalfd.h>

#include <csignal>

namespace plancal {

Result<SignalInbox> SignalInbox::open() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  if (pthread_sigmask(SIG_BLOCK, &signals, nullptr) != 0) {
    return Error{"cannot block SIGHUP/SIGTERM/SIGINT"};
  }
  std::signal(SIGPIPE, SIG_IGN);
  UniqueFd fd(signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!fd.valid()) return Error{"cannot create a signalfd"};
  return SignalInbox(std::move(fd));
}

std::optional<int> SignalInbox::next() {
  signalfd_siginfo info{};
  if (read(fd_.get(), &info, sizeof info) != static_cast<ssize_t>(sizeof info)) {
    return std::nullopt;
  }
  return static_cast<int>(info.ssi_signo);
}

}  // namespace plancal
