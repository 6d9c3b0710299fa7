#include <gtest/gtest.h>

#include "graph/token.h"
#include "test_doubles.h"

namespace plancal::graph {
namespace {

using plancal::testing::json_response;
using plancal::testing::ScriptedHttp;

constexpr const char* kSecret = "s3cr3t-Value~with&specials";

TokenSettings settings() {
  TokenSettings s;
  s.login_base = "http://login.test";
  s.tenant = "kommune.onmicrosoft.com";
  s.client_id = "app-1";
  s.client_secret = Secret(kSecret);
  s.secret_origin = "file /etc/plancal/graph.secret";
  return s;
}

struct FakeTime {
  std::chrono::steady_clock::time_point now{};
  SteadyNow fn() {
    return [this] { return now; };
  }
};

TEST(GraphTokenTest, PostsClientCredentialsFormAndCachesTheToken) {
  int issued = 0;
  ScriptedHttp http([&](const http::HttpRequest&) {
    ++issued;
    return json_response(200, R"({"token_type":"Bearer","expires_in":3599,"access_token":"tok)" +
                                  std::to_string(issued) + R"("})");
  });
  FakeTime time;
  TokenProvider tokens(http, settings(), time.fn());
  ASSERT_TRUE(tokens.token());
  EXPECT_EQ(tokens.token().value(), "tok1");
  ASSERT_EQ(http.sent.size(), 1U);
  const http::HttpRequest& request = http.sent[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, "http://login.test/kommune.onmicrosoft.com/oauth2/v2.0/token");
  EXPECT_EQ(request.headers.find("Content-Type").value(), "application/x-www-form-urlencoded");
  EXPECT_NE(request.body.find("client_id=app-1"), std::string::npos);
  EXPECT_NE(request.body.find("grant_type=client_credentials"), std::string::npos);
  EXPECT_NE(request.body.find("scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"),
            std::string::npos);
  EXPECT_NE(request.body.find("client_secret=s3cr3t-Value~with%26specials"), std::string::npos);
}

TEST(GraphTokenTest, FormEncodesEveryField) {
  EXPECT_EQ(form_encode("https://graph.microsoft.com/.default"),
            "https%3A%2F%2Fgraph.microsoft.com%2F.default");
  EXPECT_EQ(form_encode("a b&c=d~"), "a%20b%26c%3Dd~");
}

TEST(GraphTokenTest, RenewsBeforeExpiry) {
  int issued = 0;
  ScriptedHttp http([&](const http::HttpRequest&) {
    ++issued;
    return json_response(
        200, R"({"expires_in":3599,"access_token":"tok)" + std::to_string(issued) + R"("})");
  });
  FakeTime time;
  TokenProvider tokens(http, settings(), time.fn());
  EXPECT_EQ(tokens.token().value(), "tok1");
  time.now += std::chrono::seconds(3000);  // 599 s left: still outside the 300 s margin
  EXPECT_EQ(tokens.token().value(), "tok1");
  time.now += std::chrono::seconds(350);  // 249 s left: renewed ahead of expiry
  EXPECT_EQ(tokens.token().value(), "tok2");
  EXPECT_EQ(tokens.fetches(), 2);
}

TEST(GraphTokenTest, InvalidateDropsOnlyTheRejectedToken) {
  int issued = 0;
  ScriptedHttp http([&](const http::HttpRequest&) {
    ++issued;
    return json_response(
        200, R"({"expires_in":"3599","access_token":"tok)" + std::to_string(issued) + R"("})");
  });
  TokenProvider tokens(http, settings());
  EXPECT_EQ(tokens.token().value(), "tok1");
  tokens.invalidate("something-older");
  EXPECT_EQ(tokens.token().value(), "tok1");
  tokens.invalidate("tok1");
  EXPECT_EQ(tokens.token().value(), "tok2");
}

std::string aadsts(long code, const std::string& error, const std::string& text) {
  return R"({"error":")" + error + R"(","error_description":"AADSTS)" + std::to_string(code) +
         ": " + text + R"(\r\nTrace ID: abc\r\nCorrelation ID: def","error_codes":[)" +
         std::to_string(code) + "]}";
}

TEST(GraphTokenTest, AadstsErrorsCarryCodeAndHintButNoSecret) {
  struct Case {
    long code;
    int status;
    std::string hint;
  };
  const std::vector<Case> cases{
      {7000215, 401, "secret is wrong"},
      {7000222, 401, "has expired"},
      {1002012, 400, "scope must be https://graph.microsoft.com/.default"},
      {65001, 400, "admin consent"},
  };
  for (const Case& c : cases) {
    ScriptedHttp http([&](const http::HttpRequest&) {
      return json_response(c.status, aadsts(c.code, "invalid_client", "Something failed."));
    });
    TokenProvider tokens(http, settings());
    const Result<std::string> token = tokens.token();
    ASSERT_FALSE(token);
    const std::string& message = token.error().message;
    EXPECT_NE(message.find("AADSTS" + std::to_string(c.code)), std::string::npos) << message;
    EXPECT_NE(message.find(c.hint), std::string::npos) << message;
    EXPECT_EQ(message.find("Trace ID"), std::string::npos) << message;
    EXPECT_EQ(message.find("s3cr3t"), std::string::npos) << message;
  }
}

TEST(GraphTokenTest, WrongSecretHintNamesTheSecretFile) {
  const std::string message = describe_token_error(
      401, aadsts(7000215, "invalid_client", "Invalid client secret provided."), settings());
  EXPECT_NE(message.find("/etc/plancal/graph.secret"), std::string::npos) << message;
  EXPECT_NE(message.find("tenant kommune.onmicrosoft.com"), std::string::npos) << message;
}

TEST(GraphTokenTest, NonJsonErrorSaysTheStatus) {
  EXPECT_NE(describe_token_error(502, "<html>bad gateway</html>", settings()).find("HTTP 502"),
            std::string::npos);
}

}  // namespace
}  // namespace plancal::graph
