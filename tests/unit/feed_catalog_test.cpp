// The feed catalog: which events each feed shows, and when its bytes and validators change.

#include <gtest/gtest.h>

#include <algorithm>

#include "expand/audience.h"
#include "feed/catalog.h"
#include "httpd/gzip.h"
#include "ical/render.h"

namespace plancal::feed {
namespace {

using httpd::gzip_decompress;

constexpr std::int64_t kPublished = 1704067200;  // 2024-01-01T00:00:00Z
constexpr std::int64_t kDay = 86400;

Plan test_plan() {
  Plan plan;
  plan.id = "seminar";
  plan.title = "Seminar 2024";
  plan.calendar_name = "Mandagsseminar 2024";
  plan.teams = {{"A", "Team A", {}}, {"B", "Team B", {}}};
  plan.roles = {{"leder", "Ledere", {}}};
  Person kari;
  kari.id = "kari";
  kari.name = "Kari Nordmann";
  kari.team = "A";
  kari.roles = {"leder"};
  Person ola;
  ola.id = "ola";
  ola.name = "Ola";
  ola.team = "B";
  plan.roster = {kari, ola};
  return plan;
}

StoredEvent event(const std::string& key, const std::string& audience, Date date) {
  StoredEvent stored;
  Occurrence& o = stored.occurrence;
  o.uid = "seminar." + key + "@plancal";
  o.plan_id = "seminar";
  o.audience = audience;
  o.summary = "Møte " + key;
  o.location = "Undervisningsbrakka";
  o.start = {date, {9, 0}};
  o.end = {date, {12, 0}};
  o.timezone = "Europe/Oslo";
  stored.revision = {0, kPublished, kPublished, false};
  stored.content_hash = "hash-" + key;
  return stored;
}

/// One plan, a few events for different audiences, and a token per feed under test.
struct Fixture {
  Plan plan = test_plan();
  std::vector<StoredEvent> events{
      event("1A", "team:A", {2024, 1, 15}),       event("1B", "team:B", {2024, 1, 8}),
      event("all", "all", {2024, 2, 1}),          event("lead", "role:leder", {2024, 3, 1}),
      event("kari", "person:kari", {2024, 4, 1}), event("ola", "person:ola", {2024, 4, 2}),
  };
  std::vector<FeedToken> tokens{
      {1, "seminar", "team:A", "", kPublished, {}, {}, {}},
      {2, "seminar", "person:kari", "", kPublished, {}, {}, {}},
      {3, "seminar", "all", "", kPublished, {}, {}, {}},
      {4, "seminar", "team:A", "second device", kPublished, {}, {}, {}},
  };
  CatalogSettings settings;

  std::shared_ptr<const CatalogSnapshot> build(std::int64_t now,
                                               const CatalogSnapshot* previous = nullptr,
                                               BuildReport* report_out = nullptr) const {
    CatalogSource source;
    source.plans = {&plan};
    source.events_by_plan["seminar"] = events;
    source.tokens = tokens;
    BuildReport report;
    auto snapshot = build_catalog(source, settings, now, previous, report, 2);
    if (report_out != nullptr) *report_out = report;
    return snapshot;
  }

