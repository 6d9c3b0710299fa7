#pragma once
/// Sends mails on a thread of its own, so a page that asked for one answers at once: the
/// sign-in page must answer a leader's address exactly as fast as anyone else's, or its
/// timing would tell who is a leader. Mails still queued when the outbox goes away are sent
/// before it is gone (the destructor waits for them).

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "mail/sender.h"

namespace plancal {

class MailOutbox {
 public:
  /// `send` delivers one mail (on the outbox's thread); its failures are logged there.
  explicit MailOutbox(std::function<mail::SendResult(const mail::MailMessage&)> send);
  ~MailOutbox();
  MailOutbox(const MailOutbox&) = delete;
  MailOutbox& operator=(const MailOutbox&) = delete;

  /// Queues `message` and returns at once.
  void post(mail::MailMessage message);

 private:
  void run();

  std::function<mail::SendResult(const mail::MailMessage&)> send_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<mail::MailMessage> queue_;  ///< guarded by mutex_
  bool stopping_ = false;                ///< guarded by mutex_
  std::thread thread_;
};

}  // namespace plancal
