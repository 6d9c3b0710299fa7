// The feed runtime over a real state store: when a read fails part-way, no feed is built
// from what could be read; every feed stays at its last good version and /healthz says why.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "feed/feed_runtime.h"
#include "store/feed_tokens.h"
#include "store/published_events.h"
#include "store_test_fixtures.h"
#include "test_support.h"

namespace plancal::feed {
namespace {

using testing::TempDir;

constexpr std::int64_t kNow = 1704067200;

/// Runs one statement through a connection of its own (another process, as far as the
/// runtime's connections can tell).
void execute_elsewhere(const std::filesystem::path& database, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(database.c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  const std::string error = message != nullptr ? message : "";
  sqlite3_free(message);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << error;
}

struct FeedRuntimeTest : ::testing::Test {
  TempDir dir;
  std::filesystem::path database = dir.path() / "plancal.db";
  Plan plan = testing::store_test_plan();
  std::optional<StateDatabase> store;
  std::optional<StateDatabase> request_store;
  std::optional<FeedRuntime> runtime;
  std::string secret;
  std::int64_t token_id = 0;

  void SetUp() override {
    plan.teams = {{"A", "Team A", {}}, {"B", "Team B", {}}, {"C", "Team C", {}}};
    auto opened = StateDatabase::open(database.string());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store.emplace(std::move(*opened));
    auto second = StateDatabase::open(database.string());
    ASSERT_TRUE(second.ok());
    request_store.emplace(std::move(*second));
    PublishedEvents published(*store);
    ASSERT_TRUE(published.publish(plan, testing::store_test_occurrences(plan.id), kNow).ok());
    FeedTokens tokens(*store);
    auto token = tokens.create_token(plan.id, "team:A", "", kNow);
    ASSERT_TRUE(token.ok());
    secret = token->secret;
    token_id = token->info.id;
    runtime.emplace(*store, *request_store, CatalogSettings{}, std::function<void()>{});
  }

  [[nodiscard]] httpd::HttpResponse get(const std::string& path) const {
    httpd::HttpRequest request;
    request.method = "GET";
    request.path = path;
    return runtime->handler().handle(request);
  }
};

TEST_F(FeedRuntimeTest, AnUnreadableEventKeepsTheLastGoodFeed) {
  ASSERT_FALSE(runtime->rebuild({&plan}, kNow).held);
  const auto good = get("/feeds/" + secret + ".ics");
  ASSERT_EQ(good.status, 200);
  const std::string good_body(good.payload());
  EXPECT_EQ(get("/healthz").status, 200);

  // One of team A's two events becomes unreadable (a garbled row), and the plan changes,
  // so a rebuild would render the feed anew: with one event, were it allowed to.
  execute_elsewhere(database, "UPDATE events SET occurrence_json = '{\"garbled' WHERE uid = '" +
                                  plan.id + ".mandagsseminar.1.team-A.A@plancal'");
  const auto report = runtime->rebuild({&plan}, kNow + 60);
  ASSERT_TRUE(report.held);
  EXPECT_EQ(report.rendered, 0U);

  const auto held = get("/feeds/" + secret + ".ics");
  EXPECT_EQ(held.status, 200);
  EXPECT_EQ(held.payload(), good_body);
  EXPECT_EQ(runtime->catalog().current()->find(token_id)->feed->event_count, 2U);
  const auto health = get("/healthz");
  EXPECT_EQ(health.status, 503);
  EXPECT_NE(health.payload().find("held at their last good version"), std::string_view::npos)
      << health.payload();
  EXPECT_EQ(runtime->held_reason(), report.held);

  // Repaired (restored from a backup, say): the next rebuild is used, /healthz is ok again.
  execute_elsewhere(database, "DELETE FROM events WHERE occurrence_json = '{\"garbled'");
  EXPECT_FALSE(runtime->rebuild({&plan}, kNow + 120).held);
  EXPECT_EQ(get("/healthz").status, 200);
  EXPECT_FALSE(runtime->held_reason());
}

}  // namespace
}  // namespace plancal::feed
