// The subscribe buttons' links, exactly, and the QR code of the webcal:// link.

#include <gtest/gtest.h>

#include "web/qr_code.h"
#include "web/subscribe_links.h"

namespace plancal::web {
namespace {

constexpr const char* kFeed = "https://kalender.example.no/feeds/Zq3-x_9.ics";

TEST(WebSubscribeLinksTest, EveryClientGetsItsExactLink) {
  const SubscribeLinks links = subscribe_links(kFeed, "Kalender for Sindre Lunde");
  EXPECT_EQ(links.feed, kFeed);
  EXPECT_EQ(links.webcal, "webcal://kalender.example.no/feeds/Zq3-x_9.ics");
  EXPECT_EQ(links.google,
            "https://calendar.google.com/calendar/render?cid="
            "webcal%3A%2F%2Fkalender.example.no%2Ffeeds%2FZq3-x_9.ics");
  EXPECT_EQ(links.outlook_office,
            "https://outlook.office.com/calendar/0/addfromweb?url="
            "https%3A%2F%2Fkalender.example.no%2Ffeeds%2FZq3-x_9.ics"
            "&name=Kalender%20for%20Sindre%20Lunde");
  EXPECT_EQ(links.outlook_live,
            "https://outlook.live.com/calendar/0/addfromweb?url="
            "https%3A%2F%2Fkalender.example.no%2Ffeeds%2FZq3-x_9.ics"
            "&name=Kalender%20for%20Sindre%20Lunde");
  EXPECT_EQ(links.download_name, "Kalender for Sindre Lunde.ics");
}

TEST(WebSubscribeLinksTest, PlainHttpAndPortsBecomeWebcalToo) {
  const SubscribeLinks links =
      subscribe_links("http://127.0.0.1:8080/feeds/abc.ics", "Mandagsseminar 2024 – Team A");
  EXPECT_EQ(links.webcal, "webcal://127.0.0.1:8080/feeds/abc.ics");
  // The en dash and æøå are UTF-8 bytes, percent-encoded one by one.
  EXPECT_EQ(links.outlook_live,
            "https://outlook.live.com/calendar/0/addfromweb?url="
            "http%3A%2F%2F127.0.0.1%3A8080%2Ffeeds%2Fabc.ics"
            "&name=Mandagsseminar%202024%20%E2%80%93%20Team%20A");
  EXPECT_EQ(links.download_name, "Mandagsseminar 2024 – Team A.ics");
}

TEST(WebSubscribeLinksTest, PercentEncodingKeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(percent_encode_query_value("a-z_0.9~"), "a-z_0.9~");
  EXPECT_EQ(percent_encode_query_value("Møte & «tema»?=/"),
            "M%C3%B8te%20%26%20%C2%ABtema%C2%BB%3F%3D%2F");
}

TEST(WebSubscribeLinksTest, FileNamesLoseCharactersFileSystemsRefuse) {
  EXPECT_EQ(subscribe_links(kFeed, "A/B: \"C\"").download_name, "A-B- -C-.ics");
  EXPECT_EQ(subscribe_links(kFeed, "  ").download_name, "kalender.ics");
}

TEST(WebSubscribeLinksTest, OnlyHttpLinksMayBecomeHrefs) {
  EXPECT_EQ(web_link_or_empty(" https://teams.microsoft.com/l/meetup-join/x "),
            "https://teams.microsoft.com/l/meetup-join/x");
  EXPECT_EQ(web_link_or_empty("HTTP://example.no/"), "HTTP://example.no/");
  EXPECT_EQ(web_link_or_empty("javascript:alert(1)"), "");
  EXPECT_EQ(web_link_or_empty("data:text/html,<script>"), "");
  EXPECT_EQ(web_link_or_empty("https://x.no/\"onmouseover=\"x"), "");
  EXPECT_EQ(web_link_or_empty("https://"), "");
}

/// The three finder patterns: 7x7 dark rings with a dark 3x3 centre, in three corners.
void expect_finder(const QrCode& qr, int left, int top) {
  for (int y = 0; y < 7; ++y) {
    for (int x = 0; x < 7; ++x) {
      const bool ring = x == 0 || y == 0 || x == 6 || y == 6;
      const bool centre = x >= 2 && x <= 4 && y >= 2 && y <= 4;
      EXPECT_EQ(qr.dark(left + x, top + y), ring || centre) << "module " << x << "," << y;
    }
  }
}

TEST(WebQrCodeTest, EncodesTheLinkWithFinderPatternsInThreeCorners) {
  const auto qr = encode_qr("webcal://kalender.example.no/feeds/Zq3-x_9.ics");
  ASSERT_TRUE(qr.ok()) << qr.error().message;
  // 47 bytes at level M need version 4 (version 3 holds 42): 33 modules a side.
  EXPECT_EQ(qr->size, 33);
  expect_finder(*qr, 0, 0);
  expect_finder(*qr, qr->size - 7, 0);
  expect_finder(*qr, 0, qr->size - 7);
  for (const auto& run : qr->runs) {
    EXPECT_GT(run.length, 0);
    EXPECT_LE(run.x + run.length, qr->size);
  }
}

TEST(WebQrCodeTest, RefusesWhatNoQrCodeHolds) {
  const auto nul = encode_qr(std::string_view("a\0b", 3));
  ASSERT_FALSE(nul.ok());
  EXPECT_NE(nul.error().message.find("NUL"), std::string::npos);
  const auto huge = encode_qr(std::string(5000, 'x'));
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.error().message.find("too long"), std::string::npos);
}

}  // namespace
}  // namespace plancal::web
