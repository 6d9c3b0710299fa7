#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <map>

#include "graph/client.h"
#include "test_doubles.h"

namespace plancal::graph {
namespace {

using nlohmann::json;
using plancal::testing::json_response;
using plancal::testing::RecordingSleeper;
using plancal::testing::ScriptedHttp;

bool is_token_request(const http::HttpRequest& request) {
  return request.url.find("/oauth2/v2.0/token") != std::string::npos;
}

http::HttpResponse token_answer(int& issued) {
  ++issued;
  return json_response(
      200, R"({"expires_in":3599,"access_token":"tok)" + std::to_string(issued) + "\"}");
}

TokenSettings token_settings() {
  TokenSettings s;
  s.login_base = "http://g.test";
  s.tenant = "t";
  s.client_id = "c";
  s.client_secret = Secret("x");
  return s;
}

TEST(GraphClientTest, SendsBearerAndImmutableIdsAndRenewsOnceOn401) {
  int issued = 0;
  ScriptedHttp http([&](const http::HttpRequest& request) {
    if (is_token_request(request)) return token_answer(issued);
    if (request.headers.find("Authorization").value() == "Bearer tok1") {
      return json_response(
          401, R"({"error":{"code":"InvalidAuthenticationToken","message":"expired"}})");
    }
    return json_response(200, R"({"id":"cal-1"})");
  });
  TokenProvider tokens(http, token_settings());
  GraphClient client(http, tokens, "http://g.test/v1.0/");
  const GraphResponse answer = client.call("GET", "/users/ola/calendar");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body["id"], "cal-1");
  EXPECT_EQ(issued, 2);
  EXPECT_EQ(client.requests(), 2);
  EXPECT_EQ(http.sent.back().url, "http://g.test/v1.0/users/ola/calendar");
  EXPECT_EQ(http.sent.back().headers.find("Prefer").value(), "IdType=\"ImmutableId\"");
}

TEST(GraphClientTest, A401ThatPersistsIsReportedAfterOneRenewal) {
  int issued = 0;
  ScriptedHttp http([&](const http::HttpRequest& request) {
    if (is_token_request(request)) return token_answer(issued);
    return json_response(401, R"({"error":{"code":"InvalidAuthenticationToken","message":"no"}})");
  });
  TokenProvider tokens(http, token_settings());
  GraphClient client(http, tokens, "http://g.test/v1.0");
  EXPECT_EQ(client.call("GET", "/users/ola/calendar").status, 401);
  EXPECT_EQ(issued, 2);
}

TEST(GraphClientTest, ForbiddenSaysWhatPermissionIsMissing) {
  GraphResponse answer{
      403,
      json::parse(R"({"error":{"code":"ErrorAccessDenied","message":"Access is denied."}})"),
      {},
      {}};
  const std::string text = describe(answer);
  EXPECT_NE(text.find("403 ErrorAccessDenied"), std::string::npos);
  EXPECT_NE(text.find("Calendars.ReadWrite"), std::string::npos);
}

/// A $batch endpoint: answers each item with `status_for(id, attempt)` (attempt: how often
/// that item has been sent, from 1).
struct BatchServer {
  std::function<std::pair<int, std::string>(const std::string& id, int attempt)> status_for;
  int rounds = 0;
  std::map<std::string, int> attempts;
  std::vector<std::size_t> sizes;
  http::HttpResponse operator()(const json& payload) {
    ++rounds;
    sizes.push_back(payload["requests"].size());
    json responses = json::array();
    for (const json& item : payload["requests"]) {
      const auto [status, retry_after] = status_for(item["id"], ++attempts[item["id"]]);
      json headers = json::object();
      if (!retry_after.empty()) headers["Retry-After"] = retry_after;
      responses.push_back(json{{"id", item["id"]},
                               {"status", status},
                               {"headers", headers},
                               {"body", json{{"id", "ev-" + item["id"].get<std::string>()}}}});
    }
    std::reverse(responses.begin(), responses.end());  // any order is allowed
    return json_response(200, json{{"responses", responses}}.dump());
  }
};

