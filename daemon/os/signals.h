#pragma once
/// SIGHUP, SIGTERM and SIGINT delivered as readable events on a signalfd, so the daemon's
/// main loop handles them between other work and no work ever happens inside a handler.
/// The signals are blocked in the calling thread before any other thread starts, so every
/// thread (HTTP server, sync worker) inherits the mask and the signals queue for the loop.

#include <optional>

#include "base/result.h"
#include "os/unique_fd.h"

namespace plancal {

class SignalInbox {
 public:
  /// Blocks the signals and opens the signalfd; also ignores SIGPIPE (a client that hangs up
  /// must not kill the daemon). Call before starting threads.
  [[nodiscard]] static Result<SignalInbox> open();

  /// The fd to poll for POLLIN.
  [[nodiscard]] int fd() const { return fd_.get(); }
  /// The next pending signal number, or nullopt when none is pending.
  [[nodiscard]] std::optional<int> next();

 private:
  explicit SignalInbox(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace plancal
