#include "raw_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <chrono>
#include <sstream>

namespace plancal::testing {

namespace {

sockaddr_in loopback(const std::string& address, int port) {
  sockaddr_in result{};
  result.sin_family = AF_INET;
  result.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, address.c_str(), &result.sin_addr);
  return result;
}

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

/// Everything the server sends until it closes or `deadline` passes.
std::string read_until_closed(int fd, std::chrono::steady_clock::time_point deadline,
                              bool& closed) {
  std::string received;
  std::array<char, 65536> buffer{};
  closed = false;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd ready{fd, POLLIN, 0};
    if (poll(&ready, 1, 100) <= 0) {
      if (!received.empty() && received.find("\r\n\r\n") != std::string::npos) {
        // A kept-alive connection stays open: stop once the whole body is in.
        const auto head_end = received.find("\r\n\r\n") + 4;
        if (received.find(" 304 ") < head_end) break;  // never has a body
        const auto length_at = lower(received.substr(0, head_end)).find("content-length:");
        if (length_at != std::string::npos &&
            received.size() - head_end >=
                std::stoul(received.substr(length_at + 15, head_end - length_at - 15))) {
          break;
        }
      }
      continue;
    }
    const auto got = recv(fd, buffer.data(), buffer.size(), 0);
    if (got <= 0) {
      closed = true;
      break;
    }
    received.append(buffer.data(), static_cast<std::size_t>(got));
  }
  return received;
}

RawHttpResponse parse(const std::string& text) {
  RawHttpResponse response;
  const auto head_end = text.find("\r\n\r\n");
  std::istringstream head(text.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  if (line.rfind("HTTP/", 0) == 0 && line.size() >= 12)
    response.status = std::stoi(line.substr(9, 3));
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const auto value = line.find_first_not_of(' ', colon + 1);
    response.headers[lower(line.substr(0, colon))] =
        value == std::string::npos ? std::string() : line.substr(value);
  }
  if (head_end != std::string::npos) response.body = text.substr(head_end + 4);
  return response;
}

}  // namespace

std::string RawHttpResponse::header(const std::string& name) const {
  const auto found = headers.find(lower(name));
  return found == headers.end() ? std::string() : found->second;
}

int open_idle_connection(int port, const std::string& source) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const sockaddr_in from = loopback(source, 0);
  const sockaddr_in to = loopback("127.0.0.1", port);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&from), sizeof from) != 0 ||
      connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool closed_by_server(int fd, int wait_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  bool closed = false;
  (void)read_until_closed(fd, deadline, closed);
  return closed;
}

std::optional<RawHttpResponse> raw_http(int port, const std::string& request,
                                        const std::string& source) {
  const int fd = open_idle_connection(port, source);
  if (fd < 0) return std::nullopt;
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    close(fd);
    return std::nullopt;
  }
  bool closed = false;
  const std::string text =
      read_until_closed(fd, std::chrono::steady_clock::now() + std::chrono::seconds(10), closed);
  close(fd);
  if (text.empty()) return std::nullopt;
  RawHttpResponse response = parse(text);
  response.closed = closed;
  return response;
}

}  // namespace plancal::testing
