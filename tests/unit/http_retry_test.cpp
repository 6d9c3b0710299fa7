#include "http/retry.h"

#include <gtest/gtest.h>

#include <deque>

#include "test_doubles.h"

namespace plancal::http {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;
using testing::RecordingSleeper;

/// Plays back scripted attempts and counts how often it was asked.
class ScriptedTransport final : public Transport {
 public:
  explicit ScriptedTransport(std::deque<Attempt> script) : script_(std::move(script)) {}
  Attempt perform(const HttpRequest& /*request*/) override {
    ++calls;
    Attempt next = script_.front();
    if (script_.size() > 1) script_.pop_front();
    return next;
  }
  int calls = 0;

 private:
  std::deque<Attempt> script_;
};

HttpResponse answer(int status, Headers headers = {}) {
  HttpResponse response;
  response.status = status;
  response.headers = std::move(headers);
  response.body = "body " + std::to_string(status);
  return response;
}

const system_clock::time_point kNow = system_clock::time_point(seconds(1'700'000'000));

struct Harness {
  explicit Harness(std::deque<Attempt> script, RetryPolicy policy = {}) {
    auto scripted = std::make_unique<ScriptedTransport>(std::move(script));
    transport = scripted.get();
    client = std::make_unique<RetryingClient>(
        std::move(scripted), policy,
        RetryingClient::Environment{&sleeper, [] { return kNow; }, [] { return 0.5; }});
  }
  RecordingSleeper sleeper;
  ScriptedTransport* transport = nullptr;
  std::unique_ptr<RetryingClient> client;
};

TEST(HttpRetryTest, RetryAfterInSecondsDecimalsAndDates) {
  EXPECT_EQ(parse_retry_after("120", kNow), milliseconds(120'000));
  EXPECT_EQ(parse_retry_after(" 0 ", kNow), milliseconds(0));
  EXPECT_EQ(parse_retry_after("1.5", kNow), milliseconds(1'500));
  EXPECT_EQ(parse_retry_after("0.25", kNow), milliseconds(250));
  // 1'700'000'000 is Tue, 14 Nov 2023 22:13:20 GMT.
  EXPECT_EQ(parse_retry_after("Tue, 14 Nov 2023 22:13:50 GMT", kNow), milliseconds(30'000));
  EXPECT_EQ(parse_retry_after("Tue, 14 Nov 2023 22:00:00 GMT", kNow), milliseconds(0));
  EXPECT_FALSE(parse_retry_after("-5", kNow));
  EXPECT_FALSE(parse_retry_after("1.", kNow));
  EXPECT_FALSE(parse_retry_after("soon", kNow));
  EXPECT_FALSE(parse_retry_after("1e3", kNow));
  EXPECT_FALSE(parse_retry_after("Tue, 31 Feb 2023 22:13:50 GMT", kNow));
  EXPECT_FALSE(parse_retry_after("", kNow));
}

TEST(HttpRetryTest, ImfFixdate) {
  EXPECT_EQ(parse_imf_fixdate("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_FALSE(parse_imf_fixdate("Sun, 06 Nov 1994 08:49:37 UTC"));
  EXPECT_FALSE(parse_imf_fixdate("Sunday, 06-Nov-94 08:49:37 GMT"));
}

TEST(HttpRetryTest, BackoffDoublesUpToTheCapWithEqualJitter) {
  RetryPolicy policy;
  policy.base_delay = milliseconds(1000);
  policy.max_delay = milliseconds(5000);
  EXPECT_EQ(backoff_delay(policy, 1, 0.0), milliseconds(500));
  EXPECT_EQ(backoff_delay(policy, 1, 1.0), milliseconds(1000));
  EXPECT_EQ(backoff_delay(policy, 2, 0.0), milliseconds(1000));
  EXPECT_EQ(backoff_delay(policy, 3, 0.5), milliseconds(3000));
  EXPECT_EQ(backoff_delay(policy, 4, 1.0), milliseconds(5000));
  EXPECT_EQ(backoff_delay(policy, 60, 0.0), milliseconds(2500));
}

TEST(HttpRetryTest, RetryableStatuses) {
  for (int status : {408, 429, 500, 502, 503, 504}) EXPECT_TRUE(is_retryable_status(status));
  for (int status : {200, 207, 400, 401, 403, 404, 412, 501, 505, 507}) {
    EXPECT_FALSE(is_retryable_status(status)) << status;
  }
}

TEST(HttpRetryTest, ServerErrorsAreRetriedOnTheBackoffSchedule) {
  RetryPolicy policy;
  policy.max_attempts = 4;
  policy.base_delay = milliseconds(100);
  Harness h({answer(503), answer(502), answer(500), answer(200)}, policy);
  auto response = h.client->send(HttpRequest::make("GET", "http://h/x"));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(h.transport->calls, 4);
  EXPECT_EQ(h.sleeper.slept,
            (std::vector<milliseconds>{milliseconds(75), milliseconds(150), milliseconds(300)}));
}

TEST(HttpRetryTest, RetryAfterIsHonouredInsteadOfBackoff) {
  Harness h({answer(429, Headers{{"retry-after", "7"}}),
             answer(503, Headers{{"Retry-After", "Tue, 14 Nov 2023 22:13:22 GMT"}}), answer(204)});
  auto response = h.client->send(HttpRequest::make("PUT", "http://h/x"));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 204);
  EXPECT_EQ(h.sleeper.slept, (std::vector<milliseconds>{milliseconds(7000), milliseconds(2000)}));
}

TEST(HttpRetryTest, AttemptsAreBoundedAndTheLastAnswerIsReturned) {
  RetryPolicy policy;
  policy.max_attempts = 3;
  Harness h({answer(503)}, policy);
  auto response = h.client->send(HttpRequest::make("GET", "http://h/x"));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(h.transport->calls, 3);
  EXPECT_EQ(h.sleeper.slept.size(), 2U);
}

TEST(HttpRetryTest, ARetryAfterBeyondTheLimitIsNotWaitedFor) {
  Harness h({answer(503, Headers{{"Retry-After", "86400"}}), answer(200)});
  auto response = h.client->send(HttpRequest::make("GET", "http://h/x"));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 503);
  EXPECT_TRUE(h.sleeper.slept.empty());
}

TEST(HttpRetryTest, FinalAnswersAreNotRetried) {
  for (int status : {200, 404, 412, 507, 501}) {
    Harness h({answer(status), answer(200)});
    auto response = h.client->send(HttpRequest::make("GET", "http://h/x"));
    ASSERT_TRUE(response.ok());
    EXPECT_EQ(response->status, status);
    EXPECT_EQ(h.transport->calls, 1);
  }
}

TEST(HttpRetryTest, ConnectionErrorsAndTimeoutsAreRetried) {
  Harness h({TransportFailure{TransportFailure::Kind::Connect, "reset"},
             TransportFailure{TransportFailure::Kind::Timeout, "slow"}, answer(201)});
  auto response = h.client->send(HttpRequest::make("PUT", "http://h/x"));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(h.transport->calls, 3);
}

TEST(HttpRetryTest, TlsFailuresAreNotRetried) {
  Harness h({TransportFailure{TransportFailure::Kind::Tls, "certificate expired"}, answer(200)});
  auto response = h.client->send(HttpRequest::make("GET", "https://h/x"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().message, "certificate expired");
  EXPECT_EQ(h.transport->calls, 1);
}

TEST(HttpRetryTest, PersistentConnectionFailureEndsInAnError) {
  RetryPolicy policy;
  policy.max_attempts = 2;
  Harness h({TransportFailure{TransportFailure::Kind::Connect, "refused"}}, policy);
  auto response = h.client->send(HttpRequest::make("GET", "http://h/x"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().message, "refused (gave up after 2 attempts)");
  EXPECT_EQ(h.transport->calls, 2);
  EXPECT_EQ(h.sleeper.slept.size(), 1U);
}

}  // namespace
}  // namespace plancal::http
