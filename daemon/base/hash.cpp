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

/// SHA-256 from OpenSSL's default provider, fetched once and kept for the process's life:
/// EVP_sha256() is fetched again, under OpenSSL's locks, at every use, which showed in the
/// profile of a rebuild that hashes the ETags of 5,000 feeds on two threads.
const EVP_MD* sha256_method() {
  static EVP_MD* const kMethod = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (kMethod == nullptr) digest_failed();
  return kMethod;
}

/// A context for this thread, made once and reset by each digest.
EVP_MD_CTX* thread_context() {
  thread_local const std::unique_ptr<EVP_MD_CTX, DigestContextDeleter> kContext(EVP_MD_CTX_new());
  if (!kContext) digest_failed();
  return kContext.get();
}

/// SHA-256 of `count` pieces one after the other, as 64 hex digits.
std::string digest_hex(const std::string_view* pieces, std::size_t count) {
  EVP_MD_CTX* context = thread_context();
  if (EVP_DigestInit_ex(context, sha256_method(), nullptr) != 1) digest_failed();
  for (std::size_t i = 0; i < count; ++i) {
    if (EVP_DigestUpdate(context, pieces[i].data(), pieces[i].size()) != 1) digest_failed();
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context, digest.data(), &length) != 1) digest_failed();
  return hex_of(digest.data(), length);
}

}  // namespace

std::string sha256_hex(std::string_view bytes) { return digest_hex(&bytes, 1); }

std::string sha256_hex(const std::vector<std::string_view>& pieces) {
  return digest_hex(pieces.data(), pieces.size());
}

}  // namespace plancal
