#include "service/mail_outbox.h"

#include <spdlog/spdlog.h>

namespace plancal {

MailOutbox::MailOutbox(std::function<mail::SendResult(const mail::MailMessage&)> send)
    : send_(std::move(send)), thread_([this] { run(); }) {}

MailOutbox::~MailOutbox() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void MailOutbox::post(mail::MailMessage message) {
  {
    const std::lock_guard lock(mutex_);
    queue_.push_back(std::move(message));
  }
  wake_.notify_one();
}

void MailOutbox::run() {
  for (;;) {
    mail::MailMessage message;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to send
      message = std::move(queue_.front());
      queue_.pop_front();
    }
    // The message holds a sign-in link: only the failure is logged, never the mail.
    if (const auto sent = send_(message); !sent) {
      spdlog::warn("sign-in: a mail with a link was not sent: {}", sent.error().message);
    }
  }
}

}  // namespace plancal
