#include "store/secrets.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace plancal {

namespace {

constexpr std::size_t kSecretBytes = 32;
constexpr std::size_t kSecretChars = 43;  // ceil(32 * 8 / 6), no padding

constexpr std::string_view kBase64Url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url(const unsigned char* data, std::size_t size) {
  std::string out;
  out.reserve((size * 4 + 2) / 3);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < size; ++i) {
    buffer = (buffer << 8) | data[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kBase64Url[(buffer >> bits) & 0x3F]);
    }
  }
  if (bits > 0) out.push_back(kBase64Url[(buffer << (6 - bits)) & 0x3F]);
  return out;
}

}  // namespace

Result<std::string> generate_token_secret() {
  std::array<unsigned char, kSecretBytes> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    return Error{"the system's random number generator is not available; no token was made"};
  }
  std::string secret = base64url(random.data(), random.size());
  OPENSSL_cleanse(random.data(), random.size());
  return secret;
}

std::string derive_token_secret(std::string_view key, std::string_view nonce) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  const auto* result = HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
                            reinterpret_cast<const unsigned char*>(nonce.data()), nonce.size(),
                            digest.data(), &length);
  if (result == nullptr || length != kSecretBytes) {
    throw std::runtime_error("OpenSSL's HMAC-SHA256 failed");  // a broken library: a bug
  }
  std::string secret = base64url(digest.data(), length);
  OPENSSL_cleanse(digest.data(), digest.size());
  return secret;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool looks_like_token_secret(std::string_view text) {
  if (text.size() != kSecretChars) return false;
  return text.find_first_not_of(kBase64Url) == std::string_view::npos;
}

}  // namespace plancal
