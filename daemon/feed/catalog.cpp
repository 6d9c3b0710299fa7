#include "feed/catalog.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "base/civil.h"
#include "base/parallel.h"
#include "expand/audience.h"
#include "expand/expander.h"
#include "feed/event_texts.h"
#include "feed/programme_label.h"
#include "ical/calendar_head.h"
#include "ical/render.h"

namespace plancal::feed {

namespace {

/// One feed to build: its tokens, what it shows and how it is named. A per-plan feed has one
/// share; a personal feed (a token for every plan) one per plan its audience appears in.
struct FeedJob {
  std::string feed_id;
  std::string plan_id;  ///< empty: every plan
  std::string audience;
  std::vector<const FeedToken*> tokens;
  std::vector<ProgrammeSelection> shares;
  CalendarOptions options;
  std::string problem;                     ///< why it cannot be built, when it cannot
  std::shared_ptr<const FeedEntry> entry;  ///< reused or rendered
  bool reused = false;                     ///< `entry` is the previous snapshot's

  [[nodiscard]] bool every_plan() const { return plan_id.empty(); }
};

/// "<plan>/<audience>", or "*/<audience>" for a personal feed across every plan.
std::string feed_id_of(std::string_view plan_id, std::string_view audience) {
  return fmt::format("{}/{}", plan_id.empty() ? std::string_view("*") : plan_id, audience);
}

const Plan* find_plan(const CatalogSource& source, std::string_view plan_id) {
  for (const Plan* plan : source.plans) {
    if (plan->id == plan_id) return plan;
  }
  return nullptr;
}

/// A plan's `all` token also reaches each team's feed of that plan (its year overview offers
/// them per team): those feeds are built too, bound to no token of their own.
void add_team_feeds_of_all_tokens(const CatalogSource& source,
                                  std::map<std::string, FeedJob>& by_id) {
  for (const auto& token : source.tokens) {
    if (token.plan_id.empty() || token.audience != "all") continue;
    const Plan* plan = find_plan(source, token.plan_id);
    if (plan == nullptr) continue;
    for (const auto& team : plan->teams) {
      const std::string audience = "team:" + team.key;
      auto& job = by_id[feed_id_of(plan->id, audience)];
      job.plan_id = plan->id;
      job.audience = audience;
    }
  }
}

/// The feeds the tokens ask for, in feed-id order, each with its tokens.
std::vector<FeedJob> jobs_for_tokens(const CatalogSource& source) {
  std::map<std::string, FeedJob> by_id;
  for (const auto& token : source.tokens) {
    auto& job = by_id[feed_id_of(token.plan_id, token.audience)];
    job.plan_id = token.plan_id;
    job.audience = token.audience;
    job.tokens.push_back(&token);
  }
  add_team_feeds_of_all_tokens(source, by_id);
  std::vector<FeedJob> jobs;
  jobs.reserve(by_id.size());  // a job is large: growing the vector moved each one many times
  for (auto& [id, job] : by_id) {
    job.feed_id = id;
    jobs.push_back(std::move(job));
  }
  return jobs;
}

/// The share of `plan` in the job's feed; false (with the reason in `job.problem`) when the
/// audience cannot be selected there.
bool add_share(FeedJob& job, const Plan& plan, const CatalogSource& source,
               const CatalogSettings& settings, std::int64_t now) {
  static const std::vector<StoredEvent> kNoEvents;
  const auto events = source.events_by_plan.find(plan.id);
  auto selection = select_feed_events(
      plan, job.audience, events == source.events_by_plan.end() ? kNoEvents : events->second,
      settings.selection, now);
  if (!selection) {
    job.problem = selection.error().message;
    return false;
  }
  job.shares.push_back({&plan, std::move(*selection)});
  return true;
}

/// A per-plan feed: the plan's events for the audience, named after the plan.
bool prepare_plan_feed(FeedJob& job, const CatalogSource& source, const CatalogSettings& settings,
                       std::int64_t now) {
  const Plan* plan = find_plan(source, job.plan_id);
  if (plan == nullptr) {
    job.problem = "the plan is not configured";
    return false;
  }
  if (!add_share(job, *plan, source, settings, now)) return false;
  job.options.name = calendar_name_for(*plan, job.audience);
  job.options.timezone = plan->timezone;
  return true;
}

/// A personal feed: every configured plan in which the audience appears (none: an empty
/// calendar, as when a person left every roster), named after whom it is for.
void prepare_personal_feed(FeedJob& job, const CatalogSource& source,
                           const CatalogSettings& settings, std::int64_t now) {
  static const std::vector<StoredEvent> kNoEvents;
  std::vector<const Plan*> covered;
  for (const Plan* plan : source.plans) {
    const auto events = source.events_by_plan.find(plan->id);
    auto selection = select_feed_events(
        *plan, job.audience, events == source.events_by_plan.end() ? kNoEvents : events->second,
        settings.selection, now);
    if (!selection) continue;  // the audience is not in this plan
    job.shares.push_back({plan, std::move(*selection)});
    covered.push_back(plan);
  }
  job.options.name = cross_plan_calendar_name(covered, job.audience);
  if (!covered.empty()) job.options.timezone = covered.front()->timezone;
}

/// Selects the job's events and names it; false (with the reason in `job.problem`) when the
/// feed cannot be built. Reads only `source`, so jobs are prepared on several threads.
bool prepare(FeedJob& job, const CatalogSource& source, const CatalogSettings& settings,
             std::int64_t now) {
  if (job.every_plan()) {
    prepare_personal_feed(job, source, settings, now);
  } else if (!prepare_plan_feed(job, source, settings, now)) {
    return false;
  }
  job.options.method_publish = true;
  job.options.refresh_minutes = settings.refresh_minutes;
  job.options.preparation_alarm = settings.preparation_alarm;
  return true;
}

/// The programme label of the job's events of `share`: none in a per-plan feed (the bytes
/// its subscribers have always had), the programme's name in a personal one.
std::string label_of(const FeedJob& job, const ProgrammeSelection& share) {
  return job.every_plan() ? programme_name(*share.plan) : std::string();
}

/// Notes every event the job shows in `texts`.
void want_texts(const FeedJob& job, EventTexts& texts) {
  for (const auto& share : job.shares) {
    const std::string label = label_of(job, share);
    for (const auto& event : share.selection.events) texts.want(event, label, job.options);
  }
}

/// What every feed ends with, shared by all.
const SharedText& calendar_end_piece() {
  static const auto* const kEnd = new SharedText(make_text(std::string(calendar_end())));
  return *kEnd;
}

/// The job's events in feed order (per-plan feeds in their selection's order, personal ones
/// across plans by start, then UID), each with its shared text.
struct FeedContent {
  std::vector<EventToRender> events;
  std::vector<SharedText> texts;
  std::int64_t last_modified = 0;
  std::optional<std::int64_t> changes_at;
  std::size_t event_count = 0;
};

FeedContent content_of(const FeedJob& job, const EventTexts& texts) {
  struct Shown {
    EventToRender event;
    const SharedText* text;
  };
  std::vector<Shown> shown;
  FeedContent content;
  for (const auto& share : job.shares) {
    const FeedSelection& s = share.selection;
    content.last_modified = std::max(content.last_modified, s.last_modified);
    content.event_count += s.events.size();
    if (s.changes_at) {
      content.changes_at = std::min(content.changes_at.value_or(*s.changes_at), *s.changes_at);
    }
    const std::string label = label_of(job, share);
    for (const auto& event : s.events) {
      shown.push_back({event, &texts.text(event, label, job.options)});
    }
  }
  if (job.every_plan()) {
    std::sort(shown.begin(), shown.end(), [](const Shown& a, const Shown& b) {
      const Occurrence& x = *a.event.occurrence;
      const Occurrence& y = *b.event.occurrence;
      if (x.start != y.start) return x.start < y.start;
      return x.uid < y.uid;
    });
  }
  content.events.reserve(shown.size());
  content.texts.reserve(shown.size());
  for (const auto& s : shown) {
    content.events.push_back(s.event);
    content.texts.push_back(*s.text);
  }
  return content;
}

/// Whether two feeds' own properties (render_calendar_properties) read the same.
bool same_properties(const CalendarOptions& a, const CalendarOptions& b) {
  return a.name == b.name && a.description == b.description && a.timezone == b.timezone &&
         a.method_publish == b.method_publish && a.refresh_minutes == b.refresh_minutes;
}

/// What decides a feed's content, its own properties aside: the stored events it shows (each
/// shown cancelled or not) of which plans, the dates its selections carry, its zone and
/// whether it labels events with their programme. Jobs with equal keys show the same text.
/// Everything else a feed's content depends on (the alarm, the refresh) is the build's.
struct ContentKey {
  bool every_plan = false;
  std::string timezone;
  /// Per share: the plan, its last modification and when a kept cancellation expires; per
  /// event: its occurrence's address with the lowest bit set when shown cancelled.
  std::vector<std::uintptr_t> words;

