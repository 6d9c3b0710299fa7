#include "graph/client.h"

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

http::Headers headers_of(const json& object) {
  http::Headers headers;
  if (!object.is_object()) return headers;
  for (const auto& [name, value] : object.items()) {
    headers.add(name, value.is_string() ? value.get<std::string>() : value.dump());
  }
  return headers;
}

std::chrono::milliseconds retry_after(const GraphResponse& response) {
  const auto value = response.headers.find("Retry-After");
  if (!value) return std::chrono::milliseconds(0);
  const auto parsed = http::parse_retry_after(*value, std::chrono::system_clock::now());
  return parsed.value_or(std::chrono::milliseconds(0));
}

json batch_item(const BatchRequest& request, std::size_t index) {
  json item{{"id", std::to_string(index)}, {"method", request.method}, {"url", request.url}};
  json headers{{"Prefer", "IdType=\"ImmutableId\""}};
  if (request.body) {
    item["body"] = *request.body;
    headers["Content-Type"] = "application/json";
  }
  if (!request.if_match.empty()) headers["If-Match"] = request.if_match;
  item["headers"] = headers;
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
      share_(std::move(share)) {
  while (!base_.empty() && base_.back() == '/') base_.pop_back();
}

GraphResponse GraphClient::send_once(const std::string& method, const std::string& url,
                                     const std::optional<json>& body) {
  Result<std::string> token = tokens_.token();
  if (!token) return GraphResponse{401, nullptr, {}, token.error().message};
  http::HttpRequest request = http::HttpRequest::make(method, url);
  request.headers.set("Authorization", "Bearer " + token.value());
  request.headers.set("Prefer", "IdType=\"ImmutableId\"");
  request.headers.set("Accept", "application/json");
  if (body) {
    request.headers.set("Content-Type", "application/json");
    request.body = body->dump();
  }
  ++requests_;
  std::optional<MailboxLimiter::Turn> turn;  // the mailbox's one request on the wire
  if (share_.limiter != nullptr) turn.emplace(share_.limiter->take(share_.mailbox));
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
  GraphResponse response = send_once(method, url, body);
  if (token_rejected(response) && response.message.empty()) {
    response = send_once(method, url, body);  // one renewal, then the answer stands
  }
  return response;
}

void GraphClient::batch_round(const std::vector<BatchRequest>& requests,
                              const std::vector<std::size_t>& indices,
                              std::vector<GraphResponse>& out, std::vector<std::size_t>& again,
                              std::chrono::milliseconds& wait) {
  json items = json::array();
  for (const std::size_t index : indices) items.push_back(batch_item(requests[index], index));
  const GraphResponse answer = call("POST", "/$batch", json{{"requests", items}});
  const bool parsed = answer.status == 200 && answer.body.is_object() &&
                      answer.body.contains("responses") && answer.body["responses"].is_array();
  if (!parsed) {
    for (const std::size_t index : indices) out[index] = answer;
    if (is_transient(answer.status)) again = indices;
    wait = std::max(wait, retry_after(answer));
    return;
  }
  std::vector<bool> answered(requests.size(), false);
  for (const json& item : answer.body["responses"]) {
    const std::size_t index = std::stoul(item.value("id", std::string("0")));
    if (index >= requests.size()) continue;
    GraphResponse response{item.value("status", 0),
                           item.value("body", json(nullptr)),
                           headers_of(item.value("headers", json::object())),
                           {}};
    answered[index] = true;
    if (is_transient(response.status) || token_rejected(response)) {
      again.push_back(index);
      wait = std::max(wait, retry_after(response));
    }
    out[index] = std::move(response);
  }
  for (const std::size_t index : indices) {
    if (answered[index]) continue;
    out[index] = GraphResponse{0, nullptr, {}, "the batch answer left this request out"};
    again.push_back(index);
  }
}

std::vector<GraphResponse> GraphClient::batch(const std::vector<BatchRequest>& requests) {
  std::vector<GraphResponse> out(requests.size());
  std::vector<std::size_t> pending(requests.size());
  for (std::size_t i = 0; i < pending.size(); ++i) pending[i] = i;
  for (int round = 1; round <= limits_.max_rounds && !pending.empty(); ++round) {
    std::vector<std::size_t> again;
    std::chrono::milliseconds wait{0};
    for (std::size_t first = 0; first < pending.size(); first += limits_.max_items) {
      const std::size_t last = std::min(pending.size(), first + limits_.max_items);
      const std::vector<std::size_t> chunk(pending.begin() + static_cast<std::ptrdiff_t>(first),
                                           pending.begin() + static_cast<std::ptrdiff_t>(last));
      batch_round(requests, chunk, out, again, wait);
    }
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
