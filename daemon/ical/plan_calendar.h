#pragma once
/// A whole plan's calendar written while it is made, for `plancal export`: years of a large
/// plan give hundreds of megabytes of text, and neither that text nor the occurrences behind
/// it (4 KB each, with their content) need to be held whole to write it.

#include <cstddef>
#include <functional>
#include <string_view>

#include "expand/event_revision.h"
#include "expand/stream.h"
#include "ical/render.h"
#include "plan/model.h"

namespace plancal {

/// The occurrences of `plan` that `keep` chooses (all when empty), in expand_plan's order,
/// each with `revision`, as one calendar handed to `sink` in pieces of about 64 KB: the same
/// bytes as render_calendar of those occurrences. Holds one occurrence and a piece of text at
/// a time, plus a small sort key per occurrence (OccurrenceStream). Returns how many events
/// it wrote.
std::size_t render_plan_calendar_to(const CalendarOptions& options, const Plan& plan,
                                    const OccurrenceStream::Keep& keep,
                                    const EventRevision& revision,
                                    const std::function<void(std::string_view)>& sink);

}  // namespace plancal
