#pragma once
/// MailboxLimiter: at most four requests in flight per mailbox, however many clients talk to
/// it, counting every item of a $batch as a request of its own.
///
/// Graph allows an app four concurrent requests per mailbox, and the items of a $batch that do
/// not dependOn each other may run at the same time, each counted against its own mailbox
/// (https://learn.microsoft.com/graph/json-batching, "evaluated individually against throttling
/// limits"). So a client holds one slot per request or batch item it has on the wire; clients
/// of different targets that write into the same mailbox share one limiter (the process keeps
/// one: service/sync_targets.cpp), so the limit holds per mailbox, not per target.

#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>

namespace plancal::graph {

/// Graph's limit of concurrent requests per app and mailbox.
inline constexpr std::size_t kMailboxConcurrency = 4;

class MailboxLimiter {
 public:
  /// Slots of one mailbox; given back when this is destroyed.
  class Turn {
   public:
    Turn(Turn&& other) noexcept;
    Turn& operator=(Turn&&) = delete;
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;
    ~Turn();

   private:
    friend class MailboxLimiter;
    Turn(MailboxLimiter& limiter, std::string key, std::size_t slots)
        : limiter_(&limiter), key_(std::move(key)), slots_(slots) {}
    MailboxLimiter* limiter_;
    std::string key_;
    std::size_t slots_;
  };

  explicit MailboxLimiter(std::size_t per_mailbox = kMailboxConcurrency)
      : per_mailbox_(per_mailbox > 0 ? per_mailbox : 1) {}
  MailboxLimiter(const MailboxLimiter&) = delete;
  MailboxLimiter& operator=(const MailboxLimiter&) = delete;

  /// Waits until `mailbox` (a user principal name, compared without regard to case, or an id)
  /// has `slots` free (at most the limit; 0 counts as 1), then holds them.
  [[nodiscard]] Turn take(const std::string& mailbox, std::size_t slots = 1);

  /// Clients waiting for slots at `mailbox` now (for tests and diagnostics).
  [[nodiscard]] std::size_t waiting(const std::string& mailbox);

  [[nodiscard]] std::size_t per_mailbox() const { return per_mailbox_; }

 private:
  struct Slot {
    std::size_t held = 0;
    std::size_t waiting = 0;
  };
  void give_back(const std::string& key, std::size_t slots);

  std::size_t per_mailbox_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::map<std::string, Slot> slots_;
};

}  // namespace plancal::graph
