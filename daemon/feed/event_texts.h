#pragma once
/// The VEVENT text of every distinct event the feeds of one build show, rendered once and
/// shared: 5,000 personal feeds of three teams show the same few dozen meetings, so a rebuild
/// renders those few dozen events, and each feed body holds their texts as pieces (its head,
/// the texts, the end read as rendering the feed whole: render_calendar_head).
///
/// An event's text depends on the stored event (its occurrence and revision), whether it is
/// shown cancelled, whether a personal feed labels it with its programme, the zone it is
/// written in and the preparation alarm; equal keys give equal bytes.

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "expand/occurrence.h"
#include "ical/render.h"

namespace plancal::feed {

class EventTexts {
 public:
  /// Notes that a feed with `options` shows `event`, labelled with `programme` when that is
  /// not empty (a personal feed). `event.occurrence` must outlive this object.
  void want(const EventToRender& event, const std::string& programme,
            const CalendarOptions& options);

  /// Renders every text wanted and not yet rendered, spread over `threads` threads.
  void render(unsigned threads);

  /// The rendered text of an event noted with want() (same arguments), after render();
  /// shared, so feed bodies keep it after this object is gone.
  [[nodiscard]] const std::shared_ptr<const std::string>& text(
      const EventToRender& event, const std::string& programme,
      const CalendarOptions& options) const;

  /// How many distinct events were rendered (for logs and tests).
  [[nodiscard]] std::size_t size() const { return entries_.size(); }

 private:
  /// occurrence, cancelled, programme label, zone
  using Key = std::tuple<const Occurrence*, bool, std::string, std::string>;
  struct Entry {
    EventToRender event;
    Occurrence labelled;  ///< the occurrence with its programme label, when labelled
    CalendarOptions options;
    std::shared_ptr<const std::string> text;  ///< null until rendered
  };
  [[nodiscard]] static Key key_of(const EventToRender& event, const std::string& programme,
                                  const CalendarOptions& options);

  std::map<Key, Entry> entries_;
};

}  // namespace plancal::feed