  bool operator==(const ContentKey&) const = default;
};

struct ContentKeyHash {
  std::size_t operator()(const ContentKey& key) const {
    std::size_t hash = std::hash<std::string>()(key.timezone) ^ (key.every_plan ? 1 : 0);
    for (const std::uintptr_t word : key.words) {
      hash ^= std::hash<std::uintptr_t>()(word) + 0x9e3779b97f4a7c15ULL + (hash << 6) + (hash >> 2);
    }
    return hash;
  }
};

ContentKey content_key(const FeedJob& job) {
  static_assert(alignof(Occurrence) > 1, "the lowest bit of an occurrence's address is free");
  ContentKey key;
  key.every_plan = job.every_plan();
  key.timezone = job.options.timezone;
  for (const auto& share : job.shares) {
    const FeedSelection& s = share.selection;
    key.words.push_back(reinterpret_cast<std::uintptr_t>(share.plan));
    key.words.push_back(static_cast<std::uintptr_t>(s.last_modified));
    key.words.push_back(s.changes_at ? static_cast<std::uintptr_t>(*s.changes_at) : ~0ULL);
    key.words.push_back(s.events.size());
    for (const auto& event : s.events) {
      key.words.push_back(reinterpret_cast<std::uintptr_t>(event.occurrence) |
                          (event.revision.cancelled ? 1U : 0U));
    }
  }
  return key;
}

/// What every feed with one content key shows: worked out once, from the first such job.
struct SharedContent {
  std::int64_t last_modified = 0;
  std::optional<std::int64_t> changes_at;
  std::size_t event_count = 0;
  SharedPieceList pieces;  ///< VTIMEZONEs, the events' texts and the end
};

/// Everything a build shares between its feeds: the texts of this build and of the last.
struct Assembly {
  TextPool& pool;
  const TextPool* previous_pool;
};

/// The content `job` shows, as a list of pieces from the build's pool (the VTIMEZONEs, one
/// object for every list with the same, then the events' texts and the end).
SharedContent shared_content(const FeedJob& job, const EventTexts& texts, Assembly& assembly) {
  const FeedContent content = content_of(job, texts);
  const SharedText vtimezones = assembly.pool.intern(
      render_calendar_vtimezones(job.options, content.events), assembly.previous_pool);
  std::vector<SharedText> pieces;
  pieces.reserve(content.texts.size() + 2);
  if (!vtimezones->bytes.empty()) pieces.push_back(vtimezones);
  for (const auto& text : content.texts) {
    if (!text->bytes.empty()) pieces.push_back(text);
  }
  pieces.push_back(calendar_end_piece());
  return SharedContent{content.last_modified, content.changes_at, content.event_count,
                       make_piece_list(std::move(pieces))};
}

/// Whether the previous entry reads exactly as the job's feed would: the same properties,
/// the same text objects in the same order, the same dates.
bool reads_as_before(const FeedJob& job, const SharedContent& content, const FeedEntry& old) {
  const FeedMakeup& makeup = old.makeup;
  return same_properties(makeup.options, job.options) &&
         makeup.options.preparation_alarm == job.options.preparation_alarm &&
         old.body.last_modified == content.last_modified && old.changes_at == content.changes_at &&
         old.event_count == content.event_count && makeup.content->pieces == content.pieces->pieces;
}

/// A new entry for the job: its properties taken from `old` (may be null) when they read the
/// same, then the content's shared pieces.
std::shared_ptr<const FeedEntry> assemble_feed(const FeedJob& job, const SharedContent& content,
                                               const FeedEntry* old) {
  auto entry = std::make_shared<FeedEntry>();
  entry->feed_id = job.feed_id;
  FeedMakeup& makeup = entry->makeup;
  makeup.options = job.options;
  makeup.properties = old != nullptr && same_properties(old->makeup.options, job.options)
                          ? old->makeup.properties
                          : make_text(render_calendar_properties(job.options));
  makeup.content = content.pieces;
  entry->body = make_feed_body(makeup.properties, content.pieces, content.last_modified);
  entry->event_count = content.event_count;
  entry->refresh_seconds = job.options.refresh_minutes.value_or(60) * 60;
  entry->changes_at = content.changes_at;
  return entry;
}

/// The job's entry: the previous one when it reads the same, else assembled anew.
void settle_feed(FeedJob& job, const SharedContent& content, const CatalogSnapshot* previous) {
  const auto old = previous != nullptr ? previous->feed(job.feed_id) : nullptr;
  if (old && reads_as_before(job, content, *old)) {
    job.entry = old;
    job.reused = true;
    return;
  }
  job.entry = assemble_feed(job, content, old.get());
}

/// The jobs grouped by content key: for each job its group, and each group's first job.
struct ContentGroups {
  std::vector<std::size_t> group_of_job;
  std::vector<const FeedJob*> first_jobs;
};

ContentGroups group_by_content(const std::vector<FeedJob*>& jobs, unsigned threads) {
  std::vector<ContentKey> keys(jobs.size());
  parallel_for(jobs.size(), threads, [&](std::size_t i) { keys[i] = content_key(*jobs[i]); });
  ContentGroups groups;
  groups.group_of_job.reserve(jobs.size());
  std::unordered_map<ContentKey, std::size_t, ContentKeyHash> group_of_key;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const auto [found, added] =
        group_of_key.try_emplace(std::move(keys[i]), groups.first_jobs.size());
    if (added) groups.first_jobs.push_back(jobs[i]);
    groups.group_of_job.push_back(found->second);
  }
  return groups;
}

/// Works out each distinct content once (5,000 people of three teams: three), rendering each
/// distinct event once (the previous build's texts kept where they read the same), then
/// settles every job from its content, on `threads` threads.
std::shared_ptr<const TextPool> settle_all(std::vector<FeedJob*>& jobs,
                                           const CatalogSnapshot* previous, unsigned threads) {
  auto pool = std::make_shared<TextPool>();
  Assembly assembly{*pool, previous != nullptr ? previous->texts() : nullptr};
  const ContentGroups groups = group_by_content(jobs, threads);
  EventTexts texts;
  for (const FeedJob* job : groups.first_jobs) want_texts(*job, texts);
  texts.render(threads, *pool, assembly.previous_pool);
  std::vector<SharedContent> contents(groups.first_jobs.size());
  parallel_for(contents.size(), threads, [&](std::size_t i) {
    try {
      contents[i] = shared_content(*groups.first_jobs[i], texts, assembly);
    } catch (const std::exception& error) {  // a bug: log it, serve the other feeds
      spdlog::error("feed {}: rendering failed: {}", groups.first_jobs[i]->feed_id, error.what());
    }
  });
  parallel_for(jobs.size(), threads, [&](std::size_t i) {
    const SharedContent& content = contents[groups.group_of_job[i]];
    if (!content.pieces) return;  // left without an entry: reported as not rendered
    try {
      settle_feed(*jobs[i], content, previous);
    } catch (const std::exception& error) {  // a bug: log it, serve the other feeds
      spdlog::error("feed {}: rendering failed: {}", jobs[i]->feed_id, error.what());
    }
  });
  return pool;
}

}  // namespace

