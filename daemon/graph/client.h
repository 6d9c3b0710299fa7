#pragma once
/// Microsoft Graph over HTTP: JSON requests with an app-only bearer token, and JSON batches.
///
/// The HttpClient underneath (a RetryingClient in production) retries whole requests that
/// were throttled or failed on the wire. This layer adds what is Graph's own: the bearer
/// token and its one renewal on 401 InvalidAuthenticationToken, `Prefer:
/// IdType="ImmutableId"` so event ids survive moves, and `$batch`, where the batch answers
/// 200 while single items are throttled (429 with their own Retry-After) or fail (503/504):
/// those items, and only those, are sent again after the longest wait any of them asked for.
///
/// One GraphClient serves one mailbox. Its batch items go out through a BatchPipe, the
/// connection's shared one when it has one: a $batch may carry the items of up to 20
/// mailboxes. Graph allows four requests in flight per mailbox, and counts every item of a
/// $batch as one (items without dependsOn may run at the same time), so a client hands the
/// pipe at most four items at once and holds a MailboxLimiter slot for each; clients of
/// several targets writing into one mailbox share the limiter, which keeps that true across
/// them.

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "graph/mailbox_limiter.h"
#include "graph/token.h"
#include "http/client.h"
#include "http/retry.h"

namespace plancal::graph {

struct GraphResponse {
  int status = 0;       ///< 0: no answer (the request failed on the wire or was never answered)
  nlohmann::json body;  ///< parsed JSON (null when empty or not JSON)
  http::Headers headers;
  std::string message;  ///< status 0: why; otherwise empty
  [[nodiscard]] bool is_success() const { return status >= 200 && status < 300; }
};

/// One request of a batch; `url` is relative to the Graph base ("/users/x/events").
struct BatchRequest {
  std::string method;
  std::string url;
  std::optional<nlohmann::json> body;
  std::string if_match;  ///< sent as If-Match when not empty
};

class BatchPipe;

/// The mailbox a client talks to, and what it shares with the clients of other mailboxes.
struct MailboxShare {
  MailboxLimiter* limiter = nullptr;  ///< nullptr: none, the client alone decides when to send
  std::string mailbox;
  BatchPipe* pipe = nullptr;  ///< the connection's $batch requests; nullptr: the client's own
};

struct BatchLimits {
  std::size_t max_items = 20;  ///< Graph's limit per $batch
  /// Items of this mailbox in flight at once (Graph's concurrency limit per mailbox).
  std::size_t per_mailbox = kMailboxConcurrency;
  int max_rounds = 12;                        ///< rounds of re-sending throttled items
  std::chrono::milliseconds base_delay{500};  ///< backoff when no Retry-After is given
  std::chrono::milliseconds max_delay{30'000};
};

class GraphClient {
 public:
  /// `graph_base`: "https://graph.microsoft.com/v1.0" (or an emulator's). `sleeper` nullptr:
  /// real sleeping. All references must outlive the client.
  GraphClient(http::HttpClient& http, TokenProvider& tokens, std::string graph_base,
              http::Sleeper* sleeper = nullptr, BatchLimits limits = {}, MailboxShare share = {});
  ~GraphClient();
  GraphClient(const GraphClient&) = delete;
  GraphClient& operator=(const GraphClient&) = delete;

  /// One request to `path` (relative to the base, or an absolute @odata.nextLink).
  [[nodiscard]] GraphResponse call(const std::string& method, const std::string& path,
                                   const std::optional<nlohmann::json>& body = std::nullopt);

  /// Every request, as batch items, at most per_mailbox at once; one response per request in
  /// order. Throttled items are sent again after the longest wait they asked for.
  [[nodiscard]] std::vector<GraphResponse> batch(const std::vector<BatchRequest>& requests);

  /// One GET of `path` (relative, or an absolute @odata.nextLink): as a batch item, sharing a
  /// $batch with other mailboxes' items, when the URL is under the Graph base; else alone.
  [[nodiscard]] GraphResponse get(const std::string& path);

  /// HTTP requests sent so far (a $batch counts once, for the client that sent it).
  [[nodiscard]] int requests() const { return requests_.load(); }

  [[nodiscard]] const std::string& base() const { return base_; }

 private:
  /// `slot`: hold a limiter slot of the mailbox while the request is on the wire (not for a
  /// $batch, whose items hold theirs).
  [[nodiscard]] GraphResponse send_once(const std::string& method, const std::string& url,
                                        const std::optional<std::string>& body, bool slot);
  /// A $batch payload, with one token renewal, as call() does.
  [[nodiscard]] GraphResponse post_batch(const std::string& payload);
  /// One round for `indices` of `items` (the requests as serialized batch items),
  /// per_mailbox items at a time; throttled indices are returned with the wait they asked for.
  void batch_round(const std::vector<std::string>& items, const std::vector<std::size_t>& indices,
                   std::vector<GraphResponse>& out, std::vector<std::size_t>& again,
                   std::chrono::milliseconds& wait);

  http::HttpClient& http_;
  TokenProvider& tokens_;
  std::string base_;
  http::RealSleeper real_sleeper_;
  http::Sleeper* sleeper_;
  BatchLimits limits_;
  MailboxShare share_;
  std::unique_ptr<BatchPipe> own_pipe_;  ///< when share_.pipe is nullptr
  BatchPipe* pipe_;
  std::atomic<int> requests_{0};
};

/// "Graph answered 403 ErrorAccessDenied: …" with a hint for the errors an administrator
/// can fix (consent, unknown mailbox).
[[nodiscard]] std::string describe(const GraphResponse& response);

/// Whether a batch item is worth sending again: no answer (status 0), or one of the statuses
/// http::is_retryable_status lists (the one list of "try again later" answers).
[[nodiscard]] bool is_transient(int status);

}  // namespace plancal::graph
