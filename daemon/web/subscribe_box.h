#pragma once
/// A box of subscribe buttons for one feed: the links for each calendar client, a QR code of
/// the webcal:// link for a phone's camera, and the calendar's name.

#include <optional>
#include <string>

#include "web/qr_code.h"
#include "web/subscribe_links.h"
#include "web/templates.h"

namespace plancal::web {

struct SubscribeBox {
  std::string heading;        ///< "Team A", "Hele programmet"; empty on a personal page
  std::string calendar_name;  ///< what the calendar will be called in the client
  SubscribeLinks links;
  std::optional<QrCode> qr;  ///< nullopt when the link is too long for a QR code
};

[[nodiscard]] SubscribeBox subscribe_box(std::string heading, const std::string& feed_url,
                                         const std::string& calendar_name);

/// The box as template data (for templates/subscribe.mustache).
[[nodiscard]] TemplateData subscribe_data(const SubscribeBox& box, const std::string& id);

}  // namespace plancal::web
