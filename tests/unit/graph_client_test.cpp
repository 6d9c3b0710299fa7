#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <map>
#include <thread>

#include "graph/batch_pipe.h"
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

/// A $batch endpoint: answers each item with `status_for(key, attempt)`: the key is the
/// subject of an item's body, else its id (the client numbers the items of each $batch anew),
/// attempt how often that item has been sent, from 1.
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
      const std::string key = item.contains("body") ? item["body"]["subject"].get<std::string>()
                                                    : item["id"].get<std::string>();
      const auto [status, retry_after] = status_for(key, ++attempts[key]);
      json headers = json::object();
      if (!retry_after.empty()) headers["Retry-After"] = retry_after;
      responses.push_back(json{{"id", item["id"]},
                               {"status", status},
                               {"headers", headers},
                               {"body", json{{"id", "ev-" + key}}}});
    }
    std::reverse(responses.begin(), responses.end());  // any order is allowed
    return json_response(200, json{{"responses", responses}}.dump());
  }
};

TEST(GraphClientTest, SendsFourItemsOfItsMailboxAtOnceAndRetriesOnlyThrottledOnes) {
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
  std::vector<BatchRequest> requests;
  for (int i = 0; i < 25; ++i) {
    requests.push_back({"POST", "/users/ola/events", json{{"subject", std::to_string(i)}}, ""});
  }
  const std::vector<GraphResponse> answers = client.batch(requests);
  ASSERT_EQ(answers.size(), 25U);
  for (std::size_t i = 0; i < answers.size(); ++i) {
    EXPECT_EQ(answers[i].status, 201) << i;
    EXPECT_EQ(answers[i].body["id"], "ev-" + std::to_string(i));
  }
  // Graph counts every item against the mailbox's four concurrent requests.
  EXPECT_EQ(server.sizes, (std::vector<std::size_t>{4, 4, 4, 4, 4, 4, 1, 2, 1}));
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

/// Answers every item of a $batch with 200 and the item's url as body, so a client can tell
/// its answers from other mailboxes'.
http::HttpResponse echo_batch(const json& payload) {
  json responses = json::array();
  for (const json& item : payload["requests"]) {
    responses.push_back(
        json{{"id", item["id"]}, {"status", 200}, {"body", {{"url", item["url"]}}}});
  }
  return json_response(200, json{{"responses", responses}}.dump());
}

TEST(GraphClientTest, MailboxesOfOneConnectionShareABatch) {
  int issued = 0;
  std::atomic<bool> first_may_answer{false};
  std::atomic<int> batches{0};
  std::vector<json> payloads(3);
  ScriptedHttp http([&](const http::HttpRequest& request) {
    if (is_token_request(request)) return token_answer(issued);
    const int n = batches++;
    payloads.at(static_cast<std::size_t>(n)) = json::parse(request.body);
    while (n == 0 && !first_may_answer) std::this_thread::yield();
    return echo_batch(payloads.at(static_cast<std::size_t>(n)));
  });
  TokenProvider tokens(http, token_settings());
  (void)tokens.token();
  BatchPipe pipe(20, 1);  // one $batch on the wire: the others' items wait for the next one
  auto client_of = [&](const std::string& mailbox) {
    return std::make_unique<GraphClient>(http, tokens, "http://g.test/v1.0", nullptr, BatchLimits{},
                                         MailboxShare{nullptr, mailbox, &pipe});
  };
  auto ola = client_of("ola");
  auto kari = client_of("kari");
  auto per = client_of("per");
  std::thread first([&] { EXPECT_EQ(ola->get("/users/ola/calendar").status, 200); });
  while (batches == 0) std::this_thread::yield();
  auto four_reads = [](GraphClient& client, const std::string& mailbox) {
    std::vector<BatchRequest> reads;
    for (int i = 0; i < 4; ++i) {
      reads.push_back({"GET", "/users/" + mailbox + "/events/" + std::to_string(i), {}, {}});
    }
    const std::vector<GraphResponse> answers = client.batch(reads);
    for (int i = 0; i < 4; ++i) {
      EXPECT_EQ(answers[static_cast<std::size_t>(i)].body["url"],
                "/users/" + mailbox + "/events/" + std::to_string(i));
    }
  };
  std::thread second([&] { four_reads(*kari, "kari"); });
  std::thread third([&] { four_reads(*per, "per"); });
  while (pipe.waiting() < 2) std::this_thread::yield();
  first_may_answer = true;
  first.join();
  second.join();
  third.join();
  ASSERT_EQ(batches, 2) << "kari's and per's items went out together";
  EXPECT_EQ(payloads[1]["requests"].size(), 8U);
  EXPECT_EQ(ola->requests() + kari->requests() + per->requests(), 2);
}

TEST(GraphClientTest, ANextLinkUnderTheBaseIsReadAsABatchItem) {
  int issued = 0;
  ScriptedHttp http([&](const http::HttpRequest& request) {
    if (is_token_request(request)) return token_answer(issued);
    if (request.url == "http://g.test/v1.0/$batch") return echo_batch(json::parse(request.body));
    return json_response(200, R"({"url":"elsewhere"})");
  });
  TokenProvider tokens(http, token_settings());
  GraphClient client(http, tokens, "http://g.test/v1.0");
  EXPECT_EQ(client.get("http://g.test/v1.0/users/ola/events?$skip=100").body["url"],
            "/users/ola/events?$skip=100");
  EXPECT_EQ(client.get("http://other.test/v1.0/users/ola/events").body["url"], "elsewhere");
}

}  // namespace
}  // namespace plancal::graph
