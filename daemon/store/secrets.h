#pragma once
/// Hashing and random secrets through OpenSSL: content hashes for change detection and the
/// unguessable feed tokens, which are stored only as their SHA-256 so that a copy of the
/// database does not give access to any feed.

#include <string>
#include <string_view>

#include "base/hash.h"
#include "base/result.h"

namespace plancal {

/// 32 bytes from OpenSSL's CSPRNG (RAND_bytes), as base64url without padding (43 characters,
/// 256 bits): safe in a URL path and far beyond guessing.
[[nodiscard]] Result<std::string> generate_token_secret();

/// The token secret for `nonce` under `key`: HMAC-SHA256(key, nonce) as base64url (43
/// characters, like generate_token_secret). Lets plancal make the SAME link again from a
/// stored nonce (an invitation resent after a crash carries the link of the first attempt)
/// while the database holds only the nonce and the link's hash: without the key file, which
/// never enters the database, neither gives the link.
[[nodiscard]] std::string derive_token_secret(std::string_view key, std::string_view nonce);

/// Compares two strings without an early exit on the first difference, so the time taken does
/// not tell an attacker how much of a guess was right.
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b);

/// True when `text` could be a secret made by generate_token_secret (length and alphabet):
/// lets callers refuse junk before touching the database.
[[nodiscard]] bool looks_like_token_secret(std::string_view text);

}  // namespace plancal
