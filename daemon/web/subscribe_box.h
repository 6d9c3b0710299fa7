#pragma once
/// A box of subscribe buttons for one feed: the links for each calendar client, a QR code of
/// the webcal:// link for a phone's camera, and the calendar's name.

#include <optional>
#include <string>
#include <string_view>

#include "web/qr_code.h"
#include "web/subscribe_links.h"
#include "web/templates.h"

namespace plancal::web {

/// A QR code as the page draws it: one SVG path of its dark modules.
struct QrDrawing {
  int extent = 0;    ///< the SVG's width and height in modules, quiet zone included
  std::string path;  ///< the path's `d`: letters, digits and spaces only
};

/// The drawing of the QR code of `text`; nullopt when it cannot be one (too long).
[[nodiscard]] std::optional<QrDrawing> draw_qr(std::string_view text);

struct SubscribeBox {
  std::string heading;        ///< "Team A", "Hele programmet"; empty on a personal page
  std::string calendar_name;  ///< what the calendar will be called in the client
  SubscribeLinks links;
  std::optional<QrDrawing> qr;  ///< of links.webcal; nullopt when the link is too long
};

[[nodiscard]] SubscribeBox subscribe_box(std::string heading, const std::string& feed_url,
                                         const std::string& calendar_name);

/// The same without its QR code, for a caller that draws it itself.
[[nodiscard]] SubscribeBox subscribe_box_without_qr(std::string heading,
                                                    const std::string& feed_url,
                                                    const std::string& calendar_name);

/// The box as template data (for templates/subscribe.mustache).
[[nodiscard]] TemplateData subscribe_data(const SubscribeBox& box, const std::string& id);

}  // namespace plancal::web
