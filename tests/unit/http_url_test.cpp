#include "base/secret.h"
#include "http/client.h"
#include "http/url.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

namespace plancal::http {
namespace {

TEST(HttpUrlTest, RedactsQueryUserinfoAndFragment) {
  EXPECT_EQ(redact_url("https://cal.example/dav/cal/?token=abc#frag"),
            "https://cal.example/dav/cal/?<redacted>");
  EXPECT_EQ(redact_url("https://bob:hunter2@cal.example:8443/dav/"),
            "https://cal.example:8443/dav/");
  EXPECT_EQ(redact_url("http://h"), "http://h/");
  EXPECT_EQ(redact_url("HTTPS://h/x"), "https://h/x");
  EXPECT_EQ(redact_url("ftp://h/x?k=v"), "<unparsable URL>");
  EXPECT_EQ(redact_url("not a url?secret=1"), "<unparsable URL>");
}

TEST(HttpUrlTest, SplitsUrls) {
  const auto parts = split_url("https://u:p@Cal.Example:8443/a/b?q=1#f");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->scheme, "https");
  EXPECT_EQ(parts->userinfo, "u:p");
  EXPECT_EQ(parts->authority, "Cal.Example:8443");
  EXPECT_EQ(parts->path, "/a/b");
  EXPECT_EQ(parts->query, "q=1");
  EXPECT_EQ(parts->fragment, "f");
  EXPECT_EQ(origin_of("https://u:p@Cal.Example:8443/a/b?q=1#f"), "https://cal.example:8443");
  EXPECT_FALSE(split_url("/relative/path"));
  EXPECT_FALSE(split_url("http:///nohost"));
}

TEST(HttpUrlTest, HeaderLookupIgnoresCase) {
  Headers headers{{"ETag", "\"1\""}, {"Set-Cookie", "a"}, {"set-cookie", "b"}};
  EXPECT_EQ(headers.find("etag"), "\"1\"");
  EXPECT_EQ(headers.find("ETAG"), "\"1\"");
  EXPECT_FALSE(headers.find("Location"));
  headers.set("SET-COOKIE", "c");
  EXPECT_EQ(headers.find("Set-Cookie"), "c");
  EXPECT_EQ(headers.fields().size(), 2U);
  headers.remove("etag");
  EXPECT_FALSE(headers.contains("ETag"));
}

TEST(HttpUrlTest, SecretsFormatAsRedacted) {
  Secret secret("hunter2");
  EXPECT_EQ(fmt::format("{}", secret), "<redacted>");
  EXPECT_EQ(fmt::format("pw={:>12}", secret), "pw=  <redacted>");
  EXPECT_EQ(secret.reveal(), "hunter2");
  Secret moved = std::move(secret);
  EXPECT_EQ(moved.reveal(), "hunter2");
  EXPECT_TRUE(moved == Secret("hunter2"));
  EXPECT_FALSE(moved == Secret("hunter3"));
}

}  // namespace
}  // namespace plancal::http
