// Change detection: what a publish does to SEQUENCE, DTSTAMP and LAST-MODIFIED, so calendar
// clients see updates as updates and nothing at all when nothing changed.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "ical/render.h"
#include "store/occurrence_codec.h"
#include "store/published_events.h"
#include "store_test_fixtures.h"
#include "test_support.h"

namespace plancal {
namespace {

using testing::store_test_occurrence;
using testing::store_test_occurrences;
using testing::store_test_plan;

constexpr std::int64_t kFirst = 1'700'000'000;
constexpr std::int64_t kLater = kFirst + 3600;
constexpr std::int64_t kLatest = kFirst + 7200;

class StorePublishTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = StateDatabase::open((dir_.path() / "plancal.db").string());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_.emplace(std::move(*opened));
  }

  PublishSummary publish(const std::vector<Occurrence>& occurrences, std::int64_t now,
                         const Plan& plan = store_test_plan()) {
    auto summary = store_->publish(plan, occurrences, now);
    EXPECT_TRUE(summary.ok()) << summary.error().message;
    return summary.ok() ? *summary : PublishSummary{};
  }

  const StoredEvent& event(const std::string& uid) {
    events_ = store_->events(plan_.id);
    const auto found = std::find_if(events_.begin(), events_.end(),
                                    [&](const StoredEvent& e) { return e.occurrence.uid == uid; });
    if (found == events_.end()) throw std::runtime_error("no event " + uid);
    return *found;
  }

  testing::TempDir dir_;
  std::optional<PublishedEvents> store_;
  Plan plan_ = store_test_plan();
  std::vector<StoredEvent> events_;
};

void expect_counts(const PublishSummary& s, int added, int changed, int removed, int unchanged) {
  EXPECT_EQ(s.added, added);
  EXPECT_EQ(s.changed, changed);
  EXPECT_EQ(s.removed, removed);
  EXPECT_EQ(s.unchanged, unchanged);
}

TEST_F(StorePublishTest, FirstPublishAddsEverythingAtSequenceZero) {
  expect_counts(publish(store_test_occurrences(plan_.id), kFirst), 6, 0, 0, 0);
  const auto events = store_->events(plan_.id);
  ASSERT_EQ(events.size(), 6u);
  for (const auto& e : events) {
    EXPECT_EQ(e.revision.sequence, 0);
    EXPECT_EQ(e.revision.dtstamp, kFirst);
    EXPECT_EQ(e.revision.last_modified, kFirst);
    EXPECT_FALSE(e.revision.cancelled);
    EXPECT_FALSE(e.removed);
    EXPECT_EQ(e.content_hash.size(), 64u);
  }
  EXPECT_EQ(store_->plan_ids(), std::vector<std::string>{plan_.id});
  const auto info = store_->plan_info(plan_.id);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->calendar_name, "Mandagsseminar");
  EXPECT_EQ(info->timezone, "Europe/Oslo");
  EXPECT_EQ(info->published_at, kFirst);
  EXPECT_FALSE(store_->plan_info("unknown").has_value());
}

TEST_F(StorePublishTest, EventsComeSortedByStartThenUid) {
  publish(store_test_occurrences(plan_.id), kFirst);
  const auto events = store_->events(plan_.id);
  for (std::size_t i = 1; i < events.size(); ++i) {
    const auto& a = events[i - 1].occurrence;
    const auto& b = events[i].occurrence;
    EXPECT_TRUE(a.start < b.start || (a.start == b.start && a.uid < b.uid));
  }
  EXPECT_EQ(events.front().occurrence.start.date, (Date{2024, 1, 5}));
}

TEST_F(StorePublishTest, RepublishingTheSamePlanChangesNothing) {
  const auto occurrences = store_test_occurrences(plan_.id);
  publish(occurrences, kFirst);
  const auto before = store_->events(plan_.id);
  expect_counts(publish(occurrences, kLater), 0, 0, 0, 6);
  const auto after = store_->events(plan_.id);
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].revision.sequence, before[i].revision.sequence);
    EXPECT_EQ(after[i].revision.dtstamp, kFirst);
    EXPECT_EQ(after[i].revision.last_modified, kFirst);
    EXPECT_EQ(after[i].content_hash, before[i].content_hash);
  }
}

