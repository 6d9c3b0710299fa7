// CurlTransport against a scripted HTTP server on loopback: what goes on the wire, connection
// reuse, retries of real failures (503 + Retry-After, dropped connection, timeout) and logs.
#include "http/curl_transport.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <deque>
#include <mutex>
#include <sstream>
#include <thread>

#include "test_doubles.h"

namespace plancal::http {
namespace {

using namespace std::chrono_literals;
using testing::RecordingSleeper;

/// One canned answer: raw bytes to write, after an optional delay, then maybe close.
struct Reply {
  std::string raw;
  std::chrono::milliseconds delay{0};
  bool close_after = false;
};

Reply ok_reply(const std::string& body, const std::string& extra_headers = "") {
  return Reply{"HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
                   extra_headers + "\r\n" + body,
               0ms, false};
}

/// A loopback HTTP/1.1 server that answers requests from a script, keeping connections open.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::deque<Reply> replies) : replies_(std::move(replies)) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        listen(listen_fd_, 8) != 0 ||
        getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("cannot listen on loopback");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~ScriptedServer() {
    stop_ = true;
    thread_.join();
    for (const auto& connection : connections_) close(connection.fd);
    close(listen_fd_);
  }
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  [[nodiscard]] std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  [[nodiscard]] std::vector<std::string> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  [[nodiscard]] int connections_accepted() const { return accepted_.load(); }

 private:
  struct Connection {
    int fd;
    std::string buffer;
  };

  void serve() {
    while (!stop_) {
      std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
      for (const auto& connection : connections_) fds.push_back({connection.fd, POLLIN, 0});
      if (poll(fds.data(), fds.size(), 20) <= 0) continue;
      if (fds[0].revents != 0) {
        connections_.push_back({accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC), {}});
        ++accepted_;
      }
      for (std::size_t i = 1; i < fds.size(); ++i) {
        if (fds[i].revents != 0) read_from(connections_[i - 1]);
      }
      std::erase_if(connections_, [](const Connection& c) { return c.fd < 0; });
    }
  }

  void read_from(Connection& connection) {
    char chunk[4096];
    const ssize_t n = read(connection.fd, chunk, sizeof chunk);
    if (n <= 0) {
      close(connection.fd);
      connection.fd = -1;
      return;
    }
    connection.buffer.append(chunk, static_cast<std::size_t>(n));
    const auto end = connection.buffer.find("\r\n\r\n");
    if (end == std::string::npos) return;
    std::size_t body_length = 0;
    const auto at = connection.buffer.find("Content-Length: ");
    if (at != std::string::npos && at < end)
      body_length = std::stoul(connection.buffer.substr(at + 16));
    if (connection.buffer.size() < end + 4 + body_length) return;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(connection.buffer.substr(0, end + 4 + body_length));
    }
    connection.buffer.erase(0, end + 4 + body_length);
    Reply reply = replies_.front();
    if (replies_.size() > 1) replies_.pop_front();
    std::this_thread::sleep_for(reply.delay);
    (void)!write(connection.fd, reply.raw.data(), reply.raw.size());
    if (reply.close_after) {
      close(connection.fd);
      connection.fd = -1;
    }
  }

  std::deque<Reply> replies_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::vector<Connection> connections_;
  std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

/// Routes spdlog's default logger into a string for the test's lifetime.
class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    auto logger = std::make_shared<spdlog::logger>("capture", sink);
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;
  [[nodiscard]] std::string text() const { return out_.str(); }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::ostringstream out_;
};

ClientOptions options_with_auth() {
  ClientOptions options;
  options.auth = BasicAuth{"alice", Secret("s3cret")};
  options.max_in_flight = 1;
  return options;
}

TEST(HttpCurlTest, SendsMethodHeadersBodyAndBasicAuth) {
  ScriptedServer server({ok_reply("hello", "ETag: \"v1\"\r\nX-Custom: yes\r\n")});
  CurlTransport transport(options_with_auth());
  HttpRequest request = HttpRequest::make("PUT", server.url("/cal/a@b.ics"), "BEGIN:VCALENDAR");
  request.headers.add("If-None-Match", "*");
  request.headers.add("Content-Type", "text/calendar; charset=utf-8");
  Attempt attempt = transport.perform(request);
  ASSERT_TRUE(std::holds_alternative<HttpResponse>(attempt));
  const auto& response = std::get<HttpResponse>(attempt);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "hello");
  EXPECT_EQ(response.headers.find("etag"), "\"v1\"");
  EXPECT_EQ(response.headers.find("x-custom"), "yes");

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1U);
  const std::string& wire = requests[0];
  EXPECT_TRUE(wire.starts_with("PUT /cal/a@b.ics HTTP/1.1\r\n")) << wire;
  EXPECT_NE(wire.find("Authorization: Basic YWxpY2U6czNjcmV0\r\n"), std::string::npos) << wire;
  EXPECT_NE(wire.find("If-None-Match: *\r\n"), std::string::npos);
  EXPECT_NE(wire.find("Content-Type: text/calendar; charset=utf-8\r\n"), std::string::npos);
  EXPECT_EQ(wire.find("Expect:"), std::string::npos);
  EXPECT_TRUE(wire.ends_with("\r\n\r\nBEGIN:VCALENDAR"));
}

TEST(HttpCurlTest, BodilessRequestsGetNoFormContentType) {
  ScriptedServer server({ok_reply("")});
  CurlTransport transport(ClientOptions{});
  HttpRequest request = HttpRequest::make("DELETE", server.url("/cal/x.ics"));
  request.headers.add("If-Match", "\"e1\"");
  ASSERT_TRUE(std::holds_alternative<HttpResponse>(transport.perform(request)));
  const std::string wire = server.requests().at(0);
  EXPECT_TRUE(wire.starts_with("DELETE /cal/x.ics HTTP/1.1\r\n")) << wire;
  EXPECT_EQ(wire.find("application/x-www-form-urlencoded"), std::string::npos) << wire;
  EXPECT_EQ(wire.find("Authorization"), std::string::npos);
}

