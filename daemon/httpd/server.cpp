#include "httpd/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <array>
#include <charconv>
#include <cstdarg>
#include <cstdio>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "httpd/connection_guard.h"
#include "httpd/request_checks.h"

namespace plancal::httpd {

namespace {

/// Owns what an MHD response points at until MHD has sent it and calls free_body.
struct ResponseBody {
  std::shared_ptr<const void> keep_alive;
  std::string owned;
};

void free_body(void* body) { delete static_cast<ResponseBody*>(body); }

/// Either address family, ready for MHD_OPTION_SOCK_ADDR.
struct SocketAddress {
  sockaddr_storage storage{};
  bool ipv6 = false;
  [[nodiscard]] const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

Result<SocketAddress> make_socket_address(const std::string& address, std::uint16_t port) {
  SocketAddress result;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&result.storage);
  if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    return result;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&result.storage);
  if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    result.ipv6 = true;
    return result;
  }
  return Error{fmt::format("'{}' is not an IPv4 or IPv6 address", address)};
}

std::string client_address_of(MHD_Connection* connection) {
  const auto* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (info == nullptr || info->client_addr == nullptr) return "unknown";
  std::array<char, INET6_ADDRSTRLEN> text{};
  const sockaddr* address = info->client_addr;
  const void* raw =
      address->sa_family == AF_INET6
          ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr)
          : static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(address)->sin_addr);
  if (inet_ntop(address->sa_family, raw, text.data(), text.size()) == nullptr) return "unknown";
  return text.data();
}

std::optional<std::string_view> request_header(MHD_Connection* connection, const char* name) {
  const char* value = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, name);
  if (value == nullptr) return std::nullopt;
  return std::string_view(value);
}

MHD_Result send_response(MHD_Connection* connection, HttpResponse response) {
  auto* body = new ResponseBody{std::move(response.keep_alive), std::move(response.owned_body)};
  MHD_Response* mhd_response = nullptr;
  if (body->keep_alive && !response.body_pieces.empty()) {
    std::vector<MHD_IoVec> pieces;  // MHD copies the vector, not the bytes
    pieces.reserve(response.body_pieces.size());
    for (const std::string_view piece : response.body_pieces) {
      pieces.push_back({piece.data(), piece.size()});
    }
    mhd_response = MHD_create_response_from_iovec(
        pieces.data(), static_cast<unsigned>(pieces.size()), free_body, body);
  } else {
    const std::string_view bytes = body->keep_alive ? response.body : std::string_view(body->owned);
    mhd_response = MHD_create_response_from_buffer_with_free_callback_cls(
        bytes.size(), const_cast<char*>(bytes.data()), free_body, body);
  }
  if (mhd_response == nullptr) {
    delete body;
    return MHD_NO;
  }
  for (const auto& [name, value] : response.headers) {
    MHD_add_response_header(mhd_response, name.c_str(), value.c_str());
  }
  const MHD_Result queued =
      MHD_queue_response(connection, static_cast<unsigned>(response.status), mhd_response);
  MHD_destroy_response(mhd_response);  // MHD keeps its own reference until sent
  return queued;
}

/// File descriptors kept free of connections: the database, the listening socket, epoll and
/// event descriptors, log and notify sockets, the inotify watch and outgoing HTTP clients.
constexpr rlim_t kReservedDescriptors = 128;

/// How many connections fit in the open-file limit, after raising the soft limit towards the
/// hard one if `wanted` connections need it (systemd's LimitNOFILE= sets both; a shell's
/// default soft limit of 1,024 would otherwise cap the server silently).
unsigned connections_that_fit(unsigned wanted) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return wanted;
  const rlim_t needed = rlim_t{wanted} + kReservedDescriptors;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max == RLIM_INFINITY ? needed : std::min(needed, limit.rlim_max);
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= needed) return wanted;
  const rlim_t room = limit.rlim_cur > 2 * kReservedDescriptors
                          ? limit.rlim_cur - kReservedDescriptors
                          : limit.rlim_cur / 2;
  return static_cast<unsigned>(std::max<rlim_t>(room, 1));
}

HttpResponse plain_response(int status, std::string text) {
  HttpResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  response.owned_body = std::move(text);
  return response;
}

/// Past three quarters of the connection limit: tell the client to come back, and free the
/// connection.
HttpResponse busy_response() {
  auto response = plain_response(503, "server busy, try again shortly\n");
  response.headers.emplace_back("Retry-After", "10");
  response.headers.emplace_back("Connection", "close");
  return response;
}

}  // namespace

