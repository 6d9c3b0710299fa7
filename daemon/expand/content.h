#pragma once
/// Meeting content after the levels of a plan are combined, and the Norwegian event text
/// (DESCRIPTION, LOCATION) that calendars show for it.
///
/// A plan states defaults once (on the rotation, series or slot) and lets a meeting, a
/// session or a single occurrence replace what differs; this is where that layering happens,
/// so every programme kind merges the same way.

#include <string>

#include "plan/model.h"

namespace plancal {

/// `base` with every field that `specific` sets replacing the base's (non-empty strings and
/// lists, a present `online`).
[[nodiscard]] MeetingContent merge_content(MeetingContent base, const MeetingContent& specific);

/// Applies a per-occurrence override's topic, speaker and location.
void apply_override(MeetingContent& content, const OccurrenceOverride& change);

/// Lines that only some programmes have, placed in the description by `describe`.
struct DescriptionExtras {
  std::string capacity;     ///< "Plasser: 1 (FULLT)"; empty when the row has no capacity
  std::string change_note;  ///< an override's `note`, shown as "Endring: <note>"
};

/// The readable description, in the order fixed by plan-format.md: header lines (Tema,
/// speaker, Sted, Nettmøte, Plasser), "Program:", "Forberedelser:", notes, "Endring: ...",
/// separated by blank lines; no trailing newline.
[[nodiscard]] std::string describe(const MeetingContent& content, const DescriptionExtras& extras);

/// "Plasser: 1", "Plasser: 1 (FULLT)", "Plasser: FULLT"; empty for an open row.
[[nodiscard]] std::string capacity_text(int capacity, bool full);

/// The event's LOCATION: the place, or the online service's name for online-only meetings.
[[nodiscard]] std::string location_text(const MeetingContent& content);

/// The online meeting link, or empty.
[[nodiscard]] std::string online_url(const MeetingContent& content);

}  // namespace plancal
