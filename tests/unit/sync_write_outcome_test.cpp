// One classification of the answers to writes (sync/write_outcome.h): the table itself, and
// both adapters reading the same HTTP answer the same way, so CalDAV and Microsoft Graph
// targets behave alike when a server refuses, throttles or has lost an event.

#include "sync/write_outcome.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>

#include "sync/caldav_calendar.h"
#include "sync/graph_calendar.h"
#include "test_doubles.h"

namespace plancal::sync {
namespace {

using nlohmann::json;
using testing::json_response;
using testing::RecordingSleeper;
using testing::ScriptedHttp;

TEST(SyncWriteOutcomeTest, TheTable) {
  using K = OperationKind;
  EXPECT_EQ(write_outcome(K::Create, 201), Outcome::Done);
  EXPECT_EQ(write_outcome(K::Delete, 204), Outcome::Done);
  EXPECT_EQ(write_outcome(K::Update, 0), Outcome::Failed) << "no answer";
  for (const int status : {408, 429, 500, 501, 502, 503, 504, 505}) {
    EXPECT_EQ(write_outcome(K::Update, status), Outcome::Failed) << status;
  }
  EXPECT_EQ(write_outcome(K::Update, 401), Outcome::Unauthorized);
  EXPECT_EQ(write_outcome(K::Update, 403), Outcome::Unauthorized);
  EXPECT_EQ(write_outcome(K::Delete, 404), Outcome::NotFound) << "already gone";
  EXPECT_EQ(write_outcome(K::Update, 410), Outcome::NotFound);
  EXPECT_EQ(write_outcome(K::Create, 412), Outcome::Exists);
  EXPECT_EQ(write_outcome(K::Update, 412), Outcome::Conflict);
  for (const int status : {400, 409, 413, 415, 422, 507}) {
    EXPECT_EQ(write_outcome(K::Create, status), Outcome::Rejected) << status;
  }
  // What the body says wins over the status.
  EXPECT_EQ(write_outcome(K::Create, 403, Refusal::Exists), Outcome::Exists);
  EXPECT_EQ(write_outcome(K::Update, 409, Refusal::Exists), Outcome::Conflict);
  EXPECT_EQ(write_outcome(K::Create, 403, Refusal::Event), Outcome::Rejected);
  EXPECT_EQ(write_outcome(K::Create, 400, Refusal::Access), Outcome::Unauthorized);
}

/// One meeting, enough for both adapters to render it.
Occurrence meeting() {
  Occurrence occurrence;
  occurrence.uid = "a@plancal";
  occurrence.plan_id = "p";
  occurrence.summary = "Fagmøte";
  occurrence.start = LocalDateTime{Date{2025, 3, 10}, TimeOfDay{9, 0}};
  occurrence.end = LocalDateTime{Date{2025, 3, 10}, TimeOfDay{10, 0}};
  occurrence.timezone = "Europe/Oslo";
  return occurrence;
}

/// The outcome the CalDAV adapter gives for a write answered with `status`.
Outcome caldav_outcome(OperationKind kind, int status) {
  auto http = std::make_unique<ScriptedHttp>([status](const http::HttpRequest&) {
    return http::HttpResponse{status, {}, {}};
  });
  CaldavCalendarOptions options;
  options.url = "http://dav.test/cal/";
  options.render.timezone = "Europe/Oslo";
  CaldavCalendar calendar(std::move(http), options);
  EXPECT_TRUE(calendar.prepare("/cal/"));
  const Occurrence occurrence = meeting();
  const DesiredEvent desired{occurrence.uid, "h", &occurrence, {}};
  const Operation op{
      kind, kind == OperationKind::Delete ? nullptr : &desired,
      RemoteEvent{"/cal/a.ics", kind == OperationKind::Create ? "" : "\"v1\"", occurrence.uid, {}}};
  return calendar.apply({op}).at(0).outcome;
}

/// The outcome the Graph adapter gives for a write whose batch item is answered `status`.
Outcome graph_outcome(OperationKind kind, int status) {
  auto http = std::make_shared<ScriptedHttp>([status](const http::HttpRequest& request) {
    if (request.url.find("/oauth2/v2.0/token") != std::string::npos) {
      return json_response(200, R"({"expires_in":3599,"access_token":"tok"})");
    }
    const json batch = json::parse(request.body);
    json answers = json::array();
    for (const json& item : batch["requests"]) {
      answers.push_back(json{{"id", item["id"]}, {"status", status}, {"body", json::object()}});
    }
    return json_response(200, json{{"responses", answers}}.dump());
  });
  graph::TokenSettings token;
  token.login_base = "http://g.test";
  token.tenant = "t";
  token.client_id = "c";
  token.client_secret = Secret("x");
  RecordingSleeper sleeper;
  GraphConnection connection{http, std::make_shared<graph::TokenProvider>(*http, token),
                             "http://g.test/v1.0", &sleeper};
  GraphCalendar calendar(connection, GraphMailbox{"ola@example.no", "", false});
  EXPECT_TRUE(calendar.prepare(""));
  const Occurrence occurrence = meeting();
  const DesiredEvent desired{occurrence.uid, "h", &occurrence, {}};
  const Operation op{kind, kind == OperationKind::Delete ? nullptr : &desired,
                     RemoteEvent{kind == OperationKind::Create ? "" : "ev-1",
                                 kind == OperationKind::Create ? "" : "W/\"1\"",
                                 occurrence.uid,
                                 {}}};
  return calendar.apply({op}).at(0).outcome;
}

TEST(SyncWriteOutcomeTest, CaldavAndGraphReadTheSameAnswerTheSameWay) {
  for (const OperationKind kind :
       {OperationKind::Create, OperationKind::Update, OperationKind::Delete}) {
    for (const int status : {201, 204, 400, 401, 403, 404, 410, 412, 429, 500, 501, 503, 507}) {
      if (kind == OperationKind::Create && (status == 404 || status == 410)) continue;
      SCOPED_TRACE("kind " + std::to_string(static_cast<int>(kind)) + ", HTTP " +
                   std::to_string(status));
      EXPECT_EQ(caldav_outcome(kind, status), write_outcome(kind, status));
      EXPECT_EQ(graph_outcome(kind, status), write_outcome(kind, status));
    }
  }
}

TEST(SyncWriteOutcomeTest, EachProtocolsOwnWordsForATakenUidOrVersion) {
  // CalDAV: a 403 naming CALDAV:no-uid-conflict is "exists", not an access problem.
  auto http = std::make_unique<ScriptedHttp>();
  http->then(403,
             R"(<d:error xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">)"
             R"(<c:no-uid-conflict><d:href>/cal/other.ics</d:href></c:no-uid-conflict></d:error>)",
             http::Headers{{"Content-Type", "application/xml"}});
  CaldavCalendarOptions options;
  options.url = "http://dav.test/cal/";
  options.render.timezone = "Europe/Oslo";
  CaldavCalendar calendar(std::move(http), options);
  ASSERT_TRUE(calendar.prepare("/cal/"));
  const Occurrence occurrence = meeting();
  const DesiredEvent desired{occurrence.uid, "h", &occurrence, {}};
  const WriteResult created = calendar.apply(
      {Operation{OperationKind::Create, &desired, RemoteEvent{"/cal/a.ics", "", "a", {}}}})[0];
  EXPECT_EQ(created.outcome, Outcome::Exists);
  EXPECT_EQ(created.event.ref, "/cal/other.ics");

  // Graph: 409 is a change that conflicts with the event's current state.
  EXPECT_EQ(graph_outcome(OperationKind::Update, 409), Outcome::Conflict);
  EXPECT_EQ(caldav_outcome(OperationKind::Update, 409), Outcome::Rejected)
      << "CalDAV's 409 means a missing parent collection (RFC 4918)";
}

}  // namespace
}  // namespace plancal::sync
