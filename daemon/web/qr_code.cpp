#include "web/qr_code.h"

#include <qrencode.h>

#include <memory>
#include <string>

namespace plancal::web {

namespace {

struct QrcodeDeleter {
  void operator()(QRcode* code) const { QRcode_free(code); }
};
/// libqrencode's result, freed with QRcode_free however the function ends.
using QrcodeHandle = std::unique_ptr<QRcode, QrcodeDeleter>;

/// libqrencode sets the lowest bit of a module's byte when it is dark.
constexpr unsigned char kDarkBit = 0x01;

}  // namespace

bool QrCode::dark(int x, int y) const {
  for (const auto& run : runs) {
    if (run.y == y && x >= run.x && x < run.x + run.length) return true;
  }
  return false;
}

Result<QrCode> encode_qr(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) {
    return Error{"cannot make a QR code of text that holds a NUL byte"};
  }
  const std::string terminated(text);
  QrcodeHandle code(QRcode_encodeString(terminated.c_str(), /*version=*/0, QR_ECLEVEL_M, QR_MODE_8,
                                        /*casesensitive=*/1));
  if (!code) {
    return Error{"cannot make a QR code of a " + std::to_string(text.size()) +
                 "-byte link: too long for a QR code (at most about 2,300 bytes at level M)"};
  }
  QrCode qr;
  qr.size = code->width;
  for (int y = 0; y < qr.size; ++y) {
    int x = 0;
    while (x < qr.size) {
      const auto dark_at = [&](int column) {
        return (code->data[y * qr.size + column] & kDarkBit) != 0;
      };
      if (!dark_at(x)) {
        ++x;
        continue;
      }
      const int start = x;
      while (x < qr.size && dark_at(x)) ++x;
      qr.runs.push_back({start, y, x - start});
    }
  }
  return qr;
}

}  // namespace plancal::web