TEST_F(StorePublishTest, UnchangedEventsRenderByteIdentically) {
  const auto occurrences = store_test_occurrences(plan_.id);
  const auto render = [&] {
    const auto events = store_->events(plan_.id);
    std::vector<EventToRender> to_render;
    for (const auto& e : events) to_render.push_back({&e.occurrence, e.revision});
    CalendarOptions options;
    options.name = "Mandagsseminar";
    return render_calendar(options, to_render);
  };
  publish(occurrences, kFirst);
  const std::string first = render();
  publish(occurrences, kLater);
  EXPECT_EQ(render(), first);
}

TEST_F(StorePublishTest, AContentChangeBumpsSequenceAndStamps) {
  auto occurrences = store_test_occurrences(plan_.id);
  publish(occurrences, kFirst);
  occurrences[2] = store_test_occurrence(plan_.id, 1, "C", 22, "Ungdomshjernen");
  expect_counts(publish(occurrences, kLater), 0, 1, 0, 5);

  const auto& changed = event(occurrences[2].uid);
  EXPECT_EQ(changed.revision.sequence, 1);
  EXPECT_EQ(changed.revision.dtstamp, kLater);
  EXPECT_EQ(changed.revision.last_modified, kLater);
  EXPECT_EQ(changed.occurrence.summary, "Mandagsseminar 1: Ungdomshjernen");

  const auto& untouched = event(occurrences[0].uid);
  EXPECT_EQ(untouched.revision.sequence, 0);
  EXPECT_EQ(untouched.revision.dtstamp, kFirst);

  occurrences[2].location = "Kantina";
  expect_counts(publish(occurrences, kLatest), 0, 1, 0, 5);
  EXPECT_EQ(event(occurrences[2].uid).revision.sequence, 2);
}

TEST_F(StorePublishTest, EveryVisibleFieldCountsAsAChange) {
  const auto base = store_test_occurrence(plan_.id, 1, "A", 15);
  const auto hash = content_hash(base);
  std::vector<std::function<void(Occurrence&)>> edits = {
      [](Occurrence& o) { o.summary += "!"; },
      [](Occurrence& o) { o.description += "Endring: flyttet\n"; },
      [](Occurrence& o) { o.location = "Kantina"; },
      [](Occurrence& o) { o.url = "https://teams.example/x"; },
      [](Occurrence& o) { o.start.time.hour = 10; },
      [](Occurrence& o) {
        o.end.time = {13, 0};
      },
      [](Occurrence& o) { o.all_day = true; },
      [](Occurrence& o) { o.timezone = "Europe/Stockholm"; },
      [](Occurrence& o) { o.status = OccurrenceStatus::Cancelled; },
      [](Occurrence& o) { o.kind = OccurrenceKind::Deadline; },
      [](Occurrence& o) { o.categories.push_back("Obligatorisk"); },
      [](Occurrence& o) { o.audience = "all"; },
  };
  for (std::size_t i = 0; i < edits.size(); ++i) {
    Occurrence edited = base;
    edits[i](edited);
    EXPECT_NE(content_hash(edited), hash) << "edit " << i;
  }
  Occurrence moved_in_file = base;
  moved_in_file.where = {"other.yaml", 99, 1};
  EXPECT_EQ(content_hash(moved_in_file), hash);
}

TEST_F(StorePublishTest, ReorderingThePlanChangesNothing) {
  auto occurrences = store_test_occurrences(plan_.id);
  publish(occurrences, kFirst);
  std::reverse(occurrences.begin(), occurrences.end());
  for (auto& o : occurrences) o.where.line += 40;  // the meetings moved down in the file
  expect_counts(publish(occurrences, kLater), 0, 0, 0, 6);
  for (const auto& e : store_->events(plan_.id)) {
    EXPECT_EQ(e.revision.sequence, 0);
    EXPECT_EQ(e.revision.last_modified, kFirst);
    EXPECT_GT(e.occurrence.where.line, 40) << "the stored source line is refreshed";
  }
}

TEST_F(StorePublishTest, ADateMoveKeepsTheUidAndBumpsTheSequence) {
  auto occurrences = store_test_occurrences(plan_.id);
  publish(occurrences, kFirst);
  const std::string uid = occurrences[1].uid;
  occurrences[1] = store_test_occurrence(plan_.id, 1, "B", 9);  // moved from 8 to 9 January
  ASSERT_EQ(occurrences[1].uid, uid);
  expect_counts(publish(occurrences, kLater), 0, 1, 0, 5);
  const auto& moved = event(uid);
  EXPECT_EQ(moved.occurrence.start.date, (Date{2024, 1, 9}));
  EXPECT_EQ(moved.revision.sequence, 1);
  EXPECT_EQ(moved.revision.last_modified, kLater);
  EXPECT_EQ(store_->events(plan_.id).size(), 6u);
}