  StoredEvent& find(const std::string& key) {
    for (auto& e : events) {
      if (e.occurrence.uid == "seminar." + key + "@plancal") return e;
    }
    throw std::runtime_error("no event " + key);
  }
};

std::string body_of(const CatalogSnapshot& snapshot, const std::string& feed_id) {
  const auto feed = snapshot.feed(feed_id);
  if (!feed) throw std::runtime_error("no feed " + feed_id);
  return feed->body.text();
}

bool shows(const CatalogSnapshot& snapshot, const std::string& feed_id, const std::string& key) {
  return body_of(snapshot, feed_id).find("UID:seminar." + key + "@plancal") != std::string::npos;
}

TEST(FeedCatalogTest, BuildsOneFeedPerPlanAndAudienceSharedByItsTokens) {
  Fixture f;
  const auto snapshot = f.build(kPublished);
  // The tokens' three feeds, and team B's, which the plan's `all` token reaches too
  // (/feeds/<token>/B.ics, for the year overview's buttons per team).
  EXPECT_EQ(snapshot->feeds().size(), 4U);
  EXPECT_NE(snapshot->feed("seminar/team:B"), nullptr);
  ASSERT_NE(snapshot->find(1), nullptr);
  ASSERT_NE(snapshot->find(4), nullptr);
  EXPECT_EQ(snapshot->find(1)->feed, snapshot->find(4)->feed);
  EXPECT_EQ(snapshot->find(1)->feed->feed_id, "seminar/team:A");
  EXPECT_EQ(snapshot->find(99), nullptr);
}

TEST(FeedCatalogTest, TeamFeedShowsTeamAndEveryoneOnly) {
  Fixture f;
  const auto snapshot = f.build(kPublished);
  EXPECT_TRUE(shows(*snapshot, "seminar/team:A", "1A"));
  EXPECT_TRUE(shows(*snapshot, "seminar/team:A", "all"));
  EXPECT_FALSE(shows(*snapshot, "seminar/team:A", "1B"));
  EXPECT_FALSE(shows(*snapshot, "seminar/team:A", "lead"));
  EXPECT_FALSE(shows(*snapshot, "seminar/team:A", "kari"));
  EXPECT_EQ(snapshot->feed("seminar/team:A")->event_count, 2U);
  EXPECT_EQ(snapshot->feed("seminar/all")->event_count, 6U);
}

TEST(FeedCatalogTest, PersonFeedShowsTeamRolesOwnAndEveryone) {
  Fixture f;
  const auto snapshot = f.build(kPublished);
  for (const auto* key : {"1A", "all", "lead", "kari"}) {
    EXPECT_TRUE(shows(*snapshot, "seminar/person:kari", key)) << key;
  }
  EXPECT_FALSE(shows(*snapshot, "seminar/person:kari", "1B"));
  EXPECT_FALSE(shows(*snapshot, "seminar/person:kari", "ola"));
  EXPECT_NE(body_of(*snapshot, "seminar/person:kari").find("Mandagsseminar 2024 – Kari Nordmann"),
            std::string::npos);
  EXPECT_NE(body_of(*snapshot, "seminar/team:A").find("X-WR-CALNAME:Mandagsseminar 2024 – Team A"),
            std::string::npos);
}

TEST(FeedCatalogTest, SameInputGivesSameBytesAndEtag) {
  Fixture f;
  const auto first = f.build(kPublished);
  const auto second = f.build(kPublished + 3600);
  const auto& a = first->feed("seminar/team:A")->body;
  const auto& b = second->feed("seminar/team:A")->body;
  EXPECT_EQ(a.text(), b.text());
  EXPECT_EQ(a.gzip(), b.gzip());
  EXPECT_EQ(a.etag, b.etag);
  EXPECT_EQ(gzip_decompress(a.gzip()), a.text());
  EXPECT_EQ(a.etag.size(), 34U);
  EXPECT_EQ(a.etag.front(), '"');
  EXPECT_NE(a.etag, a.gzip_etag);
}

TEST(FeedCatalogTest, AFeedKeptInPiecesReadsExactlyAsTheCalendarRenderedWhole) {
  Fixture f;
  const auto snapshot = f.build(kPublished);
  const auto feed = snapshot->feed("seminar/all");
  ASSERT_NE(feed, nullptr);
  std::vector<EventToRender> events;
  for (const auto& e : f.events) {
    events.push_back({&e.occurrence, e.revision});
  }
  std::sort(events.begin(), events.end(), [](const EventToRender& a, const EventToRender& b) {
    if (a.occurrence->start != b.occurrence->start)
      return a.occurrence->start < b.occurrence->start;
    return a.occurrence->uid < b.occurrence->uid;
  });
  CalendarOptions options;
  options.name = calendar_name_for(f.plan, "all");
  options.timezone = f.plan.timezone;
  options.refresh_minutes = f.settings.refresh_minutes;
  EXPECT_EQ(feed->body.text(), render_calendar(options, events));
  EXPECT_GT(feed->body.pieces().size(), 2U);
  EXPECT_EQ(feed->body.size, feed->body.text().size());
}

TEST(FeedCatalogTest, FeedsShowingTheSameMeetingHoldItsBytesOnce) {
  Fixture f;
  const auto snapshot = f.build(kPublished);
  const auto& team = snapshot->feed("seminar/team:A")->body;
  const auto& all = snapshot->feed("seminar/all")->body;
  std::size_t shared = 0;
  for (const auto& piece : team.pieces()) {
    if (piece->bytes.find("BEGIN:VEVENT") != 0) continue;
    for (const auto& other : all.pieces()) shared += piece.get() == other.get() ? 1 : 0;
  }
  EXPECT_GT(shared, 0U) << "team A's meetings are in the whole programme's feed too";
}

/// The pieces of `text`, cut every `width` bytes, each a new object.
std::vector<SharedText> cut_into_pieces(const std::string& text, std::size_t width) {
  std::vector<SharedText> pieces;
  for (std::size_t at = 0; at < text.size(); at += width) {
    pieces.push_back(make_text(text.substr(at, width)));
  }
  return pieces;
}

TEST(FeedBodyTest, TheSameBytesGiveTheSameEtagAndOtherBytesAnother) {
  const std::string text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";
  const FeedBody one = make_feed_body(cut_into_pieces(text, 7), 0);
  const FeedBody again = make_feed_body(cut_into_pieces(text, 7), 0);  // other objects
  EXPECT_EQ(one.text(), text);
  EXPECT_EQ(one.size, text.size());
  EXPECT_EQ(gzip_decompress(one.gzip()), text);
  EXPECT_EQ(again.etag, one.etag);
  EXPECT_EQ(again.gzip_etag, one.gzip_etag);
  EXPECT_EQ(make_feed_body(text, 0).etag, make_feed_body(text, 0).etag);

  // One byte more, or one byte other, in any piece: another ETag.
  std::string other = text;
  other[20] = '1';
  EXPECT_NE(make_feed_body(cut_into_pieces(other, 7), 0).etag, one.etag);
  EXPECT_NE(make_feed_body(cut_into_pieces(text + " ", 7), 0).etag, one.etag);
  EXPECT_NE(make_feed_body(text + " ", 0).etag, make_feed_body(text, 0).etag);
  // The ETag stays a quoted strong validator, and the gzip form's differs from it.
  EXPECT_EQ(one.etag.front(), '"');
  EXPECT_EQ(one.etag.back(), '"');
  EXPECT_NE(one.etag.substr(0, 2), "W/");
  EXPECT_NE(one.gzip_etag, one.etag);
}

TEST(FeedCatalogTest, EtagChangesExactlyWhenTheBodyChanges) {
  Fixture f;
  BuildReport report;
  const auto before = f.build(kPublished);
  // A change in team B's meeting leaves team A's feed as it was, and is not re-rendered.
  auto& meeting = f.find("1B");
  meeting.occurrence.start.date = {2024, 1, 22};
  meeting.occurrence.end.date = {2024, 1, 22};
  meeting.revision = {1, kPublished + kDay, kPublished + kDay, false};
  const auto after = f.build(kPublished + kDay, before.get(), &report);
  EXPECT_EQ(after->feed("seminar/team:A"), before->feed("seminar/team:A"));
  EXPECT_NE(after->feed("seminar/all")->body.etag, before->feed("seminar/all")->body.etag);
  EXPECT_EQ(report.rendered, 2U);  // only "all" and team B's own feed show team B's meeting
  EXPECT_EQ(report.reused, 2U);
}

TEST(FeedCatalogTest, AfterAChangeEveryFeedReadsAsABuildFromNothingAndUntouchedOnesAreKept) {
  Fixture f;
  f.tokens.push_back({8, "seminar", "person:ola", "", kPublished, {}, {}, {}});
  const auto before = f.build(kPublished);
  // Kari's meeting moves: her feed and the whole programme's change, the others do not.
  auto& meeting = f.find("kari");
  meeting.occurrence.summary = "Møte kari, flyttet";
  meeting.occurrence.start.date = meeting.occurrence.end.date = {2024, 4, 8};
  meeting.revision = {1, kPublished + kDay, kPublished + kDay, false};
  BuildReport report;
  const auto after = f.build(kPublished + kDay, before.get(), &report);
  const auto fresh = f.build(kPublished + kDay);
  for (const auto& feed : fresh->feeds()) {
    const auto kept = after->feed(feed->feed_id);
    ASSERT_NE(kept, nullptr) << feed->feed_id;
    EXPECT_EQ(kept->body.text(), feed->body.text()) << feed->feed_id;
    EXPECT_EQ(kept->body.etag, feed->body.etag) << feed->feed_id;
    EXPECT_EQ(kept->body.last_modified, feed->body.last_modified) << feed->feed_id;
  }
  EXPECT_EQ(after->feed("seminar/team:A"), before->feed("seminar/team:A"));
  EXPECT_EQ(after->feed("seminar/person:ola"), before->feed("seminar/person:ola"));
  EXPECT_NE(after->feed("seminar/person:kari"), before->feed("seminar/person:kari"));
  EXPECT_NE(after->feed("seminar/person:kari")->body.etag,
            before->feed("seminar/person:kari")->body.etag);
  EXPECT_NE(body_of(*after, "seminar/person:kari").find("SUMMARY:Møte kari\\, flyttet"),
            std::string::npos);
  EXPECT_NE(body_of(*after, "seminar/all").find("SUMMARY:Møte kari\\, flyttet"), std::string::npos);
  EXPECT_EQ(report.rendered, 2U);  // Kari's feed and the whole programme's
  EXPECT_EQ(report.reused, 3U);    // team A's, team B's and Ola's

  // The events that did not change keep their text objects: memory holds each once.
  const auto old_pieces = before->feed("seminar/all")->body.pieces();
  const auto new_pieces = after->feed("seminar/all")->body.pieces();
  std::size_t same = 0;
  for (const auto& piece : new_pieces) {
    for (const auto& old : old_pieces) same += piece.get() == old.get() ? 1 : 0;
  }
  EXPECT_EQ(same, new_pieces.size() - 1) << "all but Kari's meeting's text";
}

TEST(FeedCatalogTest, RemovedEventLeavesTheFeedAndLastModifiedMovesForward) {
  Fixture f;
  const auto before = f.build(kPublished);
  auto& removed = f.find("1A");
  removed.removed = true;
  removed.removed_at = kPublished + 2 * kDay;
  removed.revision.sequence = 1;  // the store bumps it; LAST-MODIFIED stays the old one
  const auto after = f.build(kPublished + 2 * kDay, before.get());
  EXPECT_FALSE(shows(*after, "seminar/team:A", "1A"));
  const auto& old_body = before->feed("seminar/team:A")->body;
  const auto& new_body = after->feed("seminar/team:A")->body;
  EXPECT_NE(old_body.etag, new_body.etag);
  EXPECT_EQ(new_body.last_modified, kPublished + 2 * kDay);
  EXPECT_GT(new_body.last_modified, old_body.last_modified);
  EXPECT_EQ(new_body.last_modified_http, "Wed, 03 Jan 2024 00:00:00 GMT");
}

TEST(FeedCatalogTest, KeptCancellationShowsAvlystThenGoesAfterNDays) {
  Fixture f;
  f.settings.selection.keep_cancelled_days = 7;
  auto& removed = f.find("1A");
  removed.removed = true;
  removed.removed_at = kPublished + kDay;
  const auto during = f.build(kPublished + 2 * kDay);
  const auto& body = body_of(*during, "seminar/team:A");
  EXPECT_TRUE(shows(*during, "seminar/team:A", "1A"));
  EXPECT_NE(body.find("SUMMARY:AVLYST: Møte 1A"), std::string::npos);
  EXPECT_NE(body.find("STATUS:CANCELLED"), std::string::npos);
  EXPECT_EQ(during->changes_at(), kPublished + 8 * kDay);

  const auto later = f.build(kPublished + 8 * kDay, during.get());
  EXPECT_FALSE(shows(*later, "seminar/team:A", "1A"));
  EXPECT_EQ(later->changes_at(), std::nullopt);
  // Gone from the feed, but Last-Modified does not go back.
  EXPECT_EQ(later->feed("seminar/team:A")->body.last_modified, kPublished + kDay);
}

TEST(FeedCatalogTest, ActiveEventsNeverRenderAsCancelled) {
  Fixture f;
  f.find("1A").revision.cancelled = true;  // stale flag from an earlier removal
  const auto snapshot = f.build(kPublished);
  EXPECT_EQ(body_of(*snapshot, "seminar/team:A").find("AVLYST"), std::string::npos);
}

TEST(FeedCatalogTest, TokensForUnknownPlansOrAudiencesAreSkippedWithAReason) {
  Fixture f;
  f.tokens.push_back({5, "other-plan", "all", "", kPublished, {}, {}, {}});
  f.tokens.push_back({6, "seminar", "person:gone", "", kPublished, {}, {}, {}});
  CatalogSource source;
  source.plans = {&f.plan};
  source.events_by_plan["seminar"] = f.events;
  source.tokens = f.tokens;
  BuildReport report;
  const auto snapshot = build_catalog(source, f.settings, kPublished, nullptr, report);
  EXPECT_EQ(report.skipped.size(), 2U);
  EXPECT_EQ(snapshot->find(5), nullptr);
  EXPECT_EQ(snapshot->find(6), nullptr);
  EXPECT_NE(snapshot->find(1), nullptr);
}

/// The body with its folded lines joined again (RFC 5545 3.1), to search whole properties.
std::string unfolded(std::string body) {
  for (auto at = body.find("\r\n "); at != std::string::npos; at = body.find("\r\n ", at)) {
    body.erase(at, 3);
  }
  return body;
}

/// A second programme Kari is in (as person and by her team), for personal feeds.
Plan second_plan() {
  Plan plan = test_plan();
  plan.id = "dybde";
  plan.title = "Dybdemøter";
  plan.calendar_name = "Dybdemøter høsten 2024";
  return plan;
}

StoredEvent second_event(const std::string& key, const std::string& audience, Date date) {
  StoredEvent stored = event(key, audience, date);
  stored.occurrence.uid = "dybde." + key + "@plancal";
  stored.occurrence.plan_id = "dybde";
  stored.occurrence.description = "Ta med <notater> & \"spørsmål\"";
  return stored;
}

std::shared_ptr<const CatalogSnapshot> build_personal(const Fixture& f, const Plan* second,
                                                      const std::vector<FeedToken>& tokens) {
  CatalogSource source;
  source.plans = {&f.plan};
  if (second != nullptr) source.plans.push_back(second);
  source.events_by_plan["seminar"] = f.events;
  source.events_by_plan["dybde"] = {second_event("d1", "team:A", {2024, 9, 8}),
                                    second_event("d2", "team:B", {2024, 9, 9})};
  source.tokens = tokens;
  BuildReport report;
  return build_catalog(source, f.settings, kPublished, nullptr, report, 2);
}

TEST(FeedCatalogTest, PeopleWhoSeeTheSameMeetingsShareOneListOfThemUnderTheirOwnNames) {
  // Per and Pia are in team B with nothing of their own: their personal feeds show the same
  // meetings, held once as one list; each feed keeps its own name and so its own ETag. Ola
  // (team B, with a meeting of his own) and Kari (team A) each have their own list.
  Fixture f;
  for (const auto& [id, name] : {std::pair{"per", "Per Berg"}, std::pair{"pia", "Pia Dahl"}}) {
    Person person;
    person.id = id;
    person.name = name;
    person.team = "B";
    f.plan.roster.push_back(person);
  }
  const std::vector<FeedToken> tokens{{7, "", "person:per", "", kPublished, {}, {}, {}},
                                      {8, "", "person:pia", "", kPublished, {}, {}, {}},
                                      {9, "", "person:ola", "", kPublished, {}, {}, {}},
                                      {10, "", "person:kari", "", kPublished, {}, {}, {}}};
  const auto snapshot = build_personal(f, nullptr, tokens);
  const FeedBody& per = snapshot->find(7)->feed->body;
  const FeedBody& pia = snapshot->find(8)->feed->body;
  const FeedBody& ola = snapshot->find(9)->feed->body;
  const FeedBody& kari = snapshot->find(10)->feed->body;

  EXPECT_EQ(per.rest, pia.rest) << "one list of team B's meetings for both";
  EXPECT_NE(per.rest, ola.rest);
  EXPECT_NE(per.rest, kari.rest);
  EXPECT_NE(per.head, pia.head);
  EXPECT_NE(per.etag, pia.etag);
  EXPECT_NE(per.text().find("Per Berg"), std::string::npos);
  EXPECT_NE(pia.text().find("Pia Dahl"), std::string::npos);
  EXPECT_EQ(pia.text().find("Per Berg"), std::string::npos);
  // Apart from the name, the same calendar.
  const auto without_head = [](const FeedBody& body) {
    return body.text().substr(body.head->bytes.size());
  };
  EXPECT_EQ(without_head(per), without_head(pia));
  EXPECT_NE(without_head(per).find("UID:seminar.1B@plancal"), std::string::npos);
  EXPECT_EQ(without_head(per).find("UID:seminar.ola@plancal"), std::string::npos);
  EXPECT_NE(without_head(ola).find("UID:seminar.ola@plancal"), std::string::npos);
}

TEST(FeedCatalogTest, APersonalTokenGetsOneFeedAcrossEveryPlanNamedForThePerson) {
  Fixture f;
  const Plan dybde = second_plan();
  const std::vector<FeedToken> tokens{{7, "", "person:kari", "", kPublished, {}, {}, {}}};
  const auto snapshot = build_personal(f, &dybde, tokens);
  ASSERT_NE(snapshot->find(7), nullptr);
  EXPECT_EQ(snapshot->find(7)->feed->feed_id, "*/person:kari");
  const std::string& body = body_of(*snapshot, "*/person:kari");
  EXPECT_NE(body.find("X-WR-CALNAME:Kalender for Kari Nordmann"), std::string::npos) << body;
  for (const std::string uid :
       {"seminar.1A", "seminar.all", "seminar.lead", "seminar.kari", "dybde.d1"}) {
    EXPECT_NE(body.find("UID:" + uid + "@plancal"), std::string::npos) << uid;
  }
  EXPECT_EQ(body.find("UID:dybde.d2@plancal"), std::string::npos) << "Team B's, not Kari's";
  EXPECT_EQ(body.find("UID:seminar.ola@plancal"), std::string::npos);
  EXPECT_EQ(snapshot->find(7)->feed->event_count, 5U);
}

TEST(FeedCatalogTest, EveryEventOfAPersonalFeedSaysItsProgramme) {
  Fixture f;
  const Plan dybde = second_plan();
  const std::vector<FeedToken> tokens{{7, "", "person:kari", "", kPublished, {}, {}, {}}};
  const auto snapshot = build_personal(f, &dybde, tokens);
  const std::string body = unfolded(body_of(*snapshot, "*/person:kari"));
  EXPECT_NE(body.find("CATEGORIES:Mandagsseminar 2024"), std::string::npos) << body;
  EXPECT_NE(body.find("CATEGORIES:Dybdemøter høsten 2024"), std::string::npos) << body;
  EXPECT_NE(body.find("DESCRIPTION:Program: Mandagsseminar 2024"), std::string::npos) << body;
  EXPECT_NE(body.find("DESCRIPTION:Program: Dybdemøter høsten 2024\\n\\nTa med <notater> & "
                      "\"spørsmål\""),
            std::string::npos)
      << body;
}

TEST(FeedCatalogTest, APlanAddedLaterJoinsThePersonalFeedAndPerPlanFeedsStayAsTheyWere) {
  Fixture f;
  std::vector<FeedToken> tokens = f.tokens;
  tokens.push_back({7, "", "person:kari", "", kPublished, {}, {}, {}});
  const auto before = build_personal(f, nullptr, tokens);
  EXPECT_EQ(before->find(7)->feed->event_count, 4U);
  EXPECT_EQ(body_of(*before, "*/person:kari").find("UID:dybde."), std::string::npos);

  const Plan dybde = second_plan();
  const auto after = build_personal(f, &dybde, tokens);
  EXPECT_EQ(after->find(7)->feed->event_count, 5U);
  EXPECT_NE(body_of(*after, "*/person:kari").find("UID:dybde.d1@plancal"), std::string::npos);
  EXPECT_NE(after->find(7)->feed->body.etag, before->find(7)->feed->body.etag);

  EXPECT_EQ(body_of(*after, "seminar/person:kari"), body_of(*before, "seminar/person:kari"))
      << "a per-plan token keeps its bytes";
  EXPECT_EQ(body_of(*after, "seminar/team:A").find("Program:"), std::string::npos);
  EXPECT_EQ(body_of(*after, "seminar/team:A").find("CATEGORIES:Mandagsseminar"), std::string::npos);
}

TEST(FeedCatalogTest, RefreshIntervalIsInTheBody) {
  Fixture f;
  f.settings.refresh_minutes = 30;
  const auto snapshot = f.build(kPublished);
  EXPECT_NE(body_of(*snapshot, "seminar/all").find("REFRESH-INTERVAL;VALUE=DURATION:PT30M"),
            std::string::npos);
  EXPECT_NE(body_of(*snapshot, "seminar/all").find("METHOD:PUBLISH"), std::string::npos);
  EXPECT_EQ(snapshot->feed("seminar/all")->refresh_seconds, 1800);
}

}  // namespace
}  // namespace plancal::feed
