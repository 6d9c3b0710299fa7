#include "web/csrf.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace plancal::web {

namespace {

std::string hex_of(const unsigned char* bytes, std::size_t size) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    hex.push_back(kHex[bytes[i] >> 4U]);
    hex.push_back(kHex[bytes[i] & 0x0FU]);
  }
  return hex;
}

/// Domain separation: the same session secret never yields a token meant for anything else.
constexpr std::string_view kContext = "plancal csrf v1\n";

}  // namespace

Secret new_csrf_secret() {
  std::array<unsigned char, 32> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    throw std::runtime_error("OpenSSL's random generator failed");  // a broken system
  }
  Secret secret(hex_of(random.data(), random.size()));
  OPENSSL_cleanse(random.data(), random.size());
  return secret;
}

std::string csrf_token(const Secret& session_secret, std::string_view purpose) {
  const std::string message = std::string(kContext) + std::string(purpose);
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int length = 0;
  const std::string& key = session_secret.reveal();
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(),
           &length) == nullptr) {
    throw std::runtime_error("OpenSSL HMAC-SHA256 failed");
  }
  return hex_of(mac.data(), length);
}

bool csrf_token_valid(const Secret& session_secret, std::string_view purpose,
                      std::string_view token) {
  if (session_secret.empty()) return false;
  const std::string expected = csrf_token(session_secret, purpose);
  if (token.size() != expected.size()) return false;  // the length is public: always 64
  return CRYPTO_memcmp(expected.data(), token.data(), expected.size()) == 0;
}

}  // namespace plancal::web
