// HTTP rules of the feed server: dates, conditional requests, content coding.

#include <gtest/gtest.h>

#include "base/http_date.h"
#include "httpd/conditional.h"
#include "httpd/content_coding.h"

namespace plancal::httpd {
namespace {

constexpr std::int64_t kNov1994 = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110)

TEST(FeedHttpDateTest, FormatsImfFixdate) {
  EXPECT_EQ(format_http_date(kNov1994), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(format_http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(format_http_date(1709164800), "Thu, 29 Feb 2024 00:00:00 GMT");
}

TEST(FeedHttpDateTest, ParsesAllThreeFormats) {
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), kNov1994);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), kNov1994);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), kNov1994);
}

TEST(FeedHttpDateTest, RoundTrips) {
  for (const std::int64_t t : {0LL, 951782400LL, 1704067199LL, 1795504870LL}) {
    EXPECT_EQ(parse_http_date(format_http_date(t)), t);
  }
}

TEST(FeedHttpDateTest, RejectsBadDates) {
  EXPECT_FALSE(parse_http_date(""));
  EXPECT_FALSE(parse_http_date("yesterday"));
  EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 CET"));
  EXPECT_FALSE(parse_http_date("Sun, 31 Feb 2024 08:49:37 GMT"));
  EXPECT_FALSE(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"));
  EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 25:49:37 GMT"));
  EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49 GMT"));
  EXPECT_FALSE(parse_http_date("Sun, 6 Nov 1994 08:49:37 GMT"));
  EXPECT_FALSE(parse_http_date("1994-11-06T08:49:37Z"));
}

/// The server's clock in these tests: 2026-12-05, long after the feed last changed.
constexpr std::int64_t kNow = 1796428800;

Validators feed_validators() { return Validators{{"\"abc\"", "\"abc-gzip\""}, kNov1994, kNow}; }

TEST(FeedConditionalTest, IfNoneMatchMatchesExactListsWeakAndStar) {
  const auto current = feed_validators();
  EXPECT_TRUE(is_not_modified({"\"abc\"", std::nullopt}, current));
  EXPECT_TRUE(is_not_modified({"W/\"abc\"", std::nullopt}, current));
  EXPECT_TRUE(is_not_modified({"\"x\", \"abc-gzip\"", std::nullopt}, current));
  EXPECT_TRUE(is_not_modified({"\"x\",W/\"abc\" ", std::nullopt}, current));
  EXPECT_TRUE(is_not_modified({"*", std::nullopt}, current));
  EXPECT_FALSE(is_not_modified({"\"abcd\"", std::nullopt}, current));
  EXPECT_FALSE(is_not_modified({"abc", std::nullopt}, current));
  EXPECT_FALSE(is_not_modified({"\"a,bc\"", std::nullopt}, current));
  EXPECT_FALSE(is_not_modified({"", std::nullopt}, current));
}

TEST(FeedConditionalTest, IfNoneMatchWinsOverIfModifiedSince) {
  const auto current = feed_validators();
  // A stale ETag with a fresh date: the ETag decides, the body changed.
  EXPECT_FALSE(is_not_modified({"\"old\"", "Sun, 06 Nov 2050 08:49:37 GMT"}, current));
  // A current ETag with an old date: still not modified.
  EXPECT_TRUE(is_not_modified({"\"abc\"", "Sun, 06 Nov 1990 08:49:37 GMT"}, current));
}

TEST(FeedConditionalTest, IfModifiedSinceComparesAsDate) {
  const auto current = feed_validators();
  EXPECT_TRUE(is_not_modified({std::nullopt, "Sun, 06 Nov 1994 08:49:37 GMT"}, current));
  EXPECT_TRUE(is_not_modified({std::nullopt, "Sunday, 06-Nov-94 08:49:37 GMT"}, current));
  EXPECT_TRUE(is_not_modified({std::nullopt, "Mon, 07 Nov 1994 00:00:00 GMT"}, current));
  // Later in the string order but earlier as a date.
  EXPECT_FALSE(is_not_modified({std::nullopt, "Wed, 06 Nov 1993 08:49:37 GMT"}, current));
  EXPECT_FALSE(is_not_modified({std::nullopt, "Sun, 06 Nov 1994 08:49:36 GMT"}, current));
}

TEST(FeedConditionalTest, BadOrUselessIfModifiedSinceGivesFullResponse) {
  EXPECT_FALSE(is_not_modified({std::nullopt, "not a date"}, feed_validators()));
  EXPECT_FALSE(is_not_modified({std::nullopt, std::nullopt}, feed_validators()));
  EXPECT_FALSE(
      is_not_modified({std::nullopt, "Sun, 06 Nov 2050 08:49:37 GMT"}, Validators{{"\"abc\""}, 0}));
}

TEST(FeedConditionalTest, IfModifiedSinceInTheFutureIsIgnored) {
  const auto current = feed_validators();
  // A date after the server's clock was never sent by this server: a full response, even
  // though the feed has not changed since (a client clock ahead, or a forged header).
  EXPECT_FALSE(is_not_modified({std::nullopt, "Sun, 06 Nov 2050 08:49:37 GMT"}, current));
  EXPECT_FALSE(is_not_modified({std::nullopt, "Sat, 05 Dec 2026 00:00:01 GMT"}, current));
  // Up to and including the server's own second it counts.
  EXPECT_TRUE(is_not_modified({std::nullopt, "Sat, 05 Dec 2026 00:00:00 GMT"}, current));
  // If-None-Match still decides alone, whatever the date says.
  EXPECT_TRUE(is_not_modified({"\"abc\"", "Sun, 06 Nov 2050 08:49:37 GMT"}, current));
}

TEST(FeedContentCodingTest, HonoursQValues) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("deflate, gzip"));
  EXPECT_TRUE(accepts_gzip("GZIP;q=0.5"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_TRUE(accepts_gzip("br;q=1.0, gzip;q=0.001"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("identity, *;q=0.1"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip; q=0.000"));
  EXPECT_FALSE(accepts_gzip("*;q=1, gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("*;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=bogus"));
  EXPECT_FALSE(accepts_gzip("gzip;q=2"));
  EXPECT_FALSE(accepts_gzip("gzipper"));
}

}  // namespace
}  // namespace plancal::httpd
