#pragma once
/// The gzip form of a body that is kept in memory and only read: compressed on the first
/// request that accepts gzip, then kept. Most of the thousands of personal feeds and pages are
/// fetched by calendar clients and browsers now and then, many never with gzip, so compressing
/// every body at every change costs most of a rebuild and memory for bytes nobody reads.
/// The result is the same as gzip_compress of the body, whoever asks first.

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace plancal::httpd {

class LazyGzip {
 public:
  LazyGzip() : slot_(std::make_shared<Slot>()) {}

  /// gzip_compress(body), made on the first call and kept. `body` must be the same bytes on
  /// every call. Safe to call from many threads at once.
  [[nodiscard]] const std::string& of(std::string_view body) const;
  /// The same for a body kept in pieces: gzip_compress of the pieces joined.
  [[nodiscard]] const std::string& of_pieces(const std::vector<std::string_view>& pieces) const;

 private:
  struct Slot {
    std::once_flag once;
    std::string bytes;
  };
  std::shared_ptr<Slot> slot_;  ///< shared: a copied body shares the one compressed form
};

}  // namespace plancal::httpd
