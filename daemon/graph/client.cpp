#include "graph/client.h"

#include "graph/batch_pipe.h"

#include <algorithm>
#include <utility>

namespace plancal::graph {

namespace {

using nlohmann::json;

json parse_body(const std::string& text) {
  if (text.empty()) return nullptr;
  json parsed = json::parse(text, nullptr, false);
  return parsed.is_discarded() ? json(nullptr) : parsed;
}

std::string error_code(const json& body) {
  if (!body.is_object() || !body.contains("error") || !body["error"].is_object()) return {};
  return body["error"].value("code", std::string());
}

bool token_rejected(const GraphResponse& response) {
  return response.status == 401 &&
         (error_code(response.body) == "InvalidAuthenticationToken" || response.body.is_null());
}

std::chrono::milliseconds retry_after(const GraphResponse& response) {
  const auto value = response.headers.find("Retry-After");
  if (!value) return std::chrono::milliseconds(0);
  const auto parsed = http::parse_retry_after(*value, std::chrono::system_clock::now());
  return parsed.value_or(std::chrono::milliseconds(0));
}

/// The item for `request`, serialized once (sent again as it is when throttled); the pipe gives
/// it its id.
std::string batch_item(const BatchRequest& request) {
  json headers{{"Prefer", "IdType=\"ImmutableId\""}};
  if (request.body) headers["Content-Type"] = "application/json";
  if (!request.if_match.empty()) headers["If-Match"] = request.if_match;
  std::string item =
      json{{"method", request.method}, {"url", request.url}, {"headers", std::move(headers)}}
          .dump();
  if (request.body) {
    item.pop_back();  // the closing "}": the body goes in without copying its JSON
    item += R"(,"body":)";
    item += request.body->dump();
    item += '}';
  }
  return item;
}

}  // namespace

bool is_transient(int status) { return status == 0 || http::is_retryable_status(status); }

std::string describe(const GraphResponse& response) {
  if (response.status == 0) return "no answer from Microsoft Graph: " + response.message;
  if (!response.message.empty()) return response.message;  // e.g. the token was refused
  std::string text = "Microsoft Graph answered " + std::to_string(response.status);
  const std::string code = error_code(response.body);
  if (!code.empty()) {
    text += " " + code;
    const std::string message = response.body["error"].value("message", std::string());
    if (!message.empty()) text += ": " + message;
  }
  if (response.status == 403) {
    text +=
        "; hint: the app needs the application permission Calendars.ReadWrite with admin "
        "consent (and an application access policy that includes this mailbox, if one is "
        "set)";
  } else if (code == "ErrorInvalidUser") {
    text += "; hint: check the mailbox (user principal name or id) and the tenant";
  }
  return text;
}

GraphClient::GraphClient(http::HttpClient& http, TokenProvider& tokens, std::string graph_base,
                         http::Sleeper* sleeper, BatchLimits limits, MailboxShare share)
    : http_(http),
      tokens_(tokens),
      base_(std::move(graph_base)),
      sleeper_(sleeper != nullptr ? sleeper : &real_sleeper_),
      limits_(limits),
      share_(std::move(share)),
      pipe_(share_.pipe) {
  while (!base_.empty() && base_.back() == '/') base_.pop_back();
  limits_.per_mailbox = std::max<std::size_t>(1, limits_.per_mailbox);
  if (pipe_ == nullptr) {
    own_pipe_ = std::make_unique<BatchPipe>(limits_.max_items, 1);
    pipe_ = own_pipe_.get();
  }
}

GraphClient::~GraphClient() = default;

GraphResponse GraphClient::send_once(const std::string& method, const std::string& url,
                                     const std::optional<std::string>& body, bool slot) {
  Result<std::string> token = tokens_.token();
  if (!token) return GraphResponse{401, nullptr, {}, token.error().message};
  http::HttpRequest request = http::HttpRequest::make(method, url);
  request.headers.set("Authorization", "Bearer " + token.value());
  request.headers.set("Prefer", "IdType=\"ImmutableId\"");
  request.headers.set("Accept", "application/json");
  if (body) {
    request.headers.set("Content-Type", "application/json");
    request.body = *body;
  }
  ++requests_;
  std::optional<MailboxLimiter::Turn> turn;  // this request's slot of the mailbox
  if (slot && share_.limiter != nullptr) turn.emplace(share_.limiter->take(share_.mailbox));
  Result<http::HttpResponse> answer = http_.send(request);
  turn.reset();
  if (!answer) return GraphResponse{0, nullptr, {}, answer.error().message};
  GraphResponse response{answer->status, parse_body(answer->body), answer->headers, {}};
  if (token_rejected(response)) tokens_.invalidate(token.value());
  return response;
}

GraphResponse GraphClient::call(const std::string& method, const std::string& path,
                                const std::optional<json>& body) {
  const std::string url = path.rfind("http", 0) == 0 ? path : base_ + path;
  const std::optional<std::string> text = body ? std::optional(body->dump()) : std::nullopt;
  GraphResponse response = send_once(method, url, text, true);
  if (token_rejected(response) && response.message.empty()) {
    response = send_once(method, url, text, true);  // one renewal, then the answer stands
  }
  return response;
}

GraphResponse GraphClient::post_batch(const std::string& payload) {
  const std::string url = base_ + "/$batch";
  GraphResponse response = send_once("POST", url, payload, false);
  if (token_rejected(response) && response.message.empty()) {
    response = send_once("POST", url, payload, false);
  }
  return response;
}

GraphResponse GraphClient::get(const std::string& path) {
  std::string relative = path;
  if (path.rfind("http", 0) == 0) {
    if (path.rfind(base_ + "/", 0) != 0) return call("GET", path);
    relative = path.substr(base_.size());
  }
  return batch({BatchRequest{"GET", relative, std::nullopt, {}}}).front();
}

void GraphClient::batch_round(const std::vector<std::string>& items,
                              const std::vector<std::size_t>& indices,
                              std::vector<GraphResponse>& out, std::vector<std::size_t>& again,
                              std::chrono::milliseconds& wait) {
  const BatchPipe::Post post = [this](const std::string& payload) { return post_batch(payload); };
  for (std::size_t first = 0; first < indices.size(); first += limits_.per_mailbox) {
    const std::size_t last = std::min(indices.size(), first + limits_.per_mailbox);
    std::vector<std::string> chunk;
    for (std::size_t k = first; k < last; ++k) chunk.push_back(items[indices[k]]);
    std::optional<MailboxLimiter::Turn> turn;  // one slot of the mailbox per item
    if (share_.limiter != nullptr) turn.emplace(share_.limiter->take(share_.mailbox, last - first));
    std::vector<BatchPipe::Answer> answers = pipe_->send(std::move(chunk), post);
    turn.reset();
    for (std::size_t k = first; k < last; ++k) {
      BatchPipe::Answer& answer = answers[k - first];
      // A refused token fails the whole $batch after call()'s one renewal: that answer stands.
      if (is_transient(answer.response.status) ||
          (answer.item && token_rejected(answer.response))) {
        again.push_back(indices[k]);
        wait = std::max(wait, retry_after(answer.response));
      }
      out[indices[k]] = std::move(answer.response);
    }
  }
}

std::vector<GraphResponse> GraphClient::batch(const std::vector<BatchRequest>& requests) {
  std::vector<GraphResponse> out(requests.size());
  std::vector<std::string> items;
  items.reserve(requests.size());
  for (const BatchRequest& request : requests) items.push_back(batch_item(request));
  std::vector<std::size_t> pending(requests.size());
  for (std::size_t i = 0; i < pending.size(); ++i) pending[i] = i;
  for (int round = 1; round <= limits_.max_rounds && !pending.empty(); ++round) {
    std::vector<std::size_t> again;
    std::chrono::milliseconds wait{0};
    batch_round(items, pending, out, again, wait);
    if (again.empty() || round == limits_.max_rounds) break;
    if (wait.count() == 0) {
      const int shift = std::min(round - 1, 10);
      wait = std::min(limits_.max_delay, limits_.base_delay * (1 << shift));
    }
    std::sort(again.begin(), again.end());
    sleeper_->sleep_for(std::min(wait, limits_.max_delay));
    pending = std::move(again);
  }
  return out;
}

}  // namespace plancal::graph
