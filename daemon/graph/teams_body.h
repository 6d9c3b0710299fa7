#pragma once
/// The body of a Teams meeting that plancal updates.
///
/// Graph puts a join block (the link into the meeting, a meeting id, dial-in numbers) into an
/// online meeting's body, and a PATCH that sends a body replaces all of it: plancal has to
/// carry the block over, or people lose their way into the meeting. Blocks come in shapes
/// plancal cannot all know (tenants customise them, clients change them), so the one thing
/// checked is the thing that matters: the meeting's join link (onlineMeeting.joinUrl) is in
/// every body that goes out. When plancal cannot tell its own text from Outlook's, it leaves
/// Outlook's body alone and says so.

#include <optional>
#include <string>
#include <string_view>

namespace plancal::graph {

/// What an update sends as the body of an online meeting.
struct MeetingBody {
  std::optional<std::string> content;  ///< the body to send; nullopt: leave Outlook's as it is
  std::string warning;                 ///< why Outlook's body was left ("" when it was not)
};

/// The body for an update that replaces an online meeting's body with plancal's
/// `plancal_html`, given the body the event has now (`current_html`) and the meeting's join
/// link (`join_url`, "" while Graph has made none):
///  - no join link yet: plancal's body (Graph adds its block when it makes the meeting);
///  - the link inside a join block plancal recognises (teams_join_block): plancal's body
///    with that block;
///  - the link nowhere in the body: plancal's body with a short join paragraph of its own;
///  - else the link sits in text plancal cannot tell from its own: Outlook's body stays.
[[nodiscard]] MeetingBody meeting_body(std::string_view plancal_html, std::string_view current_html,
                                       std::string_view join_url);

/// Whether `html` holds `url`, as written or HTML-escaped (as in an href).
[[nodiscard]] bool holds_link(std::string_view html, std::string_view url);

}  // namespace plancal::graph
