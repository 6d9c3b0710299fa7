#pragma once
/// A QR code of a link, so a phone can subscribe by pointing its camera at the page. Encoded
/// by libqrencode (Debian); drawn by the page templates as SVG rects, one per horizontal run
/// of dark modules, inline in the page (no image request, nothing from elsewhere).

#include <string_view>
#include <vector>

#include "base/result.h"

namespace plancal::web {

/// `length` dark modules from column `x` in row `y` (0-based, quiet zone not counted).
struct QrRun {
  int x = 0;
  int y = 0;
  int length = 0;
};

struct QrCode {
  int size = 0;  ///< modules per side, without the quiet zone
  std::vector<QrRun> runs;

  /// The light border scanners need around the code: 4 modules on every side (ISO/IEC 18004).
  static constexpr int kQuietZone = 4;
  /// Whether the module at (x, y) is dark; for tests and for drawing it another way.
  [[nodiscard]] bool dark(int x, int y) const;
};

/// Encodes `text` as 8-bit data with error correction level M (15 % of the code may be
/// damaged or covered), in the smallest version that holds it. An error when the text holds
/// a NUL byte or is too long for any QR version.
[[nodiscard]] Result<QrCode> encode_qr(std::string_view text);

}  // namespace plancal::web
