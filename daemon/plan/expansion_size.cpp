#include "plan/expansion_size.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "base/text.h"

namespace plancal {

namespace {

std::size_t text_size(const MeetingContent& c) {
  std::size_t size = c.topic.size() + c.speaker.size() + c.speaker_label.size() +
                     c.location.size() + c.notes.size() + (c.online ? c.online->url.size() : 0);
  for (const auto& item : c.agenda) size += item.item.size() + item.note.size();
  for (const auto& item : c.preparation) size += item.size();
  return size;
}

/// Weeks from `from` to `until` counted as occurrences every `interval` weeks; 0 when the
/// dates are not both real or run backwards (reported elsewhere).
std::uint64_t occurrences_between(Date from, Date until, int interval_weeks) {
  if (from.year == 0 || until.year == 0 || until < from) return 0;
  const auto days = static_cast<std::uint64_t>(days_from_civil(until) - days_from_civil(from));
  return days / (7U * static_cast<std::uint64_t>(std::max(interval_weeks, 1))) + 1;
}

struct Share {
  std::string what;
  SourceLocation where;
  std::uint64_t events = 0;
  std::uint64_t bytes = 0;
};

void add(std::vector<Share>& shares, std::string what, SourceLocation where, std::uint64_t events,
         std::uint64_t audiences, std::uint64_t text) {
  const std::uint64_t count = events * std::max<std::uint64_t>(audiences, 1);
  shares.push_back({std::move(what), std::move(where), count, count * text});
}

std::vector<Share> shares_of(const Plan& plan) {
  std::vector<Share> shares;
  for (const auto& r : plan.rotations) {
    std::uint64_t events = 0;
    std::uint64_t bytes = 0;
    for (const auto& m : r.meetings) {
      events += m.dates.size();
      bytes += m.dates.size() * (r.title.size() + text_size(r.content) + text_size(m.content));
    }
    shares.push_back({"rotation " + quoted_text(r.key), r.where, events, bytes});
  }
  for (const auto& s : plan.series) {
    std::size_t session_text = 0;
    for (const auto& session : s.sessions)
      session_text = std::max(session_text, text_size(session.content));
    for (const auto& row : s.rows) {
      const std::uint64_t events =
          row.count   ? static_cast<std::uint64_t>(std::max(*row.count, 0))
          : row.until ? occurrences_between(row.first, *row.until, s.interval_weeks)
                      : s.sessions.size();
      const std::size_t audiences = row.audience.empty() ? s.audience.size() : row.audience.size();
      add(shares, "series " + quoted_text(s.key), row.where, events, audiences,
          s.title.size() + text_size(s.content) + session_text);
    }
  }
  for (const auto& w : plan.weekly) {
    add(shares, "weekly slot " + quoted_text(w.key), w.where,
        occurrences_between(w.from, w.until, 1), w.audience.size(),
        w.title.size() + text_size(w.content));
  }
  if (plan.wheel) {
    const int years = plan.wheel->last_year - plan.wheel->first_year + 1;
    for (const auto& item : plan.wheel->items) {
      add(shares, "wheel item " + quoted_text(item.key), item.where,
          static_cast<std::uint64_t>(std::clamp(years, 0, 10000)), item.responsible.size(),
          item.title.size() + text_size(item.content));
    }
  }
  return shares;
}

std::string mebibytes(std::uint64_t bytes) {
  constexpr std::uint64_t kMiB = std::uint64_t{1024} * 1024;
  return fmt::format("{} MiB", (bytes + kMiB - 1) / kMiB);
}

}  // namespace

Diagnostics check_expansion_size(const Plan& plan) {
  Diagnostics diagnostics;
  const std::vector<Share> shares = shares_of(plan);
  std::uint64_t total = 0;
  for (const auto& share : shares) total += share.bytes;
  if (total <= kMaxEventTextBytes || shares.empty()) return diagnostics;
  const auto largest =
      std::max_element(shares.begin(), shares.end(),
                       [](const Share& a, const Share& b) { return a.bytes < b.bytes; });
  diagnostics.error(
      largest->where,
      fmt::format("the plan's events would hold about {} of text ({} of it from the {} events of "
                  "{}); at most {} are allowed",
                  mebibytes(total), mebibytes(largest->bytes), largest->events, largest->what,
                  mebibytes(kMaxEventTextBytes)),
      "every event repeats its programme's texts: shorten notes, agenda and preparation, or "
      "split the plan into shorter periods");
  return diagnostics;
}

}  // namespace plancal
