// The publish step (service/publish): config -> loader -> expander -> store, and the rule
// that an invalid plan never withdraws what was published for it.

#include <gtest/gtest.h>

#include "base/clock.h"
#include "config/config.h"
#include "service/publish.h"
#include "store/published_events.h"
#include "test_support.h"

namespace plancal {
namespace {

constexpr std::int64_t kFirst = 1'700'000'000;

std::string weekly_plan(const std::string& id, const std::string& topic,
                        const std::string& until = "2024-03-27") {
  return "plan: " + id +
         "\n"
         "title: \"Kollegaveiledning\"\n"
         "weekly:\n"
         "  - key: veiledning\n"
         "    title: \"Kollegaveiledning\"\n"
         "    weekday: WE\n"
         "    time: { start: \"13:00\", end: \"14:00\" }\n"
         "    from: 2024-01-03\n"
         "    until: " +
         until +
         "\n"
         "    topic: \"" +
         topic + "\"\n";
}

class StorePublishAllTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("plans/a.yaml", weekly_plan("plan-a", "Første tema"));
    dir_.write("plans/b.yaml", weekly_plan("plan-b", "Tema B"));
    auto opened = StateDatabase::open((dir_.path() / "plancal.db").string());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_.emplace(std::move(*opened));
  }

  Config config(const std::string& plans = "[plans/a.yaml, plans/b.yaml]") {
    auto load = load_config(dir_.write("plancal.yaml", "plans: " + plans + "\n").string());
    EXPECT_TRUE(load.config.has_value());
    return load.config.value_or(Config{});
  }

  testing::TempDir dir_;
  std::optional<PublishedEvents> store_;
  FixedClock clock_{kFirst};
};

TEST_F(StorePublishAllTest, EveryPlanIsPublishedWithItsCounts) {
  const auto report = publish_all(config(), *store_, clock_);
  ASSERT_EQ(report.plans.size(), 2u);
  EXPECT_TRUE(report.all_published());
  EXPECT_EQ(report.plans[0].plan_id, "plan-a");
  EXPECT_EQ(report.plans[0].summary.added, 13);  // 13 Wednesdays, 3 January to 27 March
  EXPECT_EQ(store_->plan_ids(), (std::vector<std::string>{"plan-a", "plan-b"}));
  for (const auto& e : store_->events("plan-a")) EXPECT_EQ(e.revision.dtstamp, kFirst);

  clock_.set(kFirst + 60);
  const auto again = publish_all(config(), *store_, clock_);
  EXPECT_EQ(again.plans[0].summary.unchanged, 13);
  EXPECT_EQ(again.plans[0].summary.changed, 0);
}

TEST_F(StorePublishAllTest, AChangedPlanUpdatesOnlyWhatChanged) {
  (void)publish_all(config(), *store_, clock_);
  dir_.write("plans/a.yaml", weekly_plan("plan-a", "Nytt tema", "2024-03-20"));
  clock_.set(kFirst + 60);
  const auto report = publish_all(config(), *store_, clock_);
  ASSERT_TRUE(report.all_published());
  EXPECT_EQ(report.plans[0].summary.changed, 12);
  EXPECT_EQ(report.plans[0].summary.removed, 1);
  EXPECT_EQ(report.plans[1].summary.unchanged, 13);
}

TEST_F(StorePublishAllTest, AnInvalidPlanKeepsWhatWasPublished) {
  (void)publish_all(config(), *store_, clock_);
  dir_.write("plans/a.yaml", weekly_plan("plan-a", "Nytt tema") + "    colour: red\n");
  clock_.set(kFirst + 60);
  const auto report = publish_all(config(), *store_, clock_);
  EXPECT_FALSE(report.all_published());
  EXPECT_FALSE(report.plans[0].published);
  ASSERT_TRUE(report.plans[0].diagnostics.has_errors());
  const auto& error = report.plans[0].diagnostics.all().front();
  EXPECT_EQ(error.where.line, 11) << format_diagnostic(error);
  EXPECT_TRUE(report.plans[1].published) << "the other plans are still published";

  const auto events = store_->events("plan-a");
  ASSERT_EQ(events.size(), 13u);
  for (const auto& e : events) {
    EXPECT_FALSE(e.removed);
    EXPECT_EQ(e.revision.sequence, 0);
    EXPECT_NE(e.occurrence.description.find("Første tema"), std::string::npos);
  }
}

TEST_F(StorePublishAllTest, AMissingPlanFileIsReportedAndOthersGoOn) {
  const auto report = publish_all(config("[plans/gone.yaml, plans/b.yaml]"), *store_, clock_);
  ASSERT_EQ(report.plans.size(), 2u);
  EXPECT_FALSE(report.plans[0].published);
  EXPECT_TRUE(report.plans[0].diagnostics.has_errors());
  EXPECT_TRUE(report.plans[1].published);
}

TEST_F(StorePublishAllTest, TwoFilesWithTheSamePlanIdAreRefused) {
  dir_.write("plans/copy.yaml", weekly_plan("plan-a", "Kopi"));
  const auto report = publish_all(config("[plans/a.yaml, plans/copy.yaml]"), *store_, clock_);
  EXPECT_TRUE(report.plans[0].published);
  EXPECT_FALSE(report.plans[1].published);
  EXPECT_NE(report.plans[1].error.find("same plan id 'plan-a'"), std::string::npos);
  for (const auto& e : store_->events("plan-a")) {
    EXPECT_NE(e.occurrence.description.find("Første tema"), std::string::npos);
  }
}

}  // namespace
}  // namespace plancal
