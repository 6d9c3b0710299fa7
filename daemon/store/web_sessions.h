#pragma once
/// Signing in to the attendance pages: one-time sign-in links, the sessions they open, and
/// the counting of sign-in requests that rate limiting needs.
///
/// Nothing secret is written: a link secret and a session id leave this file once, as the
/// return value of create_link() / create_session(), and only their SHA-256 is stored, so a
/// copy of the database signs nobody in. A link lives 15 minutes and is used once; a
/// session ends when it has been idle longer than the caller's timeout, or at sign-out.
/// Sign-in requests are kept as hashes of the address and the client for one day, for
/// counting only.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "store/database.h"

namespace plancal {

/// How long a sign-in link works after it was mailed.
inline constexpr std::int64_t kSignInLinkSeconds = std::int64_t{15} * 60;

/// Who a link or a session is for.
struct WebUser {
  std::string email;      ///< lower case, as the sign-in form was matched
  std::string person_id;  ///< the roster person, or empty for an admin outside every roster

  friend bool operator==(const WebUser&, const WebUser&) = default;
};

/// How many sign-in mails one address, and one client address, may ask for per hour.
struct SignInLimits {
  int per_email_per_hour = 3;
  int per_client_per_hour = 10;
};

class WebSessions {
 public:
  explicit WebSessions(StateDatabase database) : database_(std::move(database)) {}

  /// Counts a sign-in request for `email` from `client` at `now`, and answers whether it is
  /// within `limits` (the request is counted either way, so hammering does not reset it).
  [[nodiscard]] Result<bool> admit_sign_in_request(std::string_view email, std::string_view client,
                                                   std::int64_t now, const SignInLimits& limits);

  /// A new one-time link secret for `user`, valid kSignInLinkSeconds from `now`.
  [[nodiscard]] Result<std::string> create_link(const WebUser& user, std::int64_t now);

  /// Whether `secret` is a link that is unused and not expired at `now`; uses nothing (a mail
  /// scanner fetching the link must not spend it).
  [[nodiscard]] Result<bool> link_is_live(std::string_view secret, std::int64_t now);

  /// Spends the link: its user when it was unused and not expired at `now`, else nullopt. Of
  /// two requests racing for one link, exactly one gets the user.
  [[nodiscard]] Result<std::optional<WebUser>> consume_link(std::string_view secret,
                                                            std::int64_t now);

  /// A new session for `user` from `now`: its id (random, 256 bits), for the cookie only.
  [[nodiscard]] Result<std::string> create_session(const WebUser& user, std::int64_t now);

  /// The user of session `id` when it has been idle at most `idle_seconds` at `now`, and notes
  /// `now` as its last use; nullopt (and the session deleted) when it is unknown or idled out.
  [[nodiscard]] Result<std::optional<WebUser>> resume_session(std::string_view id, std::int64_t now,
                                                              std::int64_t idle_seconds);

  /// Ends session `id` (sign-out): it resumes no more. Unknown ids are no error.
  [[nodiscard]] Status end_session(std::string_view id);

 private:
  StateDatabase database_;
};

}  // namespace plancal
