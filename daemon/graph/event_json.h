#pragma once
/// One plancal occurrence as a Microsoft Graph event resource (the JSON POSTed or PATCHed).
///
/// Times go out as wall-clock dateTimeTimeZone in the Windows name of the plan's zone, so
/// Outlook shows 09:00 in Oslo in winter and summer alike. plancal's UID and content hashes
/// ride along in single-value extended properties: they let plancal find its own events
/// among everyone else's and compare content without reading back the body, which Graph
/// rewrites (and, for Teams meetings, extends with the join block).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "expand/occurrence.h"
#include "ical/preparation_alarm.h"

namespace plancal::graph {

/// Extended property ids (MAPI named properties in a plancal-only property set GUID).
inline constexpr std::string_view kUidProperty =
    "String {8d5b0f3e-6a41-4c2b-9f7e-2a1c5e7b9d40} Name plancalUid";
inline constexpr std::string_view kHashProperty =
    "String {8d5b0f3e-6a41-4c2b-9f7e-2a1c5e7b9d40} Name plancalHash";
inline constexpr std::string_view kBodyHashProperty =
    "String {8d5b0f3e-6a41-4c2b-9f7e-2a1c5e7b9d40} Name plancalBodyHash";

/// What plancal sends for one occurrence, and the hashes that identify it.
struct GraphEvent {
  nlohmann::json payload;  ///< the event without extended properties and transactionId
  std::string hash;        ///< SHA-256 of payload.dump() (keys sorted, so stable)
  std::string body_hash;   ///< SHA-256 of the body alone: PATCH the body only when it changed
  bool online = false;     ///< a Teams meeting: Graph owns part of its body
};

/// Builds the event; fails only when the plan's zone has no Windows name. `alarm`: the
/// preparation alarm setting (reminders.alarm; nullopt when disabled). A meeting that gets the
/// alarm in the feeds gets Outlook's reminder at the same time, to the minute before the start
/// (Graph knows no other kind); other meetings get 15 minutes, deadlines none.
[[nodiscard]] Result<GraphEvent> to_graph_event(
    const Occurrence& occurrence, const std::optional<PreparationAlarm>& alarm = std::nullopt);

/// The POST body: payload + extended properties (uid, hashes) + transactionId (of this
/// create's `attempt` in `calendar`, transaction_id).
[[nodiscard]] nlohmann::json create_body(const GraphEvent& event, const std::string& uid,
                                         std::int64_t attempt = 0, std::string_view calendar = {});
/// The PATCH body: payload (without `body` unless `with_body`) + extended properties.
[[nodiscard]] nlohmann::json update_body(const GraphEvent& event, const std::string& uid,
                                         bool with_body);

/// A transactionId for one create attempt of this UID and content in `calendar`: a retried
/// POST of the same attempt gets the same id (Graph makes no second event); another attempt,
/// other content or another calendar never reuses one (Graph guards only retries with it: the
/// id of a deleted event may stay taken). Attempt 0 is the id plancal sent before it numbered
/// attempts (UID and content only), so a create announced then is retried as it was.
[[nodiscard]] std::string transaction_id(const std::string& uid, const std::string& hash,
                                         std::int64_t attempt = 0, std::string_view calendar = {});

/// Text as HTML: escaped, line breaks as <br>.
[[nodiscard]] std::string html_text(std::string_view text);

/// "2024-01-15T09:00:00" for dateTimeTimeZone.dateTime.
[[nodiscard]] std::string graph_local_time(const LocalDateTime& time);

/// The Teams join block Graph appended to an online meeting's body ("" when none), so an
/// update that replaces the body can put it back.
[[nodiscard]] std::string teams_join_block(std::string_view html);

/// Inserts `block` before </body> (or appends it) in an HTML body plancal built.
[[nodiscard]] std::string append_block(std::string html, std::string_view block);

}  // namespace plancal::graph
