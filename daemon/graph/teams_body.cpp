#include "graph/teams_body.h"

#include "graph/event_json.h"

namespace plancal::graph {

namespace {

/// plancal's own join paragraph, for a body that has lost Graph's block.
std::string join_paragraph(std::string_view join_url) {
  const std::string link = html_text(join_url);
  return "<p><a href=\"" + link + "\">Bli med i Teams-møtet</a></p>";
}

}  // namespace

bool holds_link(std::string_view html, std::string_view url) {
  if (url.empty()) return false;
  return html.find(url) != std::string_view::npos ||
         html.find(html_text(url)) != std::string_view::npos;
}

MeetingBody meeting_body(std::string_view plancal_html, std::string_view current_html,
                         std::string_view join_url) {
  if (join_url.empty()) return {std::string(plancal_html), {}};
  const std::string block = teams_join_block(current_html);
  if (!block.empty() && holds_link(block, join_url)) {
    return {append_block(std::string(plancal_html), block), {}};
  }
  if (!holds_link(current_html, join_url)) {
    return {append_block(std::string(plancal_html), join_paragraph(join_url)), {}};
  }
  return {std::nullopt,
          "the Teams join text in the event's body has a shape plancal does not recognise: "
          "the body was left as Outlook has it, so the join link stays (the plan's new text "
          "is not in it; edit the body in Outlook if it matters)"};
}

}  // namespace plancal::graph
