// The request deadline that libmicrohttpd's idle timeout lacks: a connection whose request
// has not arrived whole in time has its socket shut down, however steadily it trickles.

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "httpd/connection_guard.h"

namespace plancal::httpd {
namespace {

using namespace std::chrono_literals;

/// Both ends of a connected socket pair, closed at the end.
struct SocketPair {
  int server = -1;
  int client = -1;
  SocketPair() {
    int fds[2];
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    server = fds[0];
    client = fds[1];
  }
  ~SocketPair() {
    close(server);
    close(client);
  }
  /// True when the client reads end-of-stream: the server side was shut down.
  [[nodiscard]] bool client_sees_end() const {
    char byte = 0;
    return recv(client, &byte, 1, MSG_DONTWAIT) == 0;
  }
};

struct ConnectionGuardTest : ::testing::Test {
  std::chrono::steady_clock::time_point now{};
  ConnectionGuard guard{15s, [this] { return now; }};
};

TEST_F(ConnectionGuardTest, ARequestThatHasNotArrivedInTimeIsShutDown) {
  SocketPair pair;
  auto* connection = guard.opened(pair.server);
  now += 14s;
  EXPECT_EQ(guard.sweep(), 0U);  // a trickle of bytes does not move the deadline
  EXPECT_FALSE(pair.client_sees_end());
  now += 2s;
  EXPECT_EQ(guard.sweep(), 1U);
  EXPECT_TRUE(pair.client_sees_end());
  EXPECT_EQ(guard.sweep(), 0U);             // shut down once
  EXPECT_EQ(guard.open_connections(), 1U);  // until the library closes it
  guard.closed(connection);
  EXPECT_EQ(guard.open_connections(), 0U);
}

TEST_F(ConnectionGuardTest, ARequestBeingAnsweredHasNoDeadline) {
  SocketPair pair;
  auto* connection = guard.opened(pair.server);
  now += 5s;
  guard.request_received(connection);
  now += 1h;
  EXPECT_EQ(guard.sweep(), 0U);
  EXPECT_FALSE(pair.client_sees_end());
  guard.closed(connection);
}

TEST_F(ConnectionGuardTest, TheNextRequestOnAKeptAliveConnectionGetsItsOwnDeadline) {
  SocketPair pair;
  auto* connection = guard.opened(pair.server);
  guard.request_received(connection);
  now += 1h;
  guard.response_sent(connection);
  now += 14s;
  EXPECT_EQ(guard.sweep(), 0U);
  now += 2s;
  EXPECT_EQ(guard.sweep(), 1U);
  EXPECT_TRUE(pair.client_sees_end());
  guard.closed(connection);
}

TEST_F(ConnectionGuardTest, CountsOpenConnections) {
  SocketPair a;
  SocketPair b;
  auto* first = guard.opened(a.server);
  auto* second = guard.opened(b.server);
  EXPECT_EQ(guard.open_connections(), 2U);
  guard.closed(first);
  guard.closed(nullptr);  // a connection the guard never saw open
  EXPECT_EQ(guard.open_connections(), 1U);
  guard.closed(second);
}

}  // namespace
}  // namespace plancal::httpd
