#include "httpd/gzip.h"

#include <zlib.h>

#include <array>
#include <stdexcept>

namespace plancal::httpd {

namespace {

constexpr int kGzipWindowBits = 15 + 16;  // 2^15 window, gzip wrapper instead of zlib's
constexpr int kMemoryLevel = 9;

/// Owns a deflate or inflate stream, ending it on every path.
class ZStream {
 public:
  enum class Direction { Compress, Decompress };

  explicit ZStream(Direction direction) : direction_(direction) {
    const int status = direction == Direction::Compress
                           ? deflateInit2(&stream_, Z_BEST_COMPRESSION, Z_DEFLATED, kGzipWindowBits,
                                          kMemoryLevel, Z_DEFAULT_STRATEGY)
                           : inflateInit2(&stream_, kGzipWindowBits);
    if (status != Z_OK) throw std::runtime_error("zlib: cannot initialise stream");
  }
  ~ZStream() {
    if (direction_ == Direction::Compress) {
      deflateEnd(&stream_);
    } else {
      inflateEnd(&stream_);
    }
  }
  ZStream(const ZStream&) = delete;
  ZStream& operator=(const ZStream&) = delete;

  z_stream* get() { return &stream_; }

 private:
  Direction direction_;
  z_stream stream_{};
};

void set_input(z_stream* stream, std::string_view data) {
  // zlib's API is not const-correct; it never writes through next_in.
  stream->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream->avail_in = static_cast<uInt>(data.size());
}

}  // namespace

std::string gzip_compress(std::string_view data) {
  ZStream zs(ZStream::Direction::Compress);
  z_stream* stream = zs.get();
  set_input(stream, data);
  std::string out;
  out.resize(deflateBound(stream, static_cast<uLong>(data.size())));
  stream->next_out = reinterpret_cast<Bytef*>(out.data());
  stream->avail_out = static_cast<uInt>(out.size());
  if (deflate(stream, Z_FINISH) != Z_STREAM_END) {
    throw std::runtime_error("zlib: deflate did not finish");
  }
  out.resize(stream->total_out);
  return out;
}

std::string gzip_decompress(std::string_view data) {
  ZStream zs(ZStream::Direction::Decompress);
  z_stream* stream = zs.get();
  set_input(stream, data);
  std::string out;
  std::array<char, 16384> buffer{};
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    stream->next_out = reinterpret_cast<Bytef*>(buffer.data());
    stream->avail_out = static_cast<uInt>(buffer.size());
    status = inflate(stream, Z_NO_FLUSH);
    if (status != Z_OK && status != Z_STREAM_END) {
      throw std::runtime_error("zlib: malformed gzip data");
    }
    out.append(buffer.data(), buffer.size() - stream->avail_out);
  }
  return out;
}

}  // namespace plancal::httpd
