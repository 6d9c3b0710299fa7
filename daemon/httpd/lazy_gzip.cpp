#include "httpd/lazy_gzip.h"

#include "httpd/gzip.h"

namespace plancal::httpd {

const std::string& LazyGzip::of(std::string_view body) const {
  std::call_once(slot_->once, [&] { slot_->bytes = gzip_compress(body); });
  return slot_->bytes;
}

const std::string& LazyGzip::of_pieces(const std::vector<std::string_view>& pieces) const {
  std::call_once(slot_->once, [&] {
    std::string joined;
    for (const std::string_view piece : pieces) joined += piece;
    slot_->bytes = gzip_compress(joined);
  });
  return slot_->bytes;
}

}  // namespace plancal::httpd