namespace {

/// What one request collects between MHD's calls: its body.
struct RequestBody {
  std::string bytes;
  bool too_large = false;
};

}  // namespace

struct HttpServer::State {
  State(const HttpHandler& handler, unsigned request_timeout_seconds, unsigned busy_from,
        std::size_t max_body_bytes)
      : handler(handler),
        guard(std::chrono::seconds(request_timeout_seconds)),
        busy_connections(busy_from),
        max_body_bytes(max_body_bytes) {}
  const HttpHandler& handler;
  ConnectionGuard guard;
  std::size_t busy_connections;
  std::size_t max_body_bytes;
};

namespace {

using State = HttpServer::State;

ConnectionGuard::Connection* guarded(MHD_Connection* connection) {
  const auto* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  return info != nullptr ? static_cast<ConnectionGuard::Connection*>(info->socket_context)
                         : nullptr;
}

/// MHD_OPTION_NOTIFY_CONNECTION: the guard follows every connection from its opening to just
/// before its descriptor is closed.
void on_connection(void* state_cls, MHD_Connection* connection, void** socket_context,
                   MHD_ConnectionNotificationCode code) {
  auto& guard = static_cast<State*>(state_cls)->guard;
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    const auto* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    *socket_context = info != nullptr ? guard.opened(info->connect_fd) : nullptr;
    return;
  }
  guard.closed(static_cast<ConnectionGuard::Connection*>(*socket_context));
  *socket_context = nullptr;
}

/// MHD_OPTION_NOTIFY_COMPLETED: a response went out (or the request ended otherwise); the next
/// request on a kept-alive connection has its own deadline.
void on_request_completed(void* state_cls, MHD_Connection* connection, void** request_state,
                          MHD_RequestTerminationCode /*how*/) {
  static_cast<State*>(state_cls)->guard.response_sent(guarded(connection));
  delete static_cast<RequestBody*>(*request_state);
  *request_state = nullptr;
}

HttpRequest request_of(MHD_Connection* connection, const char* url, const char* method,
                       const char* version, std::string_view client) {
  // (The body, when there is one, is added by the caller once it has been read.)
  HttpRequest request;
  request.method = method;
  request.path = url;
  request.version = version;
  request.host = request_header(connection, MHD_HTTP_HEADER_HOST);
  request.if_none_match = request_header(connection, MHD_HTTP_HEADER_IF_NONE_MATCH);
  request.if_modified_since = request_header(connection, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
  request.accept_encoding = request_header(connection, MHD_HTTP_HEADER_ACCEPT_ENCODING);
  request.content_length = request_header(connection, MHD_HTTP_HEADER_CONTENT_LENGTH);
  request.transfer_encoding = request_header(connection, MHD_HTTP_HEADER_TRANSFER_ENCODING);
  request.client_address = client;
  request.cookie = request_header(connection, MHD_HTTP_HEADER_COOKIE);
  request.content_type = request_header(connection, MHD_HTTP_HEADER_CONTENT_TYPE);
  return request;
}

/// Appends one piece of an uploaded body, up to `limit` bytes; past it the body is dropped
/// and the request marked too large (it is still read to its end, so the answer can be sent
/// on a connection that stays usable).
void take_upload(RequestBody& body, const char* data, std::size_t size, std::size_t limit) {
  if (body.too_large) return;
  if (body.bytes.size() + size > limit) {
    body.too_large = true;
    body.bytes.clear();
    body.bytes.shrink_to_fit();
    return;
  }
  body.bytes.append(data, size);
}

/// Before any body is read: a request that breaks the Host or framing rules gets 400, and
/// every request gets 503 while the server is near its connection limit. Either answer closes
/// the connection; nullopt lets the request go on.
std::optional<HttpResponse> early_answer(const State& state, const HttpRequest& head) {
  if (auto refused = malformed_request_answer(head)) return refused;
  if (state.guard.open_connections() > state.busy_connections) return busy_response();
  return std::nullopt;
}

/// MHD calls this once when the headers are in, then for each piece of an uploaded body,
/// then once more with no data: we answer on that last call, so the whole request has been
/// read and the connection can be kept alive. The body (a form post) is collected per
/// request, bounded by ServerOptions::max_body_bytes, and freed when the request completes.
MHD_Result on_request(void* state_cls, MHD_Connection* connection, const char* url,
                      const char* method, const char* version, const char* upload_data,
                      std::size_t* upload_data_size, void** request_state) {
  auto& state = *static_cast<State*>(state_cls);
  const std::string client = client_address_of(connection);
  if (*request_state == nullptr) {
    *request_state = new RequestBody();
    auto early = early_answer(state, request_of(connection, url, method, version, client));
    if (!early) return MHD_YES;
    state.guard.request_received(guarded(connection));
    return send_response(connection, std::move(*early));
  }
  auto& body = *static_cast<RequestBody*>(*request_state);
  if (*upload_data_size != 0) {
    take_upload(body, upload_data, *upload_data_size, state.max_body_bytes);
    *upload_data_size = 0;
    return MHD_YES;
  }
  state.guard.request_received(guarded(connection));
  if (body.too_large) {
    return send_response(connection, plain_response(413, "request body too large\n"));
  }
  HttpRequest request = request_of(connection, url, method, version, client);
  request.body = body.bytes;
  try {
    return send_response(connection, answer(state.handler, request));
  } catch (const std::exception& error) {
    spdlog::error("request failed: {}", error.what());
    return send_response(connection, plain_response(500, "internal error\n"));
  }
}

/// MHD's own messages (bind failures, dropped connections) go to our log.
void log_mhd_message(void* /*cls*/, const char* format, va_list arguments) {
  std::array<char, 512> text{};
  std::vsnprintf(text.data(), text.size(), format, arguments);
  std::string_view message(text.data());
  while (!message.empty() && message.back() == '\n') message.remove_suffix(1);
  spdlog::debug("http: {}", message);
}

}  // namespace