CatalogSnapshot::CatalogSnapshot(std::vector<std::shared_ptr<const FeedEntry>> feeds,
                                 std::vector<TokenBinding> bindings, std::int64_t built_at,
                                 std::shared_ptr<const TextPool> texts)
    : feeds_(std::move(feeds)), built_at_(built_at), texts_(std::move(texts)) {
  feeds_by_id_.reserve(feeds_.size());
  for (const auto& entry : feeds_) feeds_by_id_.emplace(entry->feed_id, entry);
  routes_.reserve(bindings.size());
  for (auto& binding : bindings) {
    auto& route = routes_[binding.token_id];
    route.token_id = binding.token_id;
    route.feed = std::move(binding.feed);
  }
}

const TokenRoute* CatalogSnapshot::find(std::int64_t token_id) const {
  const auto found = routes_.find(token_id);
  return found == routes_.end() ? nullptr : &found->second;
}

std::shared_ptr<const FeedEntry> CatalogSnapshot::feed(std::string_view feed_id) const {
  const auto found = feeds_by_id_.find(std::string(feed_id));
  return found == feeds_by_id_.end() ? nullptr : found->second;
}

std::optional<std::int64_t> CatalogSnapshot::changes_at() const {
  std::optional<std::int64_t> earliest;
  for (const auto& entry : feeds_) {
    if (entry->changes_at)
      earliest = std::min(earliest.value_or(*entry->changes_at), *entry->changes_at);
  }
  return earliest;
}

