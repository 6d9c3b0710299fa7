// The outbox that sends sign-in mails off the request thread.

#include <gtest/gtest.h>

#include <mutex>
#include <vector>

#include "service/mail_outbox.h"

namespace plancal {
namespace {

TEST(MailOutboxTest, PostReturnsAtOnceAndEveryQueuedMailIsSentInOrderBeforeTheOutboxGoes) {
  std::mutex mutex;
  std::vector<std::string> sent;
  {
    MailOutbox outbox([&](const mail::MailMessage& message) -> mail::SendResult {
      const std::lock_guard lock(mutex);
      sent.push_back(message.subject);
      if (message.subject == "2") return mail::SendError{mail::FailureKind::Temporary, 451, "busy"};
      return Ok{};
    });
    for (const char* subject : {"1", "2", "3"}) {
      mail::MailMessage message;
      message.subject = subject;
      outbox.post(message);
    }
  }  // the destructor waits for the queue
  EXPECT_EQ(sent, (std::vector<std::string>{"1", "2", "3"})) << "a failure stops nothing after it";
}

}  // namespace
}  // namespace plancal
