#include "base/hash.h"

#include <openssl/evp.h>

#include <array>
#include <memory>
#include <stdexcept>

namespace plancal {

namespace {

struct DigestContextDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

/// Only when OpenSSL itself is broken.
[[noreturn]] void digest_failed() { throw std::runtime_error("OpenSSL SHA-256 failed"); }

std::string hex_of(const unsigned char* digest, unsigned int length) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string hex;
  hex.reserve(std::size_t{length} * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0x0F]);
  }
  return hex;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    digest_failed();
  }
  return hex_of(digest.data(), length);
}

std::string sha256_hex(const std::vector<std::string_view>& pieces) {
  const std::unique_ptr<EVP_MD_CTX, DigestContextDeleter> context(EVP_MD_CTX_new());
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1) digest_failed();
  for (const std::string_view piece : pieces) {
    if (EVP_DigestUpdate(context.get(), piece.data(), piece.size()) != 1) digest_failed();
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context.get(), digest.data(), &length) != 1) digest_failed();
  return hex_of(digest.data(), length);
}

}  // namespace plancal