TEST(GraphClientTest, BatchesByTwentyAndRetriesOnlyThrottledItemsAfterTheLongestWait) {
  int issued = 0;
  BatchServer server;
  server.status_for = [](const std::string& id, int round) -> std::pair<int, std::string> {
    if (round == 1 && id == "3") return {429, "1.5"};
    if (round == 1 && id == "21") return {429, "2"};
    if (round == 2 && id == "3") return {503, ""};
    return {201, ""};
  };
  ScriptedHttp http([&](const http::HttpRequest& request) {
    if (is_token_request(request)) return token_answer(issued);
    EXPECT_EQ(request.url, "http://g.test/v1.0/$batch");
    return server(json::parse(request.body));
  });
  TokenProvider tokens(http, token_settings());
  RecordingSleeper sleeper;
  GraphClient client(http, tokens, "http://g.test/v1.0", &sleeper);
  std::vector<BatchRequest> requests(
      25, BatchRequest{"POST", "/users/ola/events", json{{"subject", "x"}}, ""});
  const std::vector<GraphResponse> answers = client.batch(requests);
  ASSERT_EQ(answers.size(), 25U);
  for (std::size_t i = 0; i < answers.size(); ++i) {
    EXPECT_EQ(answers[i].status, 201) << i;
    EXPECT_EQ(answers[i].body["id"], "ev-" + std::to_string(i));
  }
  EXPECT_EQ(server.sizes, (std::vector<std::size_t>{20, 5, 2, 1}));
  ASSERT_EQ(sleeper.slept.size(), 2U);
  EXPECT_EQ(sleeper.slept[0], std::chrono::milliseconds(2000));  // the longest Retry-After
  EXPECT_EQ(sleeper.slept[1], std::chrono::milliseconds(1000));  // 503 without one: 2nd backoff
}

TEST(GraphClientTest, BatchItemsCarryContentTypeAndIfMatch) {
  int issued = 0;
  json seen;
  ScriptedHttp http([&](const http::HttpRequest& request) {
    if (is_token_request(request)) return token_answer(issued);
    seen = json::parse(request.body);
    return json_response(
        200,
        R"({"responses":[{"id":"0","status":204,"headers":{}},{"id":"1","status":200,"headers":{}}]})");
  });
  TokenProvider tokens(http, token_settings());
  GraphClient client(http, tokens, "http://g.test/v1.0");
  const auto answers =
      client.batch({BatchRequest{"DELETE", "/users/a/events/X", std::nullopt, "W/\"ck\""},
                    BatchRequest{"PATCH", "/users/a/events/Y", json{{"subject", "s"}}, ""}});
  EXPECT_EQ(answers[0].status, 204);
  EXPECT_EQ(seen["requests"][0]["headers"]["If-Match"], "W/\"ck\"");
  EXPECT_FALSE(seen["requests"][0].contains("body"));
  EXPECT_EQ(seen["requests"][1]["headers"]["Content-Type"], "application/json");
}

TEST(GraphClientTest, ItemsStillThrottledAfterTheLastRoundAreReportedAs429) {
  int issued = 0;
  BatchServer server;
  server.status_for = [](const std::string&, int) -> std::pair<int, std::string> {
    return {429, "1"};
  };
  ScriptedHttp http([&](const http::HttpRequest& request) {
    if (is_token_request(request)) return token_answer(issued);
    return server(json::parse(request.body));
  });
  TokenProvider tokens(http, token_settings());
  RecordingSleeper sleeper;
  BatchLimits limits;
  limits.max_rounds = 3;
  GraphClient client(http, tokens, "http://g.test/v1.0", &sleeper, limits);
  const auto answers = client.batch({BatchRequest{"GET", "/users/a/events/X", std::nullopt, ""}});
  EXPECT_EQ(answers[0].status, 429);
  EXPECT_EQ(server.rounds, 3);
  EXPECT_EQ(sleeper.slept.size(), 2U);
}

}  // namespace
}  // namespace plancal::graph
