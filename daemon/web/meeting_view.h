#pragma once
/// One meeting as a page shows it: every text already written out in Norwegian, so the
/// templates only place and escape it.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "base/less_as_view.h"
#include "web/page_source.h"

namespace plancal::web {

struct AgendaLine {
  std::string time;  ///< "09.05"
  std::string item;  ///< "Innledning"
  std::string note;  ///< may be empty
};

struct MeetingView {
  std::string date_text;      ///< "mandag 15. januar 2024"
  std::string date_iso;       ///< "2024-01-15", for <time datetime>
  std::string day;            ///< "15", the big number of the date tile
  std::string month;          ///< "jan.", under it
  std::string time_text;      ///< "kl. 09.00–12.00"; "Frist" for an all-day deadline
  std::string title;          ///< the event's summary: "Mandagsseminar 1: En dag på Milepælen"
  std::string programme;      ///< the plan's calendar name: "Mandagsseminar 2024"
  std::string place;          ///< "Undervisningsbrakka", "Microsoft Teams"; may be empty
  std::string online_url;     ///< an http(s) meeting link, or empty
  std::string topic;          ///< shown on its own only when the title does not already say it
  std::string speaker_label;  ///< "Foreleser"
  std::string speaker;        ///< "Erik"; empty when none
  std::vector<std::string> preparation;
  std::vector<AgendaLine> agenda;
  std::string notes;
  std::vector<std::string> changes;  ///< change_lines() against the first published version
  bool cancelled = false;            ///< AVLYST: cancelled in the plan, or removed from it
  bool past = false;                 ///< ended before the page's `now`
  /// The event shown, which with `programme` and `past` decides everything above: pages
  /// render each such meeting once (meeting_fragments.h). Points into the page's source.
  const TrackedEvent* event = nullptr;
};

/// The view of `event` of the plan whose calendar name is `programme`, as of `now` (Unix
/// seconds; the event's wall-clock end in its own zone decides whether it is past).
[[nodiscard]] MeetingView meeting_view(const TrackedEvent& event, const std::string& programme,
                                       std::int64_t now);

/// The views of one published state's events, made once and shared by every page built from
/// it: five thousand people of three teams see the same few dozen meetings, and a view's
/// texts and its end (a zone conversion) cost more than the rest of a page. Thread-safe;
/// events are kept by address, so a cache belongs to one state and is dropped with it.
class MeetingViews {
 public:
  /// meeting_view(event, programme, now), made on first use.
  [[nodiscard]] std::shared_ptr<const MeetingView> view(const TrackedEvent& event,
                                                        const std::string& programme,
                                                        std::int64_t now);

 private:
  /// event, programme, past
  using Key = std::tuple<const TrackedEvent*, std::string, bool>;
  /// The same, without copying the programme's name: what a look-up compares with (5,000
  /// pages ahead look up every meeting of each).
  using KeyView = std::tuple<const TrackedEvent*, std::string_view, bool>;
  /// Whether the event ended before `now`; called with mutex_ held.
  [[nodiscard]] bool ended(const TrackedEvent& event, std::int64_t now);

  std::mutex mutex_;
  std::map<const TrackedEvent*, std::optional<std::int64_t>> ends_;
  std::map<Key, std::shared_ptr<const MeetingView>, LessAsView<KeyView>> views_;
};

/// Whether the event ended before `now`; an event whose zone is unknown counts as upcoming.
[[nodiscard]] bool has_ended(const Occurrence& occurrence, std::int64_t now);

/// When the event ends (Unix seconds; an all-day deadline at the start of its end date): the
/// moment a page moves it from upcoming to past. nullopt when its zone is unknown.
[[nodiscard]] std::optional<std::int64_t> ends_at(const Occurrence& occurrence);

}  // namespace plancal::web