TEST_F(StorePublishTest, AChangedEventKeepsTheVersionSubscribersFirstGot) {
  auto occurrences = store_test_occurrences(plan_.id);
  publish(occurrences, kFirst);
  const std::string uid = occurrences[1].uid;
  EXPECT_FALSE(event(uid).first_published.has_value()) << "never changed: nothing to compare";

  occurrences[1] = store_test_occurrence(plan_.id, 1, "B", 9);
  publish(occurrences, kLater);
  ASSERT_TRUE(event(uid).first_published.has_value());
  EXPECT_EQ(event(uid).first_published->start.date, (Date{2024, 1, 8}));

  occurrences[1] = store_test_occurrence(plan_.id, 1, "B", 10);  // moved once more
  publish(occurrences, kLatest);
  EXPECT_EQ(event(uid).occurrence.start.date, (Date{2024, 1, 10}));
  EXPECT_EQ(event(uid).first_published->start.date, (Date{2024, 1, 8}))
      << "a page says 'Flyttet fra' the first date, not the one in between";
  EXPECT_FALSE(event(occurrences[0].uid).first_published.has_value());
}

TEST_F(StorePublishTest, ARemovedEventIsKeptAsHistory) {
  auto occurrences = store_test_occurrences(plan_.id);
  publish(occurrences, kFirst);
  const Occurrence gone = occurrences.back();
  occurrences.pop_back();
  expect_counts(publish(occurrences, kLater), 0, 0, 1, 5);

  const auto& removed = event(gone.uid);
  EXPECT_TRUE(removed.removed);
  EXPECT_EQ(removed.removed_at, kLater);
  EXPECT_EQ(removed.revision.sequence, 1);
  EXPECT_EQ(removed.revision.last_modified, kLater);
  EXPECT_TRUE(removed.revision.cancelled);
  EXPECT_EQ(removed.occurrence.summary, gone.summary) << "the last version stays readable";
  EXPECT_EQ(removed.occurrence.content.agenda.size(), 1u);

  expect_counts(publish(occurrences, kLatest), 0, 0, 0, 5);
  EXPECT_EQ(event(gone.uid).revision.sequence, 1) << "removing twice is still one removal";
  EXPECT_EQ(event(gone.uid).removed_at, kLater);
}

TEST_F(StorePublishTest, AClockSetBackNeverMovesLastModifiedBackwards) {
  auto occurrences = store_test_occurrences(plan_.id);
  publish(occurrences, kLater);
  occurrences[0].summary = "Endret";
  const Occurrence gone = occurrences.back();
  occurrences.pop_back();
  expect_counts(publish(occurrences, kFirst), 0, 1, 1, 4);
  EXPECT_EQ(event(occurrences[0].uid).revision.last_modified, kLater);
  EXPECT_EQ(event(occurrences[0].uid).revision.sequence, 1);
  EXPECT_EQ(event(gone.uid).revision.last_modified, kLater);
}

TEST_F(StorePublishTest, AnEventThatComesBackIsActiveAgainWithAHigherSequence) {
  auto occurrences = store_test_occurrences(plan_.id);
  publish(occurrences, kFirst);
  const Occurrence gone = occurrences.back();
  occurrences.pop_back();
  publish(occurrences, kLater);
  occurrences.push_back(gone);
  expect_counts(publish(occurrences, kLatest), 1, 0, 0, 5);
  const auto& back = event(gone.uid);
  EXPECT_FALSE(back.removed);
  EXPECT_EQ(back.removed_at, 0);
  EXPECT_FALSE(back.revision.cancelled);
  EXPECT_EQ(back.revision.sequence, 2);
  EXPECT_EQ(back.revision.dtstamp, kLatest);
}

TEST_F(StorePublishTest, PublishingOnePlanLeavesOtherPlansAlone) {
  const Plan other = store_test_plan("dybdemoter-2021");
  publish(store_test_occurrences(plan_.id), kFirst);
  expect_counts(publish(store_test_occurrences(other.id), kLater, other), 6, 0, 0, 0);
  expect_counts(publish({}, kLatest, other), 0, 0, 6, 0);
  for (const auto& e : store_->events(plan_.id)) EXPECT_FALSE(e.removed);
  EXPECT_EQ(store_->plan_ids(), (std::vector<std::string>{"dybdemoter-2021", plan_.id}));
}

