// The HTTP side of the pages: the headers every page sends, ETag and 304, the 404 page, and
// the stylesheet and icon plancal serves itself.

#include <gtest/gtest.h>

#include "web/page_response.h"
#include "web/static_assets.h"

namespace plancal::web {
namespace {

TEST(WebPageResponseTest, EveryPageSendsTheSecurityHeaders) {
  const PageResponse page = html_page("<!DOCTYPE html><p>Hei</p>");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.header("Content-Type"), "text/html; charset=utf-8");
  const std::string csp = page.header("Content-Security-Policy").value_or("");
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);  // no script of any kind
  EXPECT_EQ(csp.find("script-src"), std::string::npos);
  EXPECT_NE(csp.find("style-src 'self'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(page.header("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(page.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(page.header("Cache-Control").value_or("").rfind("private", 0), 0U);
  EXPECT_EQ(page.body, "<!DOCTYPE html><p>Hei</p>");
}

TEST(WebPageResponseTest, TheETagChangesWithTheBodyAndAnswers304) {
  const PageResponse a = html_page("A");
  const PageResponse b = html_page("B");
  const std::string etag = a.header("ETag").value();
  EXPECT_EQ(etag.front(), '"');
  EXPECT_EQ(etag, html_page("A").header("ETag"));
  EXPECT_NE(etag, b.header("ETag"));
  const PageResponse unchanged = html_page("A", etag);
  EXPECT_EQ(unchanged.status, 304);
  EXPECT_TRUE(unchanged.body.empty());
  EXPECT_EQ(unchanged.header("Content-Security-Policy"), a.header("Content-Security-Policy"));
  EXPECT_EQ(html_page("A", "\"other\", W/" + etag).status, 304);
  EXPECT_EQ(html_page("A", "*").status, 304);
  EXPECT_EQ(html_page("A", "\"other\"").status, 200);
}

TEST(WebPageResponseTest, UnknownLinksGetANorwegian404WithTheSameHeaders) {
  const PageResponse missing = not_found_page();
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("Siden finnes ikke"), std::string::npos);
  EXPECT_NE(missing.body.find("lang=\"nb\""), std::string::npos);
  EXPECT_EQ(missing.header("Referrer-Policy"), "no-referrer");
  EXPECT_TRUE(missing.header("Content-Security-Policy"));
}

TEST(WebPageResponseTest, TheStylesheetIsServedFromTheBinary) {
  const auto css = static_asset("/static/plancal.css");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->status, 200);
  EXPECT_EQ(css->header("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(css->header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(css->body, stylesheet_text());
  EXPECT_NE(css->body.find("@media print"), std::string::npos);
  EXPECT_NE(css->body.find(":focus-visible"), std::string::npos);
  EXPECT_EQ(css->body.find("@import"), std::string::npos);  // nothing from elsewhere
  EXPECT_EQ(css->body.find("url("), std::string::npos);
  EXPECT_EQ(static_asset("/static/plancal.css", css->header("ETag").value())->status, 304);
  const auto icon = static_asset("/static/plancal.svg");
  ASSERT_TRUE(icon);
  EXPECT_EQ(icon->header("Content-Type"), "image/svg+xml");
  EXPECT_FALSE(static_asset("/static/../plancal.css"));
  EXPECT_FALSE(static_asset("/static/"));
  EXPECT_FALSE(static_asset("/feeds/x.ics"));
}

}  // namespace
}  // namespace plancal::web
