#pragma once
/// The HTML of each meeting as a personal page shows it, rendered once and shared by every
/// page that shows it: thousands of people of a few teams see the same few dozen meetings, so
/// after a change a person's page costs its frame and a copy of the meetings' bytes instead
/// of a template run per meeting. One cache belongs to one published state (its events) and
/// is dropped with it.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "web/meeting_view.h"

namespace plancal::web {

class MeetingFragments {
 public:
  /// The meeting's article (templates/meeting.mustache), its agenda open or folded; rendered
  /// on first use. A meeting without `event` is rendered each time. Thread-safe.
  [[nodiscard]] std::shared_ptr<const std::string> html(const MeetingView& meeting,
                                                        bool agenda_open);

  /// The articles of `meetings` in order, each followed by an empty line but the last, the
  /// first one's agenda open when `open_first_agenda` (a page's list of upcoming or past
  /// meetings); made on first use and shared by every page with the same list. Thread-safe.
  [[nodiscard]] std::shared_ptr<const std::string> list_html(
      const std::vector<std::shared_ptr<const MeetingView>>& meetings, bool open_first_agenda);

  /// How many distinct meetings are kept (tests, metrics).
  [[nodiscard]] std::size_t size() const;

 private:
  /// event, programme, past, agenda open
  using Key = std::tuple<const TrackedEvent*, std::string, bool, bool>;
  mutable std::mutex mutex_;
  std::map<Key, std::shared_ptr<const std::string>> kept_;
  /// The views listed, by address (each names its event, programme and whether it is past;
  /// held, so no other view can take an address while its list is kept), agenda open.
  using ListKey = std::pair<std::vector<std::shared_ptr<const MeetingView>>, bool>;
  std::map<ListKey, std::shared_ptr<const std::string>> lists_;
};

/// The meeting's article as the page templates write it, its agenda open or folded.
[[nodiscard]] std::string render_meeting(const MeetingView& meeting, bool agenda_open);

}  // namespace plancal::web
