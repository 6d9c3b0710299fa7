#pragma once
/// App-only access tokens for Microsoft Graph: OAuth 2.0 client credentials against the
/// Microsoft identity platform v2 token endpoint.
///
/// One token serves every mailbox of a tenant, so it is fetched once, shared between
/// threads, and renewed a little before `expires_in` runs out (a request never starts with
/// a token about to expire). A Graph 401 InvalidAuthenticationToken drops it (invalidate)
/// so the next request fetches a fresh one. Refusals are reported with their AADSTS code and
/// what to do about it; the client secret never appears in any message.

#include <chrono>
#include <functional>
#include <mutex>
#include <string>

#include "base/result.h"
#include "base/secret.h"
#include "http/client.h"

namespace plancal::graph {

struct TokenSettings {
  std::string login_base = "https://login.microsoftonline.com";
  std::string tenant;     ///< tenant id or domain
  std::string client_id;  ///< the app registration's application (client) id
  Secret client_secret;
  std::string secret_origin;  ///< "file /etc/plancal/graph.secret", for hints
};

using SteadyNow = std::function<std::chrono::steady_clock::time_point()>;

class TokenProvider {
 public:
  /// `http` must outlive the provider; `now` defaults to steady_clock::now.
  TokenProvider(http::HttpClient& http, TokenSettings settings, SteadyNow now = {});

  /// A valid bearer token, fetched or renewed when needed.
  [[nodiscard]] Result<std::string> token();
  /// Forgets `rejected` (Graph said it is invalid) unless a newer token replaced it already.
  void invalidate(const std::string& rejected);
  /// Tokens fetched so far.
  [[nodiscard]] int fetches() const;

 private:
  [[nodiscard]] Result<std::string> fetch();

  http::HttpClient& http_;
  TokenSettings settings_;
  SteadyNow now_;
  mutable std::mutex mutex_;
  std::string token_;
  std::chrono::steady_clock::time_point renew_at_{};
  int fetches_ = 0;
};

/// The message for an identity-platform error answer: code, description, and a hint for
/// the codes an administrator meets (wrong or expired secret, scope, consent).
[[nodiscard]] std::string describe_token_error(int status, const std::string& body,
                                               const TokenSettings& settings);

/// application/x-www-form-urlencoded encoding of one value.
[[nodiscard]] std::string form_encode(const std::string& value);

}  // namespace plancal::graph
