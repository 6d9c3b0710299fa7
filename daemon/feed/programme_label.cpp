#include "feed/programme_label.h"

#include <algorithm>

namespace plancal::feed {

std::string programme_name(const Plan& plan) {
  return plan.calendar_name.empty() ? plan.title : plan.calendar_name;
}

Occurrence labelled_with_programme(const Occurrence& occurrence, const std::string& programme) {
  Occurrence labelled = occurrence;
  if (std::find(labelled.categories.begin(), labelled.categories.end(), programme) ==
      labelled.categories.end()) {
    labelled.categories.push_back(programme);
  }
  const std::string line = "Program: " + programme;
  labelled.description = labelled.description.empty() ? line : line + "\n\n" + labelled.description;
  return labelled;
}

LabelledEvents labelled_events(const std::vector<ProgrammeSelection>& shares) {
  LabelledEvents out;
  std::size_t count = 0;
  for (const auto& share : shares) count += share.selection.events.size();
  out.occurrences.reserve(count);  // no reallocation below: `events` points into it
  std::vector<EventRevision> revisions;
  revisions.reserve(count);
  for (const auto& share : shares) {
    const std::string programme = programme_name(*share.plan);
    for (const auto& event : share.selection.events) {
      out.occurrences.push_back(labelled_with_programme(*event.occurrence, programme));
      revisions.push_back(event.revision);
    }
  }
  out.events.reserve(count);
  for (std::size_t i = 0; i < count; ++i) out.events.push_back({&out.occurrences[i], revisions[i]});
  std::sort(out.events.begin(), out.events.end(),
            [](const EventToRender& a, const EventToRender& b) {
              const Occurrence& x = *a.occurrence;
              const Occurrence& y = *b.occurrence;
              if (x.start != y.start) return x.start < y.start;
              return x.uid < y.uid;
            });
  return out;
}

}  // namespace plancal::feed
