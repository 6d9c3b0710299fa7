#pragma once
/// SHA-256 through OpenSSL, the one hash every layer uses: content hashes for change
/// detection, hrefs for UIDs that are not URL-safe, token hashes.

#include <string>
#include <string_view>
#include <vector>

namespace plancal {

/// SHA-256 of `bytes` as 64 lower-case hex digits.
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

/// SHA-256 of the pieces' bytes one after the other, as if joined: the same digest as
/// sha256_hex of the joined text, without making it.
[[nodiscard]] std::string sha256_hex(const std::vector<std::string_view>& pieces);

}  // namespace plancal