std::shared_ptr<const CatalogSnapshot> build_catalog(const CatalogSource& source,
                                                     const CatalogSettings& settings,
                                                     std::int64_t now,
                                                     const CatalogSnapshot* previous,
                                                     BuildReport& report, unsigned threads) {
  auto jobs = jobs_for_tokens(source);
  threads = std::max(1U, threads);
  std::vector<char> prepared(jobs.size(), 0);
  parallel_for(jobs.size(), threads, [&](std::size_t i) {
    try {
      prepared[i] = prepare(jobs[i], source, settings, now) ? 1 : 0;
    } catch (const std::exception& error) {  // a bug: log it, serve the other feeds
      jobs[i].problem = std::string("preparing failed: ") + error.what();
    }
  });
  std::vector<FeedJob*> ready;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (prepared[i] == 0) {
      report.skipped.push_back(jobs[i].feed_id + ": " + jobs[i].problem);
    } else {
      ready.push_back(&jobs[i]);
    }
  }
  auto texts = settle_all(ready, previous, threads);
  for (const FeedJob* job : ready) {
    if (!job->entry) {
      report.skipped.push_back(job->feed_id + ": rendering failed");
    } else if (job->reused) {
      ++report.reused;
    } else {
      ++report.rendered;
    }
  }

  std::vector<std::shared_ptr<const FeedEntry>> feeds;
  std::vector<TokenBinding> bindings;
  for (const auto& job : jobs) {
    if (!job.entry) continue;
    feeds.push_back(job.entry);
    for (const FeedToken* token : job.tokens) {
      bindings.push_back({token->id, job.entry});
    }
  }
  return std::make_shared<const CatalogSnapshot>(std::move(feeds), std::move(bindings), now,
                                                 std::move(texts));
}

std::shared_ptr<const CatalogSnapshot> Catalog::current() const {
  const std::lock_guard lock(mutex_);
  return current_;
}

void Catalog::replace(std::shared_ptr<const CatalogSnapshot> next) {
  const std::lock_guard lock(mutex_);
  current_ = std::move(next);
}

}  // namespace plancal::feed
