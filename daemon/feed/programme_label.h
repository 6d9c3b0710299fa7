#pragma once
/// A personal feed holds the events of several programmes in one calendar, so each event says
/// which programme it belongs to: the programme's name as a CATEGORIES value (clients colour
/// or filter by it) and as the description's first line ("Program: Mandagsseminar 2024").
/// Per-plan feeds do not carry it: their calendar is already named after the one programme,
/// and their bytes stay what subscribers have.

#include <string>
#include <vector>

#include "expand/occurrence.h"
#include "feed/feed_selection.h"
#include "ical/render.h"
#include "plan/model.h"

namespace plancal::feed {

/// The name a programme goes by in a personal feed: the plan's calendar name ("Mandagsseminar
/// 2024"), as its own feed and the personal page call it; the title when it sets none.
[[nodiscard]] std::string programme_name(const Plan& plan);

/// `occurrence` labelled with `programme` (CATEGORIES and the description's first line).
[[nodiscard]] Occurrence labelled_with_programme(const Occurrence& occurrence,
                                                 const std::string& programme);

/// One programme's share of a personal feed.
struct ProgrammeSelection {
  const Plan* plan = nullptr;
  FeedSelection selection;
};

}  // namespace plancal::feed
