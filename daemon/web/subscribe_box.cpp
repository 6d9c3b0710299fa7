#include "web/subscribe_box.h"

#include <utility>

namespace plancal::web {

namespace {

TemplateData qr_data(const QrCode& qr) {
  TemplateData data;
  data.set("extent", std::to_string(qr.size + 2 * QrCode::kQuietZone));
  TemplateData runs(TemplateData::type::list);
  for (const auto& run : qr.runs) {
    TemplateData r;
    r.set("x", std::to_string(run.x + QrCode::kQuietZone));
    r.set("y", std::to_string(run.y + QrCode::kQuietZone));
    r.set("w", std::to_string(run.length));
    runs.push_back(r);
  }
  data.set("runs", runs);
  return data;
}

}  // namespace

SubscribeBox subscribe_box(std::string heading, const std::string& feed_url,
                           const std::string& calendar_name) {
  SubscribeBox box;
  box.heading = std::move(heading);
  box.calendar_name = calendar_name;
  box.links = subscribe_links(feed_url, calendar_name);
  auto qr = encode_qr(box.links.webcal);
  if (qr.ok()) box.qr = std::move(qr.value());
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