TEST(HttpCurlTest, ReusesOneKeptAliveConnection) {
  ScriptedServer server({ok_reply("x")});
  CurlTransport transport(options_with_auth());
  for (int i = 0; i < 5; ++i) {
    auto attempt = transport.perform(HttpRequest::make("PROPFIND", server.url("/cal/"), "<x/>"));
    ASSERT_TRUE(std::holds_alternative<HttpResponse>(attempt));
  }
  EXPECT_EQ(server.connections_accepted(), 1);
  EXPECT_EQ(transport.connections_opened(), 1);
  EXPECT_EQ(transport.requests_performed(), 5);
}

TEST(HttpCurlTest, A503WithRetryAfterIsRetriedAfterTheGivenDelay) {
  ScriptedServer server({Reply{"HTTP/1.1 503 Busy\r\nRetry-After: 2\r\nContent-Length: 0\r\n\r\n"},
                         ok_reply("done")});
  RecordingSleeper sleeper;
  RetryingClient client(std::make_unique<CurlTransport>(options_with_auth()), RetryPolicy{},
                        RetryingClient::Environment{&sleeper, {}, {}});
  auto response = client.send(HttpRequest::make("GET", server.url("/x")));
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "done");
  EXPECT_EQ(sleeper.slept, std::vector<std::chrono::milliseconds>{2000ms});
}

TEST(HttpCurlTest, AConnectionDroppedMidResponseIsRetried) {
  ScriptedServer server(
      {Reply{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\ntrunc", 0ms, true}, ok_reply("whole")});
  RecordingSleeper sleeper;
  RetryingClient client(std::make_unique<CurlTransport>(ClientOptions{}), RetryPolicy{},
                        RetryingClient::Environment{&sleeper, {}, {}});
  auto response = client.send(HttpRequest::make("GET", server.url("/x")));
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->body, "whole");
  EXPECT_EQ(sleeper.slept.size(), 1U);
}

TEST(HttpCurlTest, ASlowServerTimesOut) {
  ScriptedServer server({Reply{ok_reply("late").raw, 1500ms, false}});
  ClientOptions options;
  options.total_timeout = 200ms;
  CurlTransport transport(options);
  const auto started = std::chrono::steady_clock::now();
  Attempt attempt = transport.perform(HttpRequest::make("GET", server.url("/slow")));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1200ms);
  ASSERT_TRUE(std::holds_alternative<TransportFailure>(attempt));
  EXPECT_EQ(std::get<TransportFailure>(attempt).kind, TransportFailure::Kind::Timeout);
  EXPECT_TRUE(std::get<TransportFailure>(attempt).retryable());
}

TEST(HttpCurlTest, ARefusedConnectionIsARetryableConnectFailure) {
  int port = 0;
  {
    ScriptedServer closed({ok_reply("")});
    port = std::stoi(closed.url("").substr(17));
  }
  CurlTransport transport(ClientOptions{});
  Attempt attempt =
      transport.perform(HttpRequest::make("GET", "http://127.0.0.1:" + std::to_string(port) + "/"));
  ASSERT_TRUE(std::holds_alternative<TransportFailure>(attempt));
  EXPECT_EQ(std::get<TransportFailure>(attempt).kind, TransportFailure::Kind::Connect);
}

TEST(HttpCurlTest, OversizedResponsesFail) {
  ScriptedServer server({ok_reply(std::string(1000, 'x'))});
  ClientOptions options;
  options.max_response_bytes = 100;
  CurlTransport transport(options);
  Attempt attempt = transport.perform(HttpRequest::make("GET", server.url("/big")));
  ASSERT_TRUE(std::holds_alternative<TransportFailure>(attempt));
  EXPECT_EQ(std::get<TransportFailure>(attempt).kind, TransportFailure::Kind::TooLarge);
}

TEST(HttpCurlTest, AMissingCaFileIsAStartupError) {
  ClientOptions options;
  options.tls.extra_ca_file = "/nonexistent/plancal-ca.pem";
  EXPECT_THROW(CurlTransport{options}, std::runtime_error);
}

TEST(HttpCurlTest, LogsCarryNeitherSecretsNorQueryStrings) {
  ScriptedServer server(
      {Reply{"HTTP/1.1 503 Busy\r\nRetry-After: 0\r\nContent-Length: 0\r\n\r\n"}, ok_reply("ok")});
  LogCapture capture;
  RecordingSleeper sleeper;
  RetryingClient client(std::make_unique<CurlTransport>(options_with_auth()), RetryPolicy{},
                        RetryingClient::Environment{&sleeper, {}, {}});
  auto response = client.send(HttpRequest::make("GET", server.url("/feed.ics?token=tok123")));
  ASSERT_TRUE(response.ok());
  spdlog::debug("options: {}", options_with_auth().auth->password);
  const std::string log = capture.text();
  EXPECT_NE(log.find("/feed.ics?<redacted>"), std::string::npos) << log;
  EXPECT_NE(log.find("retry 1"), std::string::npos) << log;
  EXPECT_NE(log.find("options: <redacted>"), std::string::npos) << log;
  EXPECT_EQ(log.find("tok123"), std::string::npos) << log;
  EXPECT_EQ(log.find("s3cret"), std::string::npos) << log;
  EXPECT_EQ(log.find("YWxpY2U6czNjcmV0"), std::string::npos) << log;
  EXPECT_EQ(log.find("Authorization"), std::string::npos) << log;
}

}  // namespace
}  // namespace plancal::http
