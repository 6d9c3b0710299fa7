#pragma once
/// Cross-site request forgery tokens for the forms of signed-in pages (attendance) and public
/// ones (sign-up). Each session has its own random secret, kept server-side with the session;
/// a form carries HMAC-SHA256(secret, purpose), so a token is worthless in another session or
/// on another form, and the server stores nothing per form. A POST whose token does not check
/// out is refused with 403 and changes nothing (the caller's rule).

#include <string>
#include <string_view>

#include "base/secret.h"

namespace plancal::web {

/// The form field that carries the token.
inline constexpr std::string_view kCsrfFieldName = "csrf";

/// A new per-session secret: 32 bytes from OpenSSL's CSPRNG, as 64 hex digits.
[[nodiscard]] Secret new_csrf_secret();

/// The token for the form `purpose` (its action path, e.g. "/oppmote/2024-01-15") in the
/// session with `session_secret`: 64 hex digits.
[[nodiscard]] std::string csrf_token(const Secret& session_secret, std::string_view purpose);

/// Whether `token` is the token for (`session_secret`, `purpose`). Compares in constant time,
/// so how long the answer takes says nothing about how close a guess was. False for an empty
/// secret: a session without one accepts no form.
[[nodiscard]] bool csrf_token_valid(const Secret& session_secret, std::string_view purpose,
                                    std::string_view token);

}  // namespace plancal::web
