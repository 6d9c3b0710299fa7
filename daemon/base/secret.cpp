#include "base/secret.h"

#include <openssl/crypto.h>

namespace plancal {

Secret& Secret::operator=(const Secret& other) {
  if (this != &other) {
    wipe();
    value_ = other.value_;
  }
  return *this;
}

// Copy, then wipe the source: a moved-from short string would keep its bytes in place.
Secret::Secret(Secret&& other) : value_(other.value_) { other.wipe(); }

Secret& Secret::operator=(Secret&& other) {
  if (this != &other) {
    wipe();
    value_ = other.value_;
    other.wipe();
  }
  return *this;
}

Secret::~Secret() { wipe(); }

bool Secret::operator==(const Secret& other) const {
  if (value_.size() != other.value_.size()) return false;
  return CRYPTO_memcmp(value_.data(), other.value_.data(), value_.size()) == 0;
}

void Secret::wipe() noexcept {
  if (!value_.empty()) OPENSSL_cleanse(value_.data(), value_.size());
  value_.clear();
}

}  // namespace plancal
