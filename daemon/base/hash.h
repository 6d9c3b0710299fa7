#pragma once
/// SHA-256 through OpenSSL, the one hash every layer uses: content hashes for change
/// detection, hrefs for UIDs that are not URL-safe, token hashes.

#include <string>
#include <string_view>

namespace plancal {

/// SHA-256 of `bytes` as 64 lower-case hex digits.
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

}  // namespace plancal
