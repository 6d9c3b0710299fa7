#pragma once
/// How much text a plan puts into calendar events, before anything is expanded.
///
/// Every field has a maximum length, but each occurrence carries its programme's text again:
/// a weekly slot with long notes and preparation lists repeats them in up to 522 events (ten
/// years), once per audience, and in the feeds and the database after that. A plan file of
/// a few megabytes could so become gigabytes. This estimates the text of all events from the
/// model and refuses a plan over kMaxEventTextBytes, naming the programme that adds most.

#include <cstddef>

#include "base/diagnostic.h"
#include "plan/model.h"

namespace plancal {

/// Far above any real programme (the examples put under 100 KB into their events).
inline constexpr std::size_t kMaxEventTextBytes = std::size_t{64} * 1024 * 1024;

/// An error at the largest programme when the plan's events would hold more text than
/// kMaxEventTextBytes; nothing otherwise.
[[nodiscard]] Diagnostics check_expansion_size(const Plan& plan);

}  // namespace plancal
