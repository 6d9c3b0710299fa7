#include "web/subscribe_box.h"

#include <iterator>
#include <utility>

#include <fmt/format.h>

namespace plancal::web {

namespace {

/// The code's dark modules as one SVG path, a unit-high rectangle per run ("M4 4h7v1h-7z"):
/// a template value per run made the QR most of a personal page's rendering, and one path is
/// a fifth of the bytes of a rect per run. Letters, digits and spaces only: escaping it
/// changes nothing, so the template writes it as any other value.
std::string qr_path(const QrCode& qr) {
  std::string path;
  path.reserve(qr.runs.size() * 20);
  for (const auto& run : qr.runs) {
    fmt::format_to(std::back_inserter(path), "M{} {}h{}v1h-{}z", run.x + QrCode::kQuietZone,
                   run.y + QrCode::kQuietZone, run.length, run.length);
  }
  return path;
}

TemplateData qr_data(const QrDrawing& qr) {
  TemplateData data;
  data.set("extent", std::to_string(qr.extent));
  data.set("qr_path", qr.path);
  return data;
}

}  // namespace

std::optional<QrDrawing> draw_qr(std::string_view text) {
  auto qr = encode_qr(text);
  if (!qr.ok()) return std::nullopt;
  return QrDrawing{qr->size + 2 * QrCode::kQuietZone, qr_path(*qr)};
}

SubscribeBox subscribe_box_without_qr(std::string heading, const std::string& feed_url,
                                      const std::string& calendar_name) {
  SubscribeBox box;
  box.heading = std::move(heading);
  box.calendar_name = calendar_name;
  box.links = subscribe_links(feed_url, calendar_name);
  return box;
}

SubscribeBox subscribe_box(std::string heading, const std::string& feed_url,
                           const std::string& calendar_name) {
  SubscribeBox box = subscribe_box_without_qr(std::move(heading), feed_url, calendar_name);
  box.qr = draw_qr(box.links.webcal);
  return box;
}

TemplateData subscribe_data(const SubscribeBox& box, const std::string& id) {
  TemplateData data;
  data.set("id", id);
  set_text(data, "heading", box.heading);
  data.set("calendar_name", box.calendar_name);
  data.set("feed", box.links.feed);
  data.set("webcal", box.links.webcal);
  data.set("google", box.links.google);
  data.set("outlook_office", box.links.outlook_office);
  data.set("outlook_live", box.links.outlook_live);
  data.set("download_name", box.links.download_name);
  data.set("qr", box.qr ? qr_data(*box.qr) : TemplateData(false));
  return data;
}

}  // namespace plancal::web
