// HTTP dates (base/http_date.h), the one parser behind Retry-After (http/retry.h) and, once
// the feed server uses it, Last-Modified and If-Modified-Since.

#include "base/http_date.h"

#include <gtest/gtest.h>

#include "base/civil.h"

namespace plancal {
namespace {

constexpr std::int64_t kNov1994 = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110)

TEST(HttpDateTest, FormatsImfFixdateAndReadsItBack) {
  EXPECT_EQ(format_http_date(kNov1994), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(format_http_date(1709164800), "Thu, 29 Feb 2024 00:00:00 GMT");
  for (const std::int64_t t : {0LL, 951782400LL, 1704067199LL, 1795504870LL}) {
    EXPECT_EQ(parse_http_date(format_http_date(t)), t);
    EXPECT_EQ(parse_imf_fixdate(format_http_date(t)), t);
  }
}

TEST(HttpDateTest, UnixSecondsReadOnAUtcClockBeforeAndAfter1970) {
  // The one conversion behind HTTP dates, DTSTAMP and the attendance report's timestamps.
  const auto reads = [](std::int64_t unix_seconds, Date date, int h, int m, int s) {
    const UtcDateTime utc = utc_date_time(unix_seconds);
    EXPECT_EQ(utc.date, date) << unix_seconds;
    EXPECT_EQ(utc.hour, h) << unix_seconds;
    EXPECT_EQ(utc.minute, m) << unix_seconds;
    EXPECT_EQ(utc.second, s) << unix_seconds;
  };
  reads(0, {1970, 1, 1}, 0, 0, 0);
  reads(kNov1994, {1994, 11, 6}, 8, 49, 37);
  reads(1709164800 + 86399, {2024, 2, 29}, 23, 59, 59);
  reads(-1, {1969, 12, 31}, 23, 59, 59);
  reads(-86400, {1969, 12, 31}, 0, 0, 0);
  reads(-86401, {1969, 12, 30}, 23, 59, 59);
}

TEST(HttpDateTest, ReadsTheObsoleteFormatsOnlyWhereTheyAreAllowed) {
  for (const char* text : {"Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"}) {
    EXPECT_EQ(parse_http_date(text), kNov1994) << text;
    EXPECT_FALSE(parse_imf_fixdate(text)) << text;
  }
}

TEST(HttpDateTest, RefusesWhatIsNoDate) {
  for (const char* text :
       {"", "yesterday", "Sun, 06 Nov 1994 08:49:37 CET", "Sun, 31 Feb 2024 08:49:37 GMT",
        "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT", "1994-11-06T08:49:37Z"}) {
    EXPECT_FALSE(parse_http_date(text)) << text;
    EXPECT_FALSE(parse_imf_fixdate(text)) << text;
  }
  EXPECT_FALSE(parse_imf_fixdate("Sun,  06 Nov 1994 08:49:37 GMT")) << "one space only";
}

}  // namespace
}  // namespace plancal
