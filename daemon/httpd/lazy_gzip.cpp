#include "httpd/lazy_gzip.h"

#include "httpd/gzip.h"

namespace plancal::httpd {

const std::string& LazyGzip::of(std::string_view body) const {
  std::call_once(slot_->once, [&] { slot_->bytes = gzip_compress(body); });
  return slot_->bytes;
}

}  // namespace plancal::httpd
