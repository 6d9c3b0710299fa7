#include "graph/mailbox_limiter.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace plancal::graph {

namespace {

/// User principal names are not case-sensitive; ids are GUIDs, equal in any case too.
std::string key_of(const std::string& mailbox) {
  std::string key = mailbox;
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

}  // namespace

MailboxLimiter::Turn::Turn(Turn&& other) noexcept
    : limiter_(std::exchange(other.limiter_, nullptr)),
      key_(std::move(other.key_)),
      slots_(other.slots_) {}

MailboxLimiter::Turn::~Turn() {
  if (limiter_ != nullptr) limiter_->give_back(key_, slots_);
}

MailboxLimiter::Turn MailboxLimiter::take(const std::string& mailbox, std::size_t slots) {
  slots = std::clamp<std::size_t>(slots, 1, per_mailbox_);
  std::string key = key_of(mailbox);
  std::unique_lock lock(mutex_);
  Slot& slot = slots_[key];
  ++slot.waiting;
  freed_.wait(lock, [&] { return slot.held + slots <= per_mailbox_; });
  --slot.waiting;
  slot.held += slots;
  return Turn(*this, std::move(key), slots);
}

std::size_t MailboxLimiter::waiting(const std::string& mailbox) {
  const std::lock_guard lock(mutex_);
  const auto it = slots_.find(key_of(mailbox));
  return it == slots_.end() ? 0 : it->second.waiting;
}

void MailboxLimiter::give_back(const std::string& key, std::size_t slots) {
  {
    const std::lock_guard lock(mutex_);
    slots_[key].held -= slots;
  }
  freed_.notify_all();
}

}  // namespace plancal::graph
