// The body of a Teams meeting plancal updates (graph/teams_body.h): whatever shape Graph's
// join block has, the body that goes out holds the meeting's join link, or Outlook's body is
// left as it is.

#include "graph/teams_body.h"

#include <gtest/gtest.h>

#include "graph/event_json.h"

namespace plancal::graph {
namespace {

const std::string kJoin =
    "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%7d";
const std::string kMarker(80, '_');
const std::string kPlancal = "<html><body><p>Ny tekst</p></body></html>";

/// A body as Graph returns it: plancal's old text and a join block.
std::string outlook_body(const std::string& block) {
  return "<html>\r\n<head>\r\n</head>\r\n<body>\r\n<p>Gammel tekst</p>" + block +
         "\r\n</body>\r\n</html>\r\n";
}

TEST(GraphTeamsBodyTest, ARecognisedBlockGoesOverToTheNewText) {
  const std::string block = "<div><span>" + kMarker + "</span></div><div><a href=\"" + kJoin +
                            "\">Join the meeting now</a></div><div><span>" + kMarker +
                            "</span></div>";
  const MeetingBody body = meeting_body(kPlancal, outlook_body(block), kJoin);
  ASSERT_TRUE(body.content);
  EXPECT_EQ(*body.content, "<html><body><p>Ny tekst</p>" + block + "</body></html>");
  EXPECT_EQ(body.warning, "");
}

TEST(GraphTeamsBodyTest, AnUnfamiliarBlockKeepsOutlooksBodyAndSaysSo) {
  for (const std::string& block :
       {"<div class=\"teams-invite\"><p><b>Microsoft Teams-møte</b></p><p><a href=\"" + kJoin +
            "\">Klikk her for å bli med i møtet</a></p></div>",
        "<p>Join: " + kJoin + "</p>",
        // The frame plancal knows, but around something else; the link outside it.
        "<div>" + kMarker + "</div><div>Dial in: +47 21 00 00 00</div><div>" + kMarker +
            "</div><p><a href=\"" + kJoin + "\">Join</a></p>"}) {
    const MeetingBody body = meeting_body(kPlancal, outlook_body(block), kJoin);
    EXPECT_FALSE(body.content) << block;
    EXPECT_NE(body.warning.find("does not recognise"), std::string::npos) << block;
  }
}

TEST(GraphTeamsBodyTest, AnEscapedLinkIsTheSameLink) {
  const std::string with_amp = kJoin + "&tenant=1";
  const std::string block = "<div>" + kMarker + "</div><a href=\"" + html_text(with_amp) +
                            "\">Join</a><div>" + kMarker + "</div>";
  const MeetingBody body = meeting_body(kPlancal, outlook_body(block), with_amp);
  ASSERT_TRUE(body.content);
  EXPECT_TRUE(holds_link(*body.content, with_amp));
}

TEST(GraphTeamsBodyTest, ABodyThatLostTheLinkGetsItBack) {
  const MeetingBody body = meeting_body(kPlancal, outlook_body(""), kJoin);
  ASSERT_TRUE(body.content);
  EXPECT_TRUE(holds_link(*body.content, kJoin));
  EXPECT_NE(body.content->find("<p>Ny tekst</p>"), std::string::npos);
  EXPECT_NE(body.content->find("Bli med i Teams-møtet"), std::string::npos);
  EXPECT_EQ(body.warning, "");
}

TEST(GraphTeamsBodyTest, NoMeetingYetMeansPlancalsTextAlone) {
  const MeetingBody body = meeting_body(kPlancal, outlook_body(""), "");
  ASSERT_TRUE(body.content);
  EXPECT_EQ(*body.content, kPlancal);
}

}  // namespace
}  // namespace plancal::graph
