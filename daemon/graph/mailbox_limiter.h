#pragma once
/// MailboxLimiter: at most one request (or $batch) outstanding per mailbox, however many
/// clients talk to it.
///
/// Graph allows an app four concurrent requests per mailbox and runs up to four items of a
/// batch at once, so one outstanding batch per mailbox is what keeps a mailbox at four. A
/// GraphClient holds a mailbox's turn while its request is on the wire; clients of different
/// targets that write into the same mailbox share one limiter (the process keeps one:
/// service/sync_targets.cpp), so the limit holds per mailbox, not per target.

#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>

namespace plancal::graph {

class MailboxLimiter {
 public:
  /// A mailbox's turn; the next waiting client gets it when this one is destroyed.
  class Turn {
   public:
    Turn(Turn&& other) noexcept;
    Turn& operator=(Turn&&) = delete;
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;
    ~Turn();

   private:
    friend class MailboxLimiter;
    Turn(MailboxLimiter& limiter, std::string key) : limiter_(&limiter), key_(std::move(key)) {}
    MailboxLimiter* limiter_;
    std::string key_;
  };

  MailboxLimiter() = default;
  MailboxLimiter(const MailboxLimiter&) = delete;
  MailboxLimiter& operator=(const MailboxLimiter&) = delete;

  /// Waits until no other client holds `mailbox` (a user principal name, compared without
  /// regard to case, or an id), then holds it.
  [[nodiscard]] Turn take(const std::string& mailbox);

  /// Clients waiting for a turn at `mailbox` now (for tests and diagnostics).
  [[nodiscard]] std::size_t waiting(const std::string& mailbox);

 private:
  struct Slot {
    bool held = false;
    std::size_t waiting = 0;
  };
  void give_back(const std::string& key);

  std::mutex mutex_;
  std::condition_variable freed_;
  std::map<std::string, Slot> slots_;
};

}  // namespace plancal::graph
