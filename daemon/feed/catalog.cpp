#include "feed/catalog.h"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "base/civil.h"
#include "base/parallel.h"
#include "expand/audience.h"
#include "expand/expander.h"
#include "feed/event_texts.h"
#include "feed/programme_label.h"
#include "ical/render.h"
#include "store/secrets.h"

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
  std::string fingerprint;
  std::string problem;                     ///< why it cannot be built, when it cannot
  std::shared_ptr<const FeedEntry> entry;  ///< reused or rendered

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
  for (auto& [id, job] : by_id) {
    job.feed_id = id;
    jobs.push_back(std::move(job));
  }
  return jobs;
}

/// Everything the rendered bytes depend on, hashed: equal fingerprints, equal bodies.
std::string fingerprint_of(const FeedJob& job) {
  std::int64_t last_modified = 0;
  for (const auto& share : job.shares) {
    last_modified = std::max(last_modified, share.selection.last_modified);
  }
  std::string text = fmt::format("{}\n{}\n{}\n{}\n", job.options.name, job.options.timezone,
                                 job.options.refresh_minutes.value_or(0), last_modified);
  if (const auto& alarm = job.options.preparation_alarm) {
    fmt::format_to(std::back_inserter(text), "alarm {} {} {}\n", alarm->days_before,
                   format_time(alarm->at), alarm->absolute);
  }
  for (const auto& share : job.shares) {
    if (job.every_plan())
      fmt::format_to(std::back_inserter(text), "programme {}\n", programme_name(*share.plan));
    for (const auto& event : share.selection.events) {
      const Occurrence& o = *event.occurrence;
      fmt::format_to(std::back_inserter(text), "{}|{}|{}|{}|{}|{}|{}|{}|{}\n", o.uid,
                     format_date(o.start.date), format_time(o.start.time), format_time(o.end.time),
                     o.summary, event.revision.sequence, event.revision.dtstamp,
                     event.revision.last_modified, event.revision.cancelled);
    }
  }
  return sha256_hex(text);
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
  job.fingerprint = fingerprint_of(job);
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
  static const auto* const kEnd =
      new SharedText(std::make_shared<const std::string>(calendar_end()));
  return *kEnd;
}

/// The job's calendar as pieces: its own head, the events' shared texts (per-plan feeds in
/// their selection's order, personal ones in feed order across plans: start, then UID), the
/// end.
std::vector<SharedText> calendar_pieces(const FeedJob& job, const EventTexts& texts) {
  struct Shown {
    EventToRender event;
    const SharedText* text;
  };
  std::vector<Shown> shown;
  for (const auto& share : job.shares) {
    const std::string label = label_of(job, share);
    for (const auto& event : share.selection.events) {
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
  std::vector<EventToRender> events;
  events.reserve(shown.size());
  for (const auto& s : shown) events.push_back(s.event);
  std::vector<SharedText> pieces;
  pieces.reserve(shown.size() + 2);
  pieces.push_back(std::make_shared<const std::string>(render_calendar_head(job.options, events)));
  for (const auto& s : shown) {
    if (!(*s.text)->empty()) pieces.push_back(*s.text);
  }
  pieces.push_back(calendar_end_piece());
  return pieces;
}

std::shared_ptr<const FeedEntry> render(const FeedJob& job, const EventTexts& texts) {
  auto entry = std::make_shared<FeedEntry>();
  entry->feed_id = job.feed_id;
  entry->fingerprint = job.fingerprint;
  std::int64_t last_modified = 0;
  std::optional<std::int64_t> changes_at;
  for (const auto& share : job.shares) {
    const FeedSelection& s = share.selection;
    last_modified = std::max(last_modified, s.last_modified);
    entry->event_count += s.events.size();
    if (s.changes_at) changes_at = std::min(changes_at.value_or(*s.changes_at), *s.changes_at);
  }
  entry->body = make_feed_body(calendar_pieces(job, texts), last_modified);
  entry->refresh_seconds = job.options.refresh_minutes.value_or(60) * 60;
  entry->changes_at = changes_at;
  return entry;
}

/// Renders the jobs that have no entry yet: each distinct event once, then every feed from
/// those texts, spread over `threads` threads.
void render_missing(std::vector<FeedJob*>& pending, unsigned threads) {
  EventTexts texts;
  for (const FeedJob* job : pending) want_texts(*job, texts);
  texts.render(threads);
  parallel_for(pending.size(), threads, [&](std::size_t i) {
    try {
      pending[i]->entry = render(*pending[i], texts);
    } catch (const std::exception& error) {  // a bug: log it, serve the other feeds
      spdlog::error("feed {}: rendering failed: {}", pending[i]->feed_id, error.what());
    }
  });
}

}  // namespace

CatalogSnapshot::CatalogSnapshot(std::vector<std::shared_ptr<const FeedEntry>> feeds,
                                 std::vector<TokenBinding> bindings, std::int64_t built_at)
    : feeds_(std::move(feeds)), built_at_(built_at) {
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
  std::vector<FeedJob*> pending;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    FeedJob& job = jobs[i];
    if (prepared[i] == 0) {
      report.skipped.push_back(job.feed_id + ": " + job.problem);
      continue;
    }
    auto old = previous != nullptr ? previous->feed(job.feed_id) : nullptr;
    if (old && old->fingerprint == job.fingerprint) {
      job.entry = std::move(old);
      ++report.reused;
    } else {
      pending.push_back(&job);
    }
  }
  render_missing(pending, threads);
  for (const FeedJob* job : pending) {
    if (job->entry) {
      ++report.rendered;
    } else {
      report.skipped.push_back(job->feed_id + ": rendering failed");
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
  return std::make_shared<const CatalogSnapshot>(std::move(feeds), std::move(bindings), now);
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