Result<ServerOptions> parse_listen_address(std::string_view text, ServerOptions defaults) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == text.size()) {
    return Error{fmt::format("--listen '{}': expected ADDRESS:PORT, e.g. 127.0.0.1:8080", text)};
  }
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [end, error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc{} || end != port_text.data() + port_text.size() || port > 65535) {
    return Error{fmt::format("--listen '{}': the port must be a number from 0 to 65535", text)};
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  defaults.address = host == "localhost" ? "127.0.0.1" : std::string(host);
  defaults.port = static_cast<std::uint16_t>(port);
  if (auto valid = make_socket_address(defaults.address, defaults.port); !valid) {
    return Error{fmt::format("--listen '{}': {}", text, valid.error().message)};
  }
  return defaults;
}

void HttpServer::DaemonStopper::operator()(MHD_Daemon* daemon) const { MHD_stop_daemon(daemon); }

Result<std::unique_ptr<HttpServer>> HttpServer::start(const ServerOptions& options,
                                                      const HttpHandler& handler) {
  auto address = make_socket_address(options.address, options.port);
  if (!address) return address.error();
  const unsigned connection_limit = connections_that_fit(options.connection_limit);
  if (connection_limit < options.connection_limit) {
    spdlog::warn(
        "http: the open-file limit allows {} connections, not {}: raise LimitNOFILE (or "
        "ulimit -n)",
        connection_limit, options.connection_limit);
  }
  std::unique_ptr<HttpServer> server(new HttpServer());
  server->state_ = std::make_unique<State>(handler, options.request_timeout_seconds,
                                           connection_limit * 3 / 4, options.max_body_bytes);
  State* state = server->state_.get();
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
  if (address->ipv6) flags |= MHD_USE_IPv6;
  MHD_Daemon* daemon = MHD_start_daemon(
      flags, 0, nullptr, nullptr, &on_request, state, MHD_OPTION_SOCK_ADDR, address->get(),
      MHD_OPTION_THREAD_POOL_SIZE, std::max(1U, options.threads), MHD_OPTION_CONNECTION_TIMEOUT,
      options.connection_timeout_seconds, MHD_OPTION_CONNECTION_LIMIT, connection_limit,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, options.per_client_connection_limit,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, options.connection_memory_limit,
      MHD_OPTION_NOTIFY_CONNECTION, &on_connection, state, MHD_OPTION_NOTIFY_COMPLETED,
      &on_request_completed, state, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1U,
      MHD_OPTION_EXTERNAL_LOGGER, &log_mhd_message, nullptr, MHD_OPTION_END);
  if (daemon == nullptr) {
    return Error{fmt::format("cannot listen on {}:{} (address in use or not local?)",
                             options.address, options.port)};
  }
  server->daemon_.reset(daemon);
  server->state_->guard.sweep_every_second();
  server->address_ = options.address;
  server->connection_limit_ = connection_limit;
  const auto* info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
  server->port_ = info != nullptr ? info->port : options.port;
  return server;
}

HttpServer::~HttpServer() = default;

}  // namespace plancal::httpd
