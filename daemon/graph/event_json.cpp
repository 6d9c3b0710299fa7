#include "graph/event_json.h"

#include <fmt/format.h>

#include "base/hash.h"
#include "base/text.h"
#include "graph/windows_zone.h"
#include "ical/alarm.h"

namespace plancal::graph {

namespace {

using nlohmann::json;

/// Graph's join block is framed by a line of 80 underscores, before and after.
constexpr std::string_view kTeamsMarker =
    "________________________________________________________________________________";
constexpr int kMeetingReminderMinutes = 15;

json date_time(const LocalDateTime& time, const std::string& zone) {
  return json{{"dateTime", graph_local_time(time)}, {"timeZone", zone}};
}

bool is_teams(const Occurrence& occurrence) {
  return occurrence.content.online && occurrence.content.online->provider == "teams";
}

std::string body_html(const Occurrence& occurrence) {
  std::string html = "<html><body><p>" + html_text(occurrence.description) + "</p>";
  if (!occurrence.url.empty()) {
    html += "<p><a href=\"" + html_text(occurrence.url) + "\">" + html_text(occurrence.url) +
            "</a></p>";
  }
  return html + "</body></html>";
}

}  // namespace

std::string html_text(std::string_view text) {
  std::string html;
  std::size_t start = 0;
  for (;;) {
    const auto newline = text.find('\n', start);
    std::string line(text.substr(start, newline - start));
    std::erase(line, '\r');
    html += escape_markup(line, "&#39;");
    if (newline == std::string_view::npos) return html;
    html += "<br>";
    start = newline + 1;
  }
}

std::string graph_local_time(const LocalDateTime& time) {
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:00", time.date.year, time.date.month,
                     time.date.day, time.time.hour, time.time.minute);
}

Result<GraphEvent> to_graph_event(const Occurrence& occurrence,
                                  const std::optional<PreparationAlarm>& alarm) {
  Result<std::string> zone = windows_zone(occurrence.timezone);
  if (!zone) return zone.error();
  const bool deadline = occurrence.kind == OccurrenceKind::Deadline || occurrence.all_day;
  GraphEvent event;
  event.online = is_teams(occurrence);
  json& payload = event.payload;
  payload["subject"] = occurrence.summary;
  payload["body"] = json{{"contentType", "html"}, {"content", body_html(occurrence)}};
  payload["start"] = date_time(occurrence.start, zone.value());
  payload["end"] = date_time(occurrence.end, zone.value());
  payload["isAllDay"] = occurrence.all_day;
  payload["location"] = json{{"displayName", occurrence.location}};
  payload["categories"] = occurrence.categories;
  payload["showAs"] = deadline ? "free" : "busy";
  const std::optional<int> preparation =
      alarm ? ical::preparation_alarm_minutes(occurrence, false, *alarm) : std::nullopt;
  payload["isReminderOn"] = !deadline || preparation.has_value();
  if (preparation) {
    payload["reminderMinutesBeforeStart"] = *preparation;
  } else if (!deadline) {
    payload["reminderMinutesBeforeStart"] = kMeetingReminderMinutes;
  }
  payload["isOnlineMeeting"] = event.online;
  if (event.online) payload["onlineMeetingProvider"] = "teamsForBusiness";
  event.hash = sha256_hex(payload.dump());
  event.body_hash = sha256_hex(payload["body"].dump());
  return event;
}

namespace {

json properties(const GraphEvent& event, const std::string& uid) {
  return json::array({json{{"id", kUidProperty}, {"value", uid}},
                      json{{"id", kHashProperty}, {"value", event.hash}},
                      json{{"id", kBodyHashProperty}, {"value", event.body_hash}}});
}

}  // namespace

json create_body(const GraphEvent& event, const std::string& uid, std::int64_t attempt,
                 std::string_view calendar) {
  json body = event.payload;
  body["singleValueExtendedProperties"] = properties(event, uid);
  body["transactionId"] = transaction_id(uid, event.hash, attempt, calendar);
  return body;
}

json update_body(const GraphEvent& event, const std::string& uid, bool with_body) {
  json body = event.payload;
  if (!with_body) body.erase("body");
  body["singleValueExtendedProperties"] = properties(event, uid);
  return body;
}

std::string transaction_id(const std::string& uid, const std::string& hash, std::int64_t attempt,
                           std::string_view calendar) {
  std::string seed = uid + "\n" + hash;
  if (attempt != 0) seed += "\n" + std::to_string(attempt) + "\n" + std::string(calendar);
  const std::string digest = sha256_hex(seed);
  // Shaped like a GUID (8-4-4-4-12), which is what Graph's examples use.
  return digest.substr(0, 8) + "-" + digest.substr(8, 4) + "-" + digest.substr(12, 4) + "-" +
         digest.substr(16, 4) + "-" + digest.substr(20, 12);
}

std::string teams_join_block(std::string_view html) {
  const auto first = html.find(kTeamsMarker);
  if (first == std::string_view::npos) return {};
  const auto last = html.rfind(kTeamsMarker);
  if (last == first) return {};
  auto begin = html.rfind("<div", first);
  if (begin == std::string_view::npos) begin = first;
  auto end = html.find("</div>", last + kTeamsMarker.size());
  end = end == std::string_view::npos ? last + kTeamsMarker.size() : end + 6;
  return std::string(html.substr(begin, end - begin));
}

std::string append_block(std::string html, std::string_view block) {
  const auto close = html.rfind("</body>");
  if (close == std::string::npos) return html + std::string(block);
  html.insert(close, block);
  return html;
}

}  // namespace plancal::graph