TEST_F(StorePublishTest, AFailingPublishLeavesThePreviousState) {
  auto occurrences = store_test_occurrences(plan_.id);
  publish(occurrences, kFirst);
  const auto before = store_->events(plan_.id);

  auto broken = occurrences;
  broken[0] = store_test_occurrence(plan_.id, 1, "A", 16, "Nytt tema");  // would be a change
  broken.pop_back();                                                     // would be a removal
  broken.push_back(store_test_occurrence(plan_.id, 3, "A", 30));         // would be an addition
  broken.push_back(broken[1]);                                           // a duplicate UID: fails
  auto failed = store_->publish(plan_, broken, kLater);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("nothing changed"), std::string::npos);
  EXPECT_NE(failed.error().message.find(broken[1].uid), std::string::npos);

  const auto after = store_->events(plan_.id);
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].occurrence.uid, before[i].occurrence.uid);
    EXPECT_EQ(after[i].content_hash, before[i].content_hash);
    EXPECT_EQ(after[i].revision.sequence, before[i].revision.sequence);
    EXPECT_EQ(after[i].removed, before[i].removed);
  }
  EXPECT_EQ(store_->plan_info(plan_.id)->published_at, kFirst);
  expect_counts(publish(occurrences, kLatest), 0, 0, 0, 6);
}

TEST_F(StorePublishTest, SeveralPlansPublishTogetherOrNotAtAll) {
  const Plan other = store_test_plan("dybdemoter-2021");
  const auto ours = store_test_occurrences(plan_.id);
  const auto theirs = store_test_occurrences(other.id);
  auto together = store_->publish({{&plan_, &ours}, {&other, &theirs}}, kFirst);
  ASSERT_TRUE(together.ok()) << together.error().message;
  ASSERT_EQ(together->size(), 2u);
  expect_counts((*together)[0], 6, 0, 0, 0);
  expect_counts((*together)[1], 6, 0, 0, 0);

  // The first plan's change would apply, but the second plan is broken: neither lands.
  auto changed = ours;
  changed[0] = store_test_occurrence(plan_.id, 1, "A", 16, "Nytt tema");
  auto broken = theirs;
  broken.push_back(broken[0]);  // a duplicate UID
  auto failed = store_->publish({{&plan_, &changed}, {&other, &broken}}, kLater);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(event(ours[0].uid).revision.sequence, 0);
  EXPECT_EQ(event(ours[0].uid).occurrence.start.date.day, 15);
  EXPECT_EQ(store_->plan_info(plan_.id)->published_at, kFirst);
}

TEST_F(StorePublishTest, AnOccurrenceOfAnotherPlanIsRefused) {
  auto occurrences = store_test_occurrences(plan_.id);
  occurrences.push_back(store_test_occurrence("another-plan", 1, "A", 15));
  auto failed = store_->publish(plan_, occurrences, kFirst);
  ASSERT_FALSE(failed.ok());
  EXPECT_TRUE(store_->events(plan_.id).empty());
  EXPECT_TRUE(store_->plan_ids().empty());
}

TEST_F(StorePublishTest, TheWholeOccurrenceSurvivesTheRoundTrip) {
  Occurrence o = store_test_occurrence(plan_.id, 4, "B", 19, "Omsorgstretthet – «sitat»");
  o.url = "https://teams.example/meet";
  o.content.online = OnlineMeeting{"teams", "https://teams.example/meet"};
  o.content.notes = "Ta med kaffe\nog boller";
  o.kind = OccurrenceKind::Deadline;
  o.status = OccurrenceStatus::Cancelled;
  o.all_day = true;
  publish({o}, kFirst);
  const auto& stored = event(o.uid).occurrence;
  EXPECT_EQ(encode_occurrence(stored), encode_occurrence(o));
  EXPECT_EQ(stored.content.online->url, "https://teams.example/meet");
  EXPECT_EQ(stored.where.line, o.where.line);
  EXPECT_EQ(stored.content.agenda.at(0).time, (TimeOfDay{9, 0}));
}

TEST(StoreOccurrenceCodecTest, UnreadableJsonIsAnError) {
  EXPECT_FALSE(decode_occurrence("{not json").ok());
  EXPECT_FALSE(decode_occurrence("{\"uid\": 3}").ok());
}

}  // namespace
}  // namespace plancal
